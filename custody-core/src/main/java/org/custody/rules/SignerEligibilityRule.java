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
import org.custody.model.Bag;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;

/**
 * R08: nobody recused (回避) for an exam signs any of its records, and every signer of a handoff holds a role the step
 * needs ({@link LifeCycle#roles}). A record's exams are those of the bags it moves or registers, of the paper set an
 * incident names, or of its policy or timetable; an incident that names none of these (a vault inspection, a
 * correction) concerns every exam of the ledger. Enrolments, revocations and the genesis manage keys, not an exam's
 * work, and are left to the governance rules.
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
        List<String> exams = exams(in);
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

    /** The exams {@code in}'s record belongs to, sorted. */
    private static List<String> exams(RuleInput in) {
        // on every entry the verifier and the append gate check: no stream, set or Optional per entry
        List<String> exams = new ArrayList<>(1);
        for (BagMove move : in.record().moves()) {
            BagState bag = in.state().bags.get(move.bag());
            if (bag != null && !exams.contains(bag.bag.exam())) {
                exams.add(bag.bag.exam());
            }
        }
        Record record = in.record();
        if (record instanceof Registration r) {
            for (Bag bag : r.bags()) {
                if (!exams.contains(bag.exam())) {
                    exams.add(bag.exam());
                }
            }
        } else if (record instanceof PolicyRecord p) {
            exams.add(p.policy().exam());
        } else if (record instanceof ScheduleRecord s) {
            exams.add(s.exam());
        } else if (record instanceof Incident i && exams.isEmpty()) {
            if (i.set() != null) {
                exams.add(i.set().exam());
            } else {
                exams.addAll(in.state().exams);
            }
        }
        exams.sort(null);
        return exams;
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
