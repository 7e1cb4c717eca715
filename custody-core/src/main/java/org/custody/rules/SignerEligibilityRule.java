package org.custody.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * R08: nobody recused (回避) for the exam signs its handoffs or incidents, and every signer of a handoff
 * holds a role the step needs ({@link LifeCycle#roles}).
 */
final class SignerEligibilityRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R08;
    }

    @Override
    public String source() {
        return "004 Art.11";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        // on every entry the verifier and the append gate check: no stream, set or Optional per entry
        List<String> exams = new ArrayList<>(1);
        for (BagMove move : in.record().moves()) {
            BagState bag = in.state().bags.get(move.bag());
            if (bag != null && !exams.contains(bag.bag.exam())) {
                exams.add(bag.bag.exam());
            }
        }
        exams.sort(null);
        Handoff handoff = in.record() instanceof Handoff h ? h : null;
        Set<Role> allowed = handoff == null ? null : LifeCycle.roles(handoff.step());
        for (PersonId party : in.record().parties()) {
            Person person = in.state().people.get(party);
            if (person == null) {
                continue;
            }
            for (String exam : exams) {
                if (person.recusedFrom(exam)) {
                    out.add(in.finding(code(), party + " is recused from " + exam + " but signed / 应回避人员签字",
                            in.bagIds(), List.of(party)));
                }
            }
            if (allowed != null && !holdsAny(person, allowed)) {
                out.add(in.finding(code(), party + " (" + person.roles().stream().map(Role::wire).sorted().toList()
                        + ") holds no role for " + handoff.step().wire() + " / 签字人无相应职责", in.bagIds(), List.of(party))
                        .comparing(allowed.stream().map(Role::wire).sorted().toList(),
                                person.roles().stream().map(Role::wire).sorted().toList()));
            }
        }
    }

    private static boolean holdsAny(Person person, Set<Role> allowed) {
        for (Role role : person.roles()) {
            if (allowed.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
