package org.custody.ledger;

import java.time.Instant;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.failure.MalformedInputException;
import org.custody.model.PersonId;

/**
 * A key enrolled in a ledger, as its store knows it: whose it is, the entry that enrolled it and, if it was
 * revoked, from when.
 *
 * @param enrolledSeq the genesis or enrolment entry that enrolled the key
 * @param revokedFrom time from which signatures by the key are refused, or {@code null} if it is not revoked
 */
public record EnrolledKey(PersonId person, PublicKey key, long enrolledSeq, Instant revokedFrom) {
    public EnrolledKey {
        if (person == null || key == null) {
            throw new MalformedInputException("an enrolled key needs its person and public key");
        }
    }

    public KeyId id() {
        return key.id();
    }

    public Optional<Instant> revoked() {
        return Optional.ofNullable(revokedFrom);
    }
}
