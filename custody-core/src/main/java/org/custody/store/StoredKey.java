package org.custody.store;

import java.time.Instant;
import java.util.Objects;
import org.custody.crypto.KeyId;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.model.PersonId;

/**
 * One enrolled key as the store's key index holds it: derived from the enrolment and revocation entries, and read by
 * the append gate instead of replaying them.
 *
 * @param encoded     the public key's encoding for {@code algorithm} (docs/formats.md §2)
 * @param enrolledSeq the entry that enrolled the key
 * @param revokedFrom the time from which its signatures are refused, or {@code null} while it is not revoked
 * @param revokedSeq  the entry that revoked it, or -1
 */
public record StoredKey(KeyId id, PersonId person, SignatureAlgorithm algorithm, byte[] encoded, long enrolledSeq,
                        Instant revokedFrom, long revokedSeq) {
    public StoredKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(algorithm, "algorithm");
        encoded = encoded.clone();
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }
}
