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
import org.custody.record.Record;

/** One entry as the rules see it, with the state before it and helpers to build findings. */
record RuleInput(long seq, Hash hash, Record record, CustodyState state) {
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

    /** The policy of the exam this record concerns: that of its first registered bag, else the defaults. */
    Policy policy() {
        for (BagMove m : record.moves()) {
            BagState b = state.bags.get(m.bag());
            if (b != null) {
                return state.policy(b.bag.exam());
            }
        }
        return Policy.defaults("unknown");
    }

    boolean hasRole(PersonId person, Role role) {
        return state.person(person).map(p -> p.hasRole(role)).orElse(false);
    }

    long count(List<PersonId> people, Role role) {
        return people.stream().filter(p -> hasRole(p, role)).count();
    }

    Finding finding(FindingCode code, String message, List<BagId> bags, List<PersonId> people) {
        return new Finding(code, seq, hash, bags, people, message, null, null);
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
