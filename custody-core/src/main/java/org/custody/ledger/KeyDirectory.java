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
    static final KeyDirectory EMPTY = new KeyDirectory(Map.of(), Map.of(), 0);

    private final Map<KeyId, KeyState> keys;
    private final Map<PersonId, Person> people;
    private final long size;

    private KeyDirectory(Map<KeyId, KeyState> keys, Map<PersonId, Person> people, long size) {
        this.keys = keys;
        this.people = people;
        this.size = size;
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

    /** Folds entries in ledger order; {@link #directory()} snapshots what it has. Not thread-safe. */
    static final class Folder {
        private final Map<KeyId, KeyState> keys;
        private final Map<PersonId, Person> people;
        private long size;

        Folder(KeyDirectory from) {
            this.keys = new HashMap<>(from.keys);
            this.people = new LinkedHashMap<>(from.people);
            this.size = from.size;
        }

        /**
         * Folds the record of entry {@code seq} (at or after every entry folded so far). A key enrolled twice keeps its
         * first enrolment (the gate refuses the second, I06); a revocation of a key never enrolled changes nothing (I04).
         */
        void apply(long seq, Record record) {
            size = Math.max(size, seq + 1);
            if (record instanceof Genesis genesis) {
                for (Founder f : genesis.founders()) {
                    people.putIfAbsent(f.person().id(), f.person());
                    keys.putIfAbsent(f.key().id(), new KeyState(f.person().id(), f.key(), seq, null, -1));
                }
            } else if (record instanceof Enrolment enrolment) {
                if (keys.putIfAbsent(enrolment.key().id(), new KeyState(enrolment.person().id(), enrolment.key(), seq, null, -1)) == null) {
                    people.merge(enrolment.person().id(), enrolment.person(), (old, latest) -> latest);
                }
            } else if (record instanceof Revocation revocation) {
                KeyState existing = keys.get(revocation.key());
                if (existing != null) {
                    keys.put(revocation.key(), existing.revoked(revocation.effective(), seq));
                }
            }
        }

        /** Skips entries up to {@code size} (their records change no key), e.g. handoffs between key records. */
        void advanceTo(long newSize) {
            if (newSize > size) {
                size = newSize;
            }
        }

        KeyDirectory directory() {
            return new KeyDirectory(Map.copyOf(keys), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(people)), size);
        }
    }
}
