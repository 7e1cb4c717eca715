package org.custody.ledger.gate;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.custody.audit.Finding;
import org.custody.audit.FindingClass;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Head;
import org.custody.model.BagId;
import org.custody.model.Policy;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Record;
import org.custody.record.SignedRecord;
import org.custody.rules.RuleEngine;
import org.custody.store.EntryRef;
import org.custody.store.LedgerStore;

/**
 * The append gate: everything a record must pass before the store keeps it, in one place. Inside the store's write
 * transaction it checks each entry's integrity against the ledger ({@link EntryChecker}: the chain, the ledger id,
 * bag links, signatures by enrolled, unrevoked keys of every party), runs the custody rules (a strict policy refuses
 * their refusable findings), stores the entry, and moves the head by compare-and-swap. Signatures are checked on other
 * threads while the batch is stored; nothing commits before they have verified.
 *
 * <p>Opening a ledger replays no entry: the store keeps the custody rules' state, written in the transaction that
 * appends the entries it reflects and stamped with their head (docs/formats.md §7), and the gate reads it when the
 * stamp is the ledger's head, bags one at a time as records name them. That state, like every index the gate reads,
 * is derived data: a verification recomputes all of it from the signed entries and reports any difference (I11). A
 * store that keeps no state for its head (a new ledger, a file written before schema 4) has its entries replayed once,
 * with every index the gate reads compared to them (the gate refuses to append while one disagrees), and is given
 * the whole state with the next append. The rule engine, parsed keys and recent bag heads are kept across
 * transactions, and dropped whenever a transaction fails or another writer moved the head. Not thread-safe: the
 * ledger serialises calls.
 */
public final class Gate {
    /** Most bag heads remembered across transactions; past this, the memory is cleared and refilled. */
    private static final int MAX_KNOWN_BAGS = 1_000_000;

    private final LedgerStore store;
    /** The custody rules' state at {@link #rulesAt}; read from the store (or rebuilt) when null. */
    private RuleEngine rules;
    /** The head {@link #rules} holds for. */
    private Head rulesAt;
    /**
     * Whether {@link #rules} was built by replaying the entries (the store kept no state for this head) and the store
     * must be given all of it with the next append, rather than the rows it changes.
     */
    private boolean writeAllRules;
    /** Whether the store's indexes were checked against a replay of the entries (once per open ledger). */
    private boolean indexesChecked;
    /** Public keys parsed from the key index, by id (see {@link StoreState}); shared with early signature checks. */
    private final Map<KeyId, PublicKey> parsedKeys = new ConcurrentHashMap<>();
    /** Keys whose index rows were checked against the entries that enrolled and revoked them ({@link KeyRows}). */
    private final java.util.Set<KeyId> checkedKeys = new java.util.HashSet<>();
    /** Bag heads as committed when the ledger's head was {@link #knownBagsAt}. */
    private final Map<BagId, LedgerState.BagHead> knownBags = new HashMap<>();
    /** The head {@link #knownBags} holds for, or {@code null} while a transaction that moved bags is not yet committed. */
    private Head knownBagsAt;
    /** The head the open transaction leaves, which {@link #committed} makes the one {@link #knownBags} holds for. */
    private Head knownBagsAfterCommit;

    /** The clock whose time the gate writes into each entry it appends ({@code appended}). */
    private final Clock clock;
    /** The append time of the last entry as of {@link #lastAppendedAt} ({@code null} if it has none). */
    private Instant lastAppended;
    /** The head {@link #lastAppended} holds for, or {@code null} when unknown. */
    private Head lastAppendedAt;
    /** The signers of the entries the batch being appended has added so far, by entry hash (a correction may refer to one). */
    private final Map<Hash, List<org.custody.model.PersonId>> appendedInBatch = new HashMap<>();
    /** The head and append time the open transaction leaves, which {@link #committed} makes known. */
    private Head appendedAfterCommit;
    private Instant lastAppendedAfterCommit;

