package org.custody.ledger;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.ledger.gate.KeyFolder;
import org.custody.ledger.gate.KeyState;
import org.custody.model.Person;
import org.custody.model.PersonId;

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

    /** A folder that goes on from this snapshot. */
    KeyFolder folder() {
        return new KeyFolder(keys, people, size, algorithm);
    }

    /** The snapshot of what {@code folder} has folded. */
    static KeyDirectory of(KeyFolder folder) {
        return new KeyDirectory(Map.copyOf(folder.keys()), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(folder.people())),
                folder.size(), folder.algorithm());
    }
}
