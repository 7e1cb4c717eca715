package org.custody.ledger.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Record;
import org.custody.record.Revocation;

/**
 * The one statement of how a record changes the keys (enrolment, rotation, revocation) and of which key a
 * signature on a record is by: read by the gate and the verifier ({@link EntryChecker}), every {@link KeyFolder}
 * and so every key directory.
 */
public final class KeyChanges {
    private KeyChanges() {}

    /**
     * The key a signature on {@code record} is by, by the gate's rules: a founder's key on the genesis record,
     * the key an enrolment enrols (which signs as proof that its person holds it), or else a key the ledger
     * enrolled ({@code enrolled}). Empty for a key the ledger never enrolled (I04). Whether it is revoked for
     * the entry is {@link KeyState#revokedFor}. The one statement of who a signature is by, for the gate, the
     * verifier and the draft.
     */
    public static Optional<SignerKey> signer(Record record, KeyId key, java.util.function.Function<KeyId, Optional<KeyState>> enrolled) {
        if (record instanceof Genesis genesis) {
            for (Founder f : genesis.founders()) {
                if (f.key().id().equals(key)) {
                    return Optional.of(new SignerKey(new KeyState(f.person().id(), f.key(), 0, null, -1), true));
                }
            }
        }
        if (record instanceof Enrolment enrolment && enrolment.key().id().equals(key)) {
            return Optional.of(new SignerKey(new KeyState(enrolment.person().id(), enrolment.key(), -1, null, -1), true));
        }
        return enrolled.apply(key).map(k -> new SignerKey(k, false));
    }

    /** A signer's key; {@code fromRecord} when the record itself names it (a founder's, or the key being enrolled). */
    public record SignerKey(KeyState key, boolean fromRecord) {}

    /** A problem of a key record, with the integrity code the gate refuses it with and the verifier reports. */
    public record Problem(org.custody.audit.FindingCode code, String message, List<PersonId> people) {}

    /**
     * What one record does to the keys: the key states to store, the people whose details it sets, and its
     * problems (which change nothing). The one statement of how keys are enrolled, rotated and revoked, used by
     * the gate and the verifier ({@link EntryChecker}) and by every key folder.
     */
    public record Change(List<KeyState> keys, List<Person> people, List<Problem> problems) {}

    /**
     * What the record of entry {@code seq} does to the keys.
     *
     * @param current   the key state so far
     * @param algorithm the ledger's signature algorithm, or {@code null} not to check it
     */

    public static Change change(long seq, Record record, java.util.function.Function<KeyId, Optional<KeyState>> current,
                         org.custody.crypto.SignatureAlgorithm algorithm) {
        if (record instanceof Genesis genesis) {
            List<KeyState> keys = new java.util.ArrayList<>();
            List<Person> people = new java.util.ArrayList<>();
            for (Founder f : genesis.founders()) {
                keys.add(new KeyState(f.person().id(), f.key(), seq, null, -1));
                people.add(f.person());
            }
            return new Change(keys, people, List.of());
        }
        if (record instanceof Enrolment enrolment) {
            PersonId person = enrolment.person().id();
            Optional<KeyState> existing = current.apply(enrolment.key().id());
            if (existing.isPresent()) {
                return problem(org.custody.audit.FindingCode.I06, "key " + enrolment.key().id() + " is already enrolled (entry "
                        + existing.get().enrolledSeq() + "): a repeated enrolment", person);
            }
            if (algorithm != null && enrolment.key().algorithm() != algorithm) {
                return problem(org.custody.audit.FindingCode.I01, "enrolled key is " + enrolment.key().algorithm().wire()
                        + " but the ledger uses " + algorithm.wire(), person);
            }
            return new Change(List.of(new KeyState(person, enrolment.key(), seq, null, -1)), List.of(enrolment.person()), List.of());
        }
        if (record instanceof Revocation revocation) {
            Optional<KeyState> existing = current.apply(revocation.key());
            if (existing.isEmpty()) {
                return new Change(List.of(), List.of(), List.of(new Problem(org.custody.audit.FindingCode.I04,
                        "revokes key " + revocation.key() + ", which was never enrolled", List.of())));
            }
            // a second revocation of a key changes nothing: the first one's time stands
            return existing.get().revokedFrom() != null ? NONE
                    : new Change(List.of(existing.get().revoked(revocation.effective(), seq)), List.of(), List.of());
        }
        return NONE;
    }

    private static final Change NONE = new Change(List.of(), List.of(), List.of());

    private static Change problem(org.custody.audit.FindingCode code, String message, PersonId person) {
        return new Change(List.of(), List.of(), List.of(new Problem(code, message, List.of(person))));
    }
}