    public Gate(LedgerStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Public keys already parsed, for signature checks started before a batch's turn ({@link Prechecks}). */
    public Map<KeyId, PublicKey> parsedKeys() {
        return parsedKeys;
    }

    /** The head as {@code tx} (or, with {@code null}, the store) sees it. */
    public static Head head(Optional<EntryRef> last) {
        return last.map(r -> new Head(r.seq() + 1, r.hash())).orElse(new Head(0, Hash.ZERO));
    }

    /**
     * Checks and stores {@code records} inside {@code tx}; the caller commits (then calls {@link #committed}) or rolls
     * back (then calls {@link #discard}). {@code indexBase} is 0 for batches (refusals name the record's position) and
     * -1 for single records; {@code expected} is the head the caller prepared against, or {@code null};
     * {@code prechecks} holds signature results started early for {@code records}, or is {@code null}.
     *
     * @throws AppendRefusedException if a record is refused; nothing of the batch may be committed then
     */
    public List<Appended> append(LedgerStore.Transaction tx, List<SignedRecord> records, int indexBase, Head expected,
                          Prechecks prechecks) {
        Optional<EntryRef> last = tx.last();
        Head head = head(last);
        if (expected != null && !expected.equals(head)) {
            FindingCode code = expected.size() != head.size() ? FindingCode.I06 : FindingCode.I02;
            throw new AppendRefusedException(-1, List.of(Finding.of(code, expected.size(), null,
                    "the ledger moved on since the record was prepared").comparing(expected, head)));
        }
        if (!head.equals(knownBagsAt) || knownBags.size() > MAX_KNOWN_BAGS) {
            knownBags.clear();
            checkedKeys.clear(); // another writer may have changed key rows since they were checked
        }
        knownBagsAt = null;
        long seq = head.size();
        Hash prev = head.size() == 0 ? Hash.ZERO : head.hash();
        Instant appendedAt = stamp(head);
        // the rules judge claimed times against this machine's clock, not against a later stamp that another writer's
        // clock running ahead left: a record dated ahead of the clock is refused however the stamps run (R22)
        Instant clockNow = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant judgedAt = clockNow.isBefore(appendedAt) ? clockNow : appendedAt;
        appendedInBatch.clear();
        List<Appended> results = new ArrayList<>(records.size());
        Map<String, Stored> stored = new HashMap<>();
        tx.byRecordId(records.stream().map(r -> r.record().id().value()).toList()).forEach((id, entry) ->
                stored.put(id, new Stored(new Appended(entry.seq(), entry.hash(), true), entry.canonicalRecord())));
        StoreState state = new StoreState(tx, seq == 0 ? null : store.ledger(), store.suite(), parsedKeys, knownBags, store,
                seq, checkedKeys);
        try (SignatureChecks signatures = new SignatureChecks()) {
            EntryChecker checker = new EntryChecker(state);
            RuleEngine engine = rulesAt(head);
            if (writeAllRules) {
                tx.clearRuleState();
                keepFindingsUpTo(tx, head.size());
            }
            for (int i = 0; i < records.size(); i++) {
                SignedRecord record = records.get(i);
                int index = indexBase < 0 ? -1 : i;
                String recordId = record.record().id().value();
                Stored existing = stored.get(recordId);
                if (existing != null) {
                    results.add(existing.appended(record, index));
                    continue;
                }
                Entry entry;
                try {
                    entry = Entry.create(seq, prev, record, appendedAt);
                } catch (MalformedInputException e) {
                    throw refused(index, Finding.of(FindingCode.I01, seq, null, e.getMessage()));
                }
                Hash hash = entry.hash(store.suite().hash());
                List<BagId> bags = Bags.named(entry.record());
                Map<BagId, Long> links = new LinkedHashMap<>();
                for (BagId bag : bags) {
                    links.put(bag, state.bagHead(bag).map(LedgerState.BagHead::seq).orElse(null));
                }
                List<Finding> findings = new ArrayList<>(0);
                EntryChecker.Pending pending = checker.check(entry, hash, seq, prev, findings);
                if (!findings.isEmpty()) {
                    throw new AppendRefusedException(index, findings);
                }
                List<Finding> ruleFindings = engine.check(seq, hash, record.record(), judgedAt);
                List<Finding> fromTheFuture = ruleFindings.stream().filter(f -> RuleEngine.alwaysRefused(f.code())).toList();
                if (!fromTheFuture.isEmpty()) {
                    throw new AppendRefusedException(index, fromTheFuture);
                }
                signatures.start(index, pending, records.size() == 1, prechecks, i, record);
                if (!ruleFindings.isEmpty() && engine.policyFor(record.record()).mode() == Policy.Mode.STRICT) {
                    List<Finding> refusing = ruleFindings.stream().filter(f -> RuleEngine.refusable(f.code())).toList();
                    if (!refusing.isEmpty()) {
                        signatures.awaitAll();
                        throw new AppendRefusedException(index, refusing);
                    }
                }
                keepFindings(tx, seq, record.record(), judgedAt.equals(appendedAt) ? ruleFindings
                        : engine.check(seq, hash, record.record(), appendedAt));
                engine.apply(seq, hash, record.record());
                appendedInBatch.put(hash, record.record().parties());
                tx.add(seq, hash, entry, links);
                Appended appended = new Appended(seq, hash, false, ruleFindings);
                results.add(appended);
                stored.put(recordId, new Stored(appended, record.canonicalRecord()));
                seq++;
                prev = hash;
            }
            if (seq != head.size() || writeAllRules) { // a rebuilt state is written even by a batch of records already stored
                writeRules(tx, engine, new Head(seq, prev));
            }
            // the last rows go to the store while the signature threads finish; nothing commits before they have
            state.flush();
            tx.flush();
            signatures.awaitAll();
            knownBags.putAll(state.movedBags());
        }
        if (seq != head.size()) {
            tx.advance(last, new EntryRef(seq - 1, prev));
        }
        knownBagsAfterCommit = new Head(seq, prev);
        appendedAfterCommit = knownBagsAfterCommit;
        lastAppendedAfterCommit = seq != head.size() ? appendedAt : lastAppended;
        return results;
    }

    /**
     * The append time for entries added after {@code head}: this gate's clock, to the millisecond, but never before the
     * last entry's (a clock set back, or another writer's clock ahead, must not make the ledger's times go back, I12).
     */
    private Instant stamp(Head head) {
        if (!head.equals(lastAppendedAt)) {
            lastAppended = head.size() == 0 ? null : store.entry(head.size() - 1).flatMap(Entry::appended).orElse(null);
            lastAppendedAt = head;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return lastAppended != null && lastAppended.isAfter(now) ? lastAppended : now;
    }

    /** The transaction {@link #append} ran in has committed. */
    public void committed() {
        if (rules != null) {
            rules.committed();
            rulesAt = knownBagsAfterCommit;
        }
        knownBagsAt = knownBagsAfterCommit;
        lastAppendedAt = appendedAfterCommit;
        lastAppended = lastAppendedAfterCommit;
    }

    /** The transaction {@link #append} ran in did not commit: forget what it changed. */
    public void discard() {
        rules = null;
        checkedKeys.clear();
        knownBags.clear();
        knownBagsAt = null;
        lastAppendedAt = null;
    }

    /** What appending {@code record} at {@code head} would find, before it is signed: stale bag links (I07) and custody rules. */
    public List<Finding> preflight(Record record, Head head) {
        List<Finding> findings = new ArrayList<>();
        for (BagMove move : record.moves()) {
            Optional<Hash> current = store.bagHead(move.bag()).map(EntryRef::hash);
            if (current.isEmpty() || !current.get().equals(move.prev())) {
                findings.add(Finding.of(FindingCode.I07, head.size(), null, "bag " + move.bag()
                        + (current.isEmpty() ? " is not registered" : " has moved on since the draft was made"))
                        .comparing(current.map(Hash::hex).orElse("none"), move.prev().hex()));
            }
        }
        findings.addAll(rulesAt(head).check(head.size(), null, record, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        return findings;
    }

    /** Whether the store keeps the rules' state, of this version, for {@code head} (or a later head). */
    public boolean keepsRulesState(Head head) {
        return store.ruleStateAt().filter(kept -> holds(kept, head, true)).isPresent();
    }

    /**
     * Whether a stamp of the rules' state says it holds, in this version of the rules, for {@code head} (with
     * {@code orLater}, or for a later head another writer committed).
     */
    public static boolean holds(LedgerStore.StateAt kept, Head head, boolean orLater) {
        return kept.version() == RuleEngine.STATE_VERSION && ((orLater && kept.size() > head.size())
                || (kept.size() == head.size() && kept.head().equals(head.size() == 0 ? Hash.ZERO : head.hash())));
    }

    /** The policy in force for {@code exam} at {@code head}: its latest policy record, else the defaults. */
    public Policy policy(String exam, Head head) {
        return rulesAt(head).policy(exam);
    }

    /** The exams named at {@code head}. */
    public List<String> exams(Head head) {
        return rulesAt(head).exams();
    }

    /** The places registered at {@code head}. */
    public List<org.custody.model.RegisteredPlace> places(Head head) {
        return rulesAt(head).places();
    }

    /** Where every registered bag stands at {@code head}. */
    public Map<BagId, org.custody.rules.BagPosition> positions(Head head) {
        return rulesAt(head).positions();
    }

    /** Where {@code bag} stands at {@code head}, or empty if it was never registered. */
    public java.util.Optional<org.custody.rules.BagPosition> position(BagId bag, Head head) {
        return rulesAt(head).position(bag);
    }

    /** The counts {@code bag}'s handoffs recorded, at {@code head}; empty if it was never registered. */
    public java.util.Optional<org.custody.rules.BagCounts> counts(BagId bag, Head head) {
        return rulesAt(head).counts(bag);
    }

    /** What is overdue as of {@code asOf} at {@code head}, reading only the bags of {@code running} (RuleEngine.overdue). */
    public List<Finding> overdue(java.time.Instant asOf, java.util.Collection<BagId> running, Head head) {
        return rulesAt(head).overdue(asOf, running);
    }

    /** The bags inside {@code container} at {@code head}. */
    public List<BagId> contents(BagId container, Head head) {
        return rulesAt(head).contents(container);
    }

    /** Those of {@code findings} that would refuse {@code record}: integrity findings, and refusable rules under a strict policy. */
    public List<Finding> refusals(Record record, List<Finding> findings, Head head) {
        boolean strict = rulesAt(head).policyFor(record).mode() == Policy.Mode.STRICT;
        return findings.stream().filter(f -> f.code().findingClass() == FindingClass.INTEGRITY || RuleEngine.alwaysRefused(f.code())
                || (strict && RuleEngine.refusable(f.code()))).toList();
    }

    /**
     * The rule engine at {@code head}: the one kept from the last transaction if the ledger has not moved since, else
     * the state the store keeps for this head (docs/formats.md §7), read without replaying any entry; only a store
     * that keeps none (a new ledger, a file an older version wrote) has its entries replayed, once, with every index
     * the gate reads checked against them, and is given the whole state with the next append.
     */
    private RuleEngine rulesAt(Head head) {
        if (rules != null && head.equals(rulesAt)) {
            return rules;
        }
        rules = null;
        // a stamp ahead of the head asked for: another writer committed after the caller read the head (outside a
        // transaction); its state is the ledger's now, and answers as well as a replay to the older head would
        LedgerStore.StateAt kept = store.ruleStateAt().filter(k -> holds(k, head, true)).orElse(null);
        if (kept != null) {
            rules = RuleEngine.stored(new StoredRules(store));
            rules.signersFrom(this::signersOf);
            writeAllRules = false;
            rulesAt = kept.size() == head.size() ? head : new Head(kept.size(), kept.head());
        } else {
            rules = replayed(head.size());
            writeAllRules = true;
            rulesAt = head;
        }
        return rules;
    }

    /** A rule engine built by replaying the first {@code size} entries, checking every stored index the gate reads once. */
    private RuleEngine replayed(long size) {
        RuleEngine engine = new RuleEngine();
        engine.signersFrom(this::signersOf);
        boolean check = !indexesChecked;
        List<Finding> findings = store.replay(0, check, (seq, hash, entry) -> {
            if (seq < size) {
                engine.apply(seq, hash, entry.record());
            }
        });
        if (!findings.isEmpty()) {
            throw new AppendRefusedException(-1, findings);
        }
        if (check) {
            indexesChecked = true;
        }
        return engine;
    }

    /** The signers of the entry whose hash is {@code entry} (a correction refers to it): in the batch, else in the store. */
    private Optional<List<org.custody.model.PersonId>> signersOf(Hash entry) {
        // an entry of this batch is not in the store's tables yet (rows are written in groups): look there first
        return Optional.ofNullable(appendedInBatch.get(entry)).or(() -> store.entryByHash(entry).map(e -> e.record().parties()));
    }

    /**
     * Keeps the rule findings of the entry at {@code seq} (docs/formats.md §7.2): judged at the entry's own append time,
     * as a verifier judges it, and found under the bags each names or, naming none, under the bags of its entry.
     */
    private static void keepFindings(LedgerStore.Transaction tx, long seq, Record record, List<Finding> findings) {
        for (int n = 0; n < findings.size(); n++) {
            Finding f = findings.get(n);
            tx.putFinding(seq, n, f.code().name(), org.custody.audit.FindingJson.bytes(f),
                    f.bags().isEmpty() ? Bags.named(record) : new java.util.LinkedHashSet<>(f.bags()));
        }
    }

    /**
     * Keeps the rule findings of the first {@code size} entries, for a store that kept none (a new ledger, an upgraded
     * file): one more replay, in this transaction, with the rules checking each entry before taking it in.
     */
    private void keepFindingsUpTo(LedgerStore.Transaction tx, long size) {
        if (size == 0) {
            return;
        }
        RuleEngine judge = new RuleEngine();
        judge.signersFrom(this::signersOf);
        store.replay(0, false, (seq, hash, entry) -> {
            if (seq < size) {
                keepFindings(tx, seq, entry.record(), judge.checkAndApply(seq, hash, entry.record(), entry.appended().orElse(null)));
            }
        });
    }

    /** Hands the store the rule state as {@code engine} leaves it after the batch: the rows it changed, or all of them. */
    private void writeRules(LedgerStore.Transaction tx, RuleEngine engine, Head after) {
        if (writeAllRules) {
            engine.forEachRow(row -> write(tx, row));
        } else {
            for (RuleEngine.Row row : engine.changes()) {
                write(tx, row);
            }
        }
        tx.ruleStateAt(new LedgerStore.StateAt(RuleEngine.STATE_VERSION, after.size(), after.hash()));
        writeAllRules = false;
    }

    private static void write(LedgerStore.Transaction tx, RuleEngine.Row row) {
        tx.putRuleState(row.kind(), row.key(), row.group(), row.value());
        if (row.position() != null) {
            tx.putBagIndex(bagIndex(row.position()));
        }
    }

    /** The index row of a bag where it stands (docs/formats.md §7.3): what a store keeps and a verification expects. */
    public static org.custody.store.BagIndex bagIndex(org.custody.rules.BagPosition p) {
        org.custody.model.Bag bag = p.bag();
        return new org.custody.store.BagIndex(bag.id(), bag.exam(), bag.kind().wire(), bag.site(), bag.room(), bag.session(),
                bag.subject(), p.step() == null ? null : p.step().stage().wire(), p.step() == null ? null : p.step().wire(), p.holder() == null ? null : p.holder().value(),
                p.container() == null ? null : p.container().value(), p.lastSeq(),
                p.deadlines().isEmpty() ? null : String.join(",", p.deadlines().stream().map(Enum::name).toList()));
    }

    /** The store's rule state rows, as the rule engine reads them. */
    private record StoredRules(LedgerStore store) implements RuleEngine.StateRows {
        @Override
        public Optional<byte[]> row(String kind, String key) {
            return store.ruleState(kind, key);
        }

        @Override
        public void rows(String kind, java.util.function.BiConsumer<String, byte[]> each) {
            store.ruleStates(kind, each);
        }

        @Override
        public List<String> keys(String kind, String group) {
            return store.ruleStateKeys(kind, group);
        }
    }

    private static AppendRefusedException refused(int index, Finding finding) {
        return new AppendRefusedException(index, List.of(finding));
    }

    /** A record already in the ledger (or earlier in this batch), by id. */
    private record Stored(Appended appended, byte[] canonicalRecord) {
        /** The stored entry if {@code record} is the same record again; refused if its id is used by another. */
        Appended appended(SignedRecord record, int index) {
            if (Arrays.equals(canonicalRecord, record.canonicalRecord())) {
                return new Appended(appended.seq(), appended.hash(), true);
            }
            throw refused(index, Finding.of(FindingCode.I06, appended.seq(), appended.hash(), "record id "
                    + record.record().id() + " is already used by entry " + appended.seq() + " for a different record"));
        }
    }
}
