package org.custody.ledger.gate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.Genesis;
import org.custody.record.Record;

/**
 * Folds the key records of a ledger in order ({@link KeyChanges}): the state the gate, the verifier, evidence
 * checking and every key directory start from. Not thread-safe.
 */
public final class KeyFolder {
    private final Map<KeyId, KeyState> keys;
    private final Map<PersonId, Person> people;
    private long size;
    /** The ledger's signature algorithm, once the genesis entry is folded. */
    private org.custody.crypto.SignatureAlgorithm algorithm;

    /** An empty folder, before the genesis entry. */
    public KeyFolder() {
        this(Map.of(), Map.of(), 0, null);
    }

    /** A folder that goes on from what another folded ({@code size} entries). */
    public KeyFolder(Map<KeyId, KeyState> keys, Map<PersonId, Person> people, long size,
                     org.custody.crypto.SignatureAlgorithm algorithm) {
        this.keys = new HashMap<>(keys);
        this.people = new LinkedHashMap<>(people);
        this.size = size;
        this.algorithm = algorithm;
    }

    /**
     * Folds the record of entry {@code seq} (at or after every entry folded so far), by {@link KeyChanges#change}: a key
     * record with a problem changes nothing.
     */
    public void apply(long seq, Record record) {
        size = Math.max(size, seq + 1);
        if (record instanceof Genesis genesis) {
            algorithm = genesis.suite().signature();
        }
        KeyChanges.Change change = KeyChanges.change(seq, record, id -> Optional.ofNullable(keys.get(id)), algorithm);
        for (KeyState k : change.keys()) {
            keys.put(k.key().id(), k);
        }
        change.people().forEach(p -> people.merge(p.id(), p, (old, latest) -> latest));
    }

    /** Skips entries up to {@code size} (their records change no key), e.g. handoffs between key records. */
    public void advanceTo(long newSize) {
        if (newSize > size) {
            size = newSize;
        }
    }

    /** The key states folded so far, by key id (a live view: copy it to keep it). */
    public Map<KeyId, KeyState> keys() {
        return java.util.Collections.unmodifiableMap(keys);
    }

    /** Everyone enrolled, in enrolment order, with their latest details. */
    public Map<PersonId, Person> people() {
        return java.util.Collections.unmodifiableMap(people);
    }

    /** The number of entries folded or skipped. */
    public long size() {
        return size;
    }

    /** The ledger's signature algorithm, once the genesis entry is folded. */
    public org.custody.crypto.SignatureAlgorithm algorithm() {
        return algorithm;
    }
}
