package org.custody.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.KeyDirectory;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.Entry;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.Revocation;

/**
 * What the server looks up between requests, read from the ledger's entries through the public API:
 * registered bags (for their site). People and their keys are the ledger's own {@link KeyDirectory}. It follows the ledger
 * by reading the entries appended since it last looked, so entries written by another process are seen
 * too. It only guides the server's early answers; the ledger's append gate checks everything again.
 */
final class LedgerIndex {
    private final Ledger ledger;
    private long seen;
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
        if (record instanceof Registration r) {
            r.bags().forEach(b -> bags.put(b.id(), b));
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

    /** Everyone enrolled, in enrolment order, with their keys: the ledger's key directory. */
    List<Map.Entry<Person, List<EnrolledKey>>> people() {
        KeyDirectory directory = ledger.directory();
        List<Map.Entry<Person, List<EnrolledKey>>> out = new ArrayList<>();
        for (Person p : directory.people().values()) {
            out.add(Map.entry(p, directory.keysOf(p.id())));
        }
        return out;
    }

    Optional<Person> person(PersonId id) {
        return ledger.directory().person(id);
    }
}
