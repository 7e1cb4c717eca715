package org.custody.server.console;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Record;
import org.custody.record.Registration;

/**
 * What the console keeps of a ledger between requests, folded from the entries appended since it last looked (as the
 * server's {@code LedgerIndex} does): the registered bags, the bags each seal number was recorded on, the last count
 * each bag's handoffs recorded at each step, and the findings the ledger kept for each bag (asked again only for the
 * bags a new entry names). The first request reads every entry once; later ones read only what was appended since.
 * It folds only what the entries say; every judgment stays the core's.
 */
final class LedgerFold {
    /** A count recorded at a step of a bag's life, and the entry that recorded it. */
    record Counted(int copies, long seq) {}

    /** The bags and the findings kept for them, as of {@code head}. */
    record Snapshot(Head head, Map<BagId, Bag> bags, List<Finding> kept, boolean findingsKept, Map<PersonId, Person> people) {}

    private final Ledger ledger;
    private long seen;
    private final Map<BagId, Bag> bags = new LinkedHashMap<>();
    private final Map<String, Set<BagId>> bySeal = new HashMap<>();
    private final Map<BagId, EnumMap<Step, Counted>> counts = new HashMap<>();
    private final Map<BagId, Integer> attendance = new HashMap<>();
    private final Map<BagId, List<Finding>> kept = new HashMap<>();
    private boolean findingsKept = true;
    private volatile Snapshot snapshot;

    LedgerFold(Ledger ledger) {
        this.ledger = ledger;
    }

    /** Folds the entries appended since the last call; the state as of the ledger's head now. */
    synchronized Snapshot current() {
        Head head = ledger.head();
        if (snapshot != null && snapshot.head().equals(head)) {
            return snapshot;
        }
        boolean wasKept = findingsKept;
        Set<BagId> named = new LinkedHashSet<>();
        for (long seq = seen; seq < head.size(); seq++) {
            long s = seq;
            Entry entry = ledger.entry(seq).orElseThrow(() -> new LedgerStoreException("entry " + s + " of " + ledger.id()
                    + " is missing"));
            fold(seq, entry.record());
            entry.record().moves().forEach(m -> named.add(m.bag()));
        }
        seen = Math.max(seen, head.size());
        if (snapshot == null || !wasKept) {
            named.addAll(bags.keySet());
        }
        for (BagId bag : named) {
            Optional<List<Finding>> found = ledger.findings(bag);
            findingsKept = found.isPresent();
            if (found.isEmpty()) {
                break; // the ledger keeps none for its head: nothing to show until it does
            }
            kept.put(bag, found.get());
        }
        Map<String, Finding> unique = new LinkedHashMap<>();
        if (findingsKept) {
            kept.values().forEach(list -> list.forEach(f -> unique.putIfAbsent(f.code() + "@" + f.seq() + "@" + f.message(), f)));
        }
        List<Finding> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparingLong(Finding::seq));
        snapshot = new Snapshot(head, Collections.unmodifiableMap(new LinkedHashMap<>(bags)), List.copyOf(sorted), findingsKept,
                ledger.people());
        return snapshot;
    }

    private void fold(long seq, Record record) {
        if (record instanceof Registration r) {
            r.bags().forEach(b -> bags.put(b.id(), b));
        }
        for (BagMove m : record.moves()) {
            if (m.seal() != null) {
                bySeal.computeIfAbsent(m.seal(), k -> new LinkedHashSet<>()).add(m.bag());
            }
        }
        if (record instanceof Handoff h) {
            for (BagMove m : h.bags()) {
                if (m.count() != null) {
                    counts.computeIfAbsent(m.bag(), k -> new EnumMap<>(Step.class)).put(h.step(), new Counted(m.count(), seq));
                }
                if (h.step() == Step.COLLECT && m.present() != null) {
                    attendance.put(m.bag(), m.present() + (m.absent() == null ? 0 : m.absent()));
                }
            }
        }
    }

    /** The snapshot the last {@link #current} made (this request's, once it called that), without looking at the ledger. */
    Snapshot latest() {
        Snapshot s = snapshot;
        return s != null ? s : current();
    }

    /** The bags a handoff or incident recorded seal number {@code seal} on, in the order first seen (as of {@link #current}). */
    synchronized List<BagId> sealedWith(String seal) {
        return List.copyOf(bySeal.getOrDefault(seal, new HashSet<>()));
    }

    /** The last count each step recorded for {@code bag}. */
    synchronized Map<Step, Counted> counts(BagId bag) {
        EnumMap<Step, Counted> c = counts.get(bag);
        return c == null ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(c));
    }

    /** Present plus absent, as the bag's collection recorded them, if it did. */
    synchronized Optional<Integer> attendance(BagId bag) {
        return Optional.ofNullable(attendance.get(bag));
    }
}
