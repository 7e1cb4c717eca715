package org.custody.ledger.gate;

import java.time.Instant;
import org.custody.crypto.PublicKey;
import org.custody.model.PersonId;

/**
 * What the ledger knows of one enrolled key.
 *
 * @param revokedFrom time from which signatures are refused, or {@code null} if not revoked
 * @param revokedSeq  entry that revoked the key, or -1
 */
public record KeyState(PersonId person, PublicKey key, long enrolledSeq, Instant revokedFrom, long revokedSeq) {
    public boolean revokedFor(long seq, Instant at) {
        return revokedFrom != null && (seq > revokedSeq || !at.isBefore(revokedFrom));
    }

    KeyState revoked(Instant from, long seq) {
        return new KeyState(person, key, enrolledSeq, from, seq);
    }
}
