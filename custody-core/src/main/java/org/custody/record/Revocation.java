package org.custody.record;

import java.time.Instant;
import java.util.List;
import org.custody.crypto.KeyId;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Text;

/**
 * Revokes a key from {@code effective} on: signatures by it on records dated at or after that time, or
 * appended after this entry, are integrity findings (I05).
 */
public record Revocation(RecordId id, LedgerId ledger, Instant at, KeyId key, Instant effective, String reason,
                         List<PersonId> by) implements Record {
    public Revocation {
        Record.requireCommon(id, ledger);
        Record.requireTime("revocation time", at);
        Record.requireTime("revocation effective time", effective);
        if (key == null) {
            throw new MalformedInputException("a revocation needs the key id it revokes");
        }
        Text.require("revocation reason", reason, Text.MAX_SHORT);
        by = Record.requirePeople("revocation signers", by, false);
    }

    @Override
    public String type() {
        return "revoke";
    }

    @Override
    public List<PersonId> parties() {
        return by;
    }
}
