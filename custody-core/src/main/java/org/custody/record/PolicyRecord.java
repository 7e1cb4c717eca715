package org.custody.record;

import java.time.Instant;
import java.util.List;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RecordId;

/**
 * Puts a custody policy in force for one exam from this entry on. The record states every limit, so a
 * verification years later applies exactly the policy that was in force.
 */
public record PolicyRecord(RecordId id, LedgerId ledger, Instant at, Policy policy, List<PersonId> by) implements Record {
    public PolicyRecord {
        Record.requireCommon(id, ledger);
        Record.requireTime("policy time", at);
        if (policy == null) {
            throw new MalformedInputException("a policy record needs the policy");
        }
        by = Record.requirePeople("policy signers", by, false);
    }

    @Override
    public String type() {
        return "policy";
    }

    @Override
    public List<PersonId> parties() {
        return by;
    }
}
