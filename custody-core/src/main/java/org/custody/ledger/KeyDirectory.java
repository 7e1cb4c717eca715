package org.custody.ledger;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Who is enrolled in a ledger and which keys they hold: the genesis founders, enrolments (a second
 * enrolment of a person is a key rotation, and carries their latest roles and recusals) and revocations,
 * folded once in ledger order. An immutable snapshot as of {@link #size()} entries; the ledger keeps one
 * current ({@link Ledger#directory()}), and the draft, evidence checking, the server's queries and the
 * CLI's {@code people} and {@code keys list} read it. Whether a key may sign an entry is
 * {@link #maySign}: enrolled, and not revoked for that entry (revocation closes both ways: from its
 * effective time, and for everything appended after it).
 */
public final class KeyDirectory {
    static final KeyDirectory EMPTY = new KeyDirectory(Map.of(), Map.of(), 0, null);

    private final Map<KeyId, KeyState> keys;
    private final Map<PersonId, Person> people;
    private final long size;
    private final org.custody.crypto.SignatureAlgorithm algorithm;

    private KeyDirectory(Map<KeyId, KeyState> keys, Map<PersonId, Person> people, long size,
                         org.custody.crypto.SignatureAlgorithm algorithm) {
        this.keys = keys;
        this.people = people;
        this.size = size;
        this.algorithm = algorithm;
    }

    /** The number of ledger entries folded in. */
    public long size() {
        return size;
    }

    /** The key {@code id}, if the ledger enrolled it, with its revocation if any. */
    public Optional<EnrolledKey> key(KeyId id) {
        return state(id).map(KeyDirectory::enrolled);
    }

    Optional<KeyState> state(KeyId id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Every enrolled key, in enrolment order (then by key id). */
    public List<EnrolledKey> keys() {
        return keys.values().stream()
                .sorted(Comparator.comparingLong(KeyState::enrolledSeq).thenComparing(k -> k.key().id().hex()))
                .map(KeyDirectory::enrolled).toList();
    }

    /** The keys of {@code person}, in enrolment order. */
    public List<EnrolledKey> keysOf(PersonId person) {
        return keys().stream().filter(k -> k.person().equals(person)).toList();
    }

    /** Everyone enrolled, in order of first enrolment, with the details of their latest enrolment. */
    public Map<PersonId, Person> people() {
        return people;
    }

    public Optional<Person> person(PersonId id) {
        return Optional.ofNullable(people.get(id));
    }

    /**
     * Whether {@code key} may sign the entry that would stand at {@code seq}, dated {@code at}: enrolled, and
     * not revoked from that time or by an entry before it.
     */
    public boolean maySign(KeyId key, long seq, java.time.Instant at) {
        KeyState k = keys.get(key);
        return k != null && !k.revokedFor(seq, at);
    }

    private static EnrolledKey enrolled(KeyState k) {
        return new EnrolledKey(k.person(), k.key(), k.enrolledSeq(), k.revokedFrom());
    }

    /**
     * The key a signature on {@code record} is by, by the gate's rules: a founder's key on the genesis record,
     * the key an enrolment enrols (which signs as proof that its person holds it), or else a key the ledger
     * enrolled ({@code enrolled}). Empty for a key the ledger never enrolled (I04). Whether it is revoked for
     * the entry is {@link KeyState#revokedFor}. The one statement of who a signature is by, for the gate, the
     * verifier and the draft.
     */
    static Optional<SignerKey> signer(Record record, KeyId key, java.util.function.Function<KeyId, Optional<KeyState>> enrolled) {
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
    record SignerKey(KeyState key, boolean fromRecord) {}

    /** A problem of a key record, with the integrity code the gate refuses it with and the verifier reports. */
    record Problem(org.custody.audit.FindingCode code, String message, List<PersonId> people) {}

    /**
     * What one record does to the keys: the key states to store, the people whose details it sets, and its
     * problems (which change nothing). The one statement of how keys are enrolled, rotated and revoked, used by
     * the gate and the verifier ({@link EntryChecker}) and by every directory.
     *
     * @param current   the key state so far
     * @param algorithm the ledger's signature algorithm, or {@code null} not to check it
     */
    record Change(List<KeyState> keys, List<Person> people, List<Problem> problems) {}

    static Change change(long seq, Record record, java.util.function.Function<KeyId, Optional<KeyState>> current,
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

    /** Folds entries in ledger order; {@link #directory()} snapshots what it has. Not thread-safe. */
    static final class Folder {
        private final Map<KeyId, KeyState> keys;
        private final Map<PersonId, Person> people;
        private long size;
        /** The ledger's signature algorithm, once the genesis entry is folded. */
        private org.custody.crypto.SignatureAlgorithm algorithm;

        Folder(KeyDirectory from) {
            this.keys = new HashMap<>(from.keys);
            this.people = new LinkedHashMap<>(from.people);
            this.size = from.size;
            this.algorithm = from.algorithm;
        }

        /**
         * Folds the record of entry {@code seq} (at or after every entry folded so far), by {@link #change}: a key
         * record with a problem changes nothing.
         */
        void apply(long seq, Record record) {
            size = Math.max(size, seq + 1);
            if (record instanceof Genesis genesis) {
                algorithm = genesis.suite().signature();
            }
            Change change = change(seq, record, id -> Optional.ofNullable(keys.get(id)), algorithm);
            for (KeyState k : change.keys()) {
                keys.put(k.key().id(), k);
            }
            change.people().forEach(p -> people.merge(p.id(), p, (old, latest) -> latest));
        }

        /** Skips entries up to {@code size} (their records change no key), e.g. handoffs between key records. */
        void advanceTo(long newSize) {
            if (newSize > size) {
                size = newSize;
            }
        }

        KeyDirectory directory() {
            return new KeyDirectory(Map.copyOf(keys), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(people)), size,
                    algorithm);
        }
    }
}
