package org.custody.rules;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;

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
        Set<String> exams = in.record().moves().stream().map(m -> in.bag(m)).filter(java.util.Optional::isPresent)
                .map(b -> b.get().bag.exam()).collect(Collectors.toCollection(java.util.TreeSet::new));
        for (PersonId party : in.record().parties()) {
            Person person = in.state().person(party).orElse(null);
            if (person == null) {
                continue;
            }
            for (String exam : exams) {
                if (person.recusedFrom(exam)) {
                    out.add(in.finding(code(), party + " is recused from " + exam + " but signed / 应回避人员签字",
                            in.bagIds(), List.of(party)));
                }
            }
            in.handoff().ifPresent(h -> {
                Set<Role> allowed = LifeCycle.roles(h.step());
                if (person.roles().stream().noneMatch(allowed::contains)) {
                    out.add(in.finding(code(), party + " (" + person.roles().stream().map(Role::wire).sorted().toList()
                            + ") holds no role for " + h.step().wire() + " / 签字人无相应职责", in.bagIds(), List.of(party))
                            .comparing(allowed.stream().map(Role::wire).sorted().toList(),
                                    person.roles().stream().map(Role::wire).sorted().toList()));
                }
            });
        }
    }

}
