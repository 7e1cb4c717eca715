package org.custody.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.Role;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.ScheduleRecord;

/**
 * One entry as the rules see it, with the state before it and helpers to build findings; {@code appended} is when the
 * ledger appended it (or would, for a check before appending), {@code null} for an entry written without one.
 */
record RuleInput(long seq, Hash hash, Record record, java.time.Instant appended, CustodyState state) {
    Optional<Handoff> handoff() {
        return record instanceof Handoff h ? Optional.of(h) : Optional.empty();
    }

    Optional<Incident> incident() {
        return record instanceof Incident i ? Optional.of(i) : Optional.empty();
    }

    /** The state of a moved bag, or empty if the bag was never registered (an integrity matter). */
    Optional<BagState> bag(BagMove move) {
        return Optional.ofNullable(state.bags.get(move.bag()));
    }

    /** Whether this record concerns the whole ledger: no bag and no exam of its own (a key record, a vault review). */
    boolean ledgerWide() {
        return record.moves().isEmpty() && examNamed() == null;
    }

    /** The exam the record names itself, not through a bag it moves: a policy's, a timetable's, a withdrawn set's, registered bags'. */
    private String examNamed() {
        if (record instanceof PolicyRecord p) {
            return p.policy().exam();
        }
        if (record instanceof ScheduleRecord s) {
            return s.exam();
        }
        if (record instanceof Incident i && i.set() != null) {
            return i.set().exam();
        }
        if (record instanceof org.custody.record.Registration r && !r.bags().isEmpty()) {
            return r.bags().get(0).exam();
        }
        return null;
    }

    /** Every policy in force: each exam's (the defaults for one without a policy record), or the defaults alone. */
    List<Policy> policies() {
        List<Policy> out = new ArrayList<>();
        for (String exam : state.exams) {
            out.add(state.policy(exam));
        }
        return out.isEmpty() ? List.of(Policy.defaults("unknown")) : out;
    }

    /**
     * The policy in force for the exam this record concerns: that of its first registered bag, else of the exam it
     * names ({@link #examNamed}; a registration of several exams' bags: the strictest of theirs); for a record of the
     * whole ledger, an exam's first policy record, or bags of an exam without a policy of its own, the strictest of the
     * ledger's exams, so that a strict exam's governance is never decided by another's.
     */
    Policy policy() {
        for (BagMove m : record.moves()) {
            BagState b = state.bags.get(m.bag());
            if (b != null) {
                return state.policy(b.bag.exam());
            }
        }
        if (!record.moves().isEmpty()) {
            return Policy.defaults("unknown");
        }
        String exam = examNamed();
        if (record instanceof org.custody.record.Registration r && !r.bags().isEmpty()) {
            // bags of several exams: the strictest of theirs; an exam without a policy of its own yet: the ledger's strictest
            List<String> exams = r.bags().stream().map(org.custody.model.Bag::exam).distinct().toList();
            if (state.policies.keySet().containsAll(exams)) {
                return exams.stream().map(state::policy).filter(p -> p.mode() == Policy.Mode.STRICT).findFirst()
                        .orElse(state.policy(exam));
            }
            exam = null;
        }
        boolean firstPolicy = record instanceof PolicyRecord && exam != null && !state.policies.containsKey(exam);
        if (exam != null && !firstPolicy) {
            return state.policy(exam);
        }
        Policy any = null;
        for (String e : state.exams) {
            Policy p = state.policy(e);
            if (p.mode() == Policy.Mode.STRICT) {
                return p;
            }
            any = any == null ? p : any;
        }
        return any != null ? any : Policy.defaults("unknown");
    }

    boolean hasRole(PersonId person, Role role) {
        return state.person(person).map(p -> p.hasRole(role)).orElse(false);
    }

    long count(List<PersonId> people, Role role) {
        return people.stream().filter(p -> hasRole(p, role)).count();
    }

    /** A finding on this entry; {@code message} is English, then {@code " / "} and Chinese. */
    Finding finding(FindingCode code, String message, List<BagId> bags, List<PersonId> people) {
        return finding(code, seq, hash, record.at(), bags, people, message);
    }

    /** A finding on any entry; {@code message} is English, then {@code " / "} and Chinese. */
    static Finding finding(FindingCode code, long seq, Hash hash, java.time.Instant at, List<BagId> bags,
                           List<PersonId> people, String message) {
        int split = message.lastIndexOf(" / ");
        String english = split < 0 ? message : message.substring(0, split);
        String chinese = split < 0 ? null : message.substring(split + 3);
        return new Finding(code, seq, hash, at, bags, people, english, chinese, null, null);
    }

    Finding finding(FindingCode code, String message, BagId bag) {
        return finding(code, message, List.of(bag), record.parties());
    }

    List<BagId> bagIds() {
        List<BagId> ids = new ArrayList<>();
        record.moves().forEach(m -> ids.add(m.bag()));
        return ids;
    }
}
