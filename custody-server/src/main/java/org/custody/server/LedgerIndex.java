package org.custody.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.Revocation;

/**
 * What the server looks up between requests, read from the ledger's entries through the public API:
 * people and their keys (with revocations) and registered bags (for their site). It follows the ledger
 * by reading the entries appended since it last looked, so entries written by another process are seen
 * too. It only guides the server's early answers; the ledger's append gate checks everything again.
 */
final class LedgerIndex {
    /** An enrolled key: whose it is, and whether it is revoked (and from when). */
    record KeyInfo(KeyId id, PersonId person, PublicKey key, long enrolledSeq, Instant revokedFrom) {}

    private final Ledger ledger;
    private long seen;
    private final Map<PersonId, Person> people = new LinkedHashMap<>();
    private final Map<KeyId, KeyInfo> keys = new LinkedHashMap<>();
    private final Map<BagId, Bag> bags = new HashMap<>();

    LedgerIndex(Ledger ledger) {
        this.ledger = ledger;
    }

    /** Reads the entries appended since the last call. */
    synchronized void refresh() {
        long size = ledger.head().size();
        while (seen < size) {
            long seq = seen;
            Entry entry = ledger.entry(seq).orElseThrow(() -> new LedgerStoreException("entry " + seq + " is missing"));
            apply(seq, entry.record());
            seen++;
        }
    }

    /**
     * Learns of a record this server just appended at {@code seq}, without reading it back; if other
     * writers appended in between, reads the store instead.
     */
    void appended(long seq, Record record) {
        synchronized (this) {
            if (seq < seen) {
                return;
            }
            if (seq == seen) {
                apply(seq, record);
                seen++;
                return;
            }
        }
        refresh();
    }

    private void apply(long seq, Record record) {
        if (record instanceof Genesis g) {
            for (Founder f : g.founders()) {
                people.put(f.person().id(), f.person());
                keys.put(f.key().id(), new KeyInfo(f.key().id(), f.person().id(), f.key(), seq, null));
            }
        } else if (record instanceof Enrolment e) {
            people.put(e.person().id(), e.person());
            keys.put(e.key().id(), new KeyInfo(e.key().id(), e.person().id(), e.key(), seq, null));
        } else if (record instanceof Revocation r) {
            keys.computeIfPresent(r.key(), (id, k) -> new KeyInfo(id, k.person(), k.key(), k.enrolledSeq(), r.effective()));
        } else if (record instanceof Registration r) {
            r.bags().forEach(b -> bags.put(b.id(), b));
        }
    }

    /** The key, reading new entries first if it is not known yet. */
    Optional<KeyInfo> key(KeyId id) {
        synchronized (this) {
            KeyInfo k = keys.get(id);
            if (k != null) {
                return Optional.of(k);
            }
        }
        refresh();
        synchronized (this) {
            return Optional.ofNullable(keys.get(id));
        }
    }

    /** The registered bag, reading new entries first if it is not known yet. */
    Optional<Bag> bag(BagId id) {
        synchronized (this) {
            Bag b = bags.get(id);
            if (b != null) {
                return Optional.of(b);
            }
        }
        refresh();
        synchronized (this) {
            return Optional.ofNullable(bags.get(id));
        }
    }

    /** Everyone enrolled, in enrolment order, with their keys. */
    synchronized List<Map.Entry<Person, List<KeyInfo>>> people() {
        List<Map.Entry<Person, List<KeyInfo>>> out = new ArrayList<>();
        for (Person p : people.values()) {
            out.add(Map.entry(p, keys.values().stream().filter(k -> k.person().equals(p.id())).toList()));
        }
        return out;
    }

    synchronized Optional<Person> person(PersonId id) {
        return Optional.ofNullable(people.get(id));
    }
}
