package org.custody.ledger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.audit.RefusedException;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSigner;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.crypto.Hash;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.label.LabelVerdict;
import org.custody.ledger.gate.Gate;
import org.custody.ledger.gate.KeyFolder;
import org.custody.ledger.gate.Prechecks;
import org.custody.ledger.sqlite.CheckpointStore;
import org.custody.ledger.postgres.PostgresStore;
import org.custody.ledger.sqlite.SqliteStore;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.InclusionProof;
import org.custody.merkle.ProofBuilder;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.custody.store.EntryRef;
import org.custody.store.LedgerStore;
import org.custody.store.StoredKey;
import org.custody.timestamp.TimestampToken;
import org.custody.timestamp.TsaClient;

/**
 * A ledger: create or open it, draft and append signed records, read a bag's history, prove and checkpoint, verify.
 * The facade over the ledger's {@link LedgerStore} (here one SQLite file) and its append {@link Gate}.
 *
 * <p>Appends are atomic and durable (WAL, {@code synchronous=FULL}). Each append runs in one write transaction of the
 * store, in which the gate reads the head, checks the record's integrity against the ledger (signatures by enrolled,
 * unrevoked keys of every party; bag links) and the custody rules, stores the entry and advances the head by
 * compare-and-swap, so two writers, in one process or two, can never fork the chain. A record that fails a check is
 * refused with {@link AppendRefusedException} and nothing is stored.
 *
 * <p>Instances are safe for use by several threads; calls are serialised.
 */
public final class Ledger implements AutoCloseable {
    private final LedgerLocation location;
    private final LedgerStore store;
    private final Gate gate;
    private final LedgerId id;
    private final Suite suite;
    private final Object appenderLock = new Object();
    /** Who holds which key, as of this instance's last append or refresh; {@code null} until first asked for. */
    private volatile KeyDirectory directory;
    /** Appends the batches of {@link #appendAllAsync} in order; created on first use. */
    private ExecutorService appender;
    /** Set by {@link #close}: no more batches are queued. */
    private boolean closing;

    private Ledger(LedgerLocation location, LedgerStore store, Gate gate) {
        this.location = location;
        this.store = store;
        this.gate = gate;
        this.id = store.ledger();
        this.suite = store.suite();
    }

    /**
     * Creates a new ledger file whose first entry is {@code genesis}, signed by every founder. The file exists
     * afterwards only if the genesis entry was stored.
     *
     * @throws LedgerStoreException   if the file exists or cannot be created
     * @throws AppendRefusedException if the genesis record is not validly signed
     */
    public static Ledger create(Path file, SignedRecord genesis) {
        return create(file, genesis, Clock.systemUTC());
    }

    /**
     * Creates a new ledger file as {@link #create(Path, SignedRecord)} does, whose entries are stamped with the time of
     * {@code clock} when appended (docs/formats.md §5): for a clock other than the system's (a trusted time source, or
     * a fixed clock for records whose bag links must be computed before they are appended).
     */
    public static Ledger create(Path file, SignedRecord genesis, Clock clock) {
        return create(LedgerLocation.of(file), genesis, clock);
    }

    /** Creates a new ledger at {@code location}, stamping entries with the system clock. */
    public static Ledger create(LedgerLocation location, SignedRecord genesis) {
        return create(location, genesis, Clock.systemUTC());
    }

    /** Opens the ledger at {@code location}, stamping new entries with the system clock. */
    public static Ledger open(LedgerLocation location) {
        return open(location, Clock.systemUTC());
    }

    /**
     * Creates a new ledger at {@code location} (a file, or a PostgreSQL schema) as {@link #create(Path, SignedRecord,
     * Clock)} does: it holds a ledger afterwards only if the genesis entry was stored.
     *
     * @throws LedgerStoreException   if the location holds a ledger already or cannot be written
     * @throws AppendRefusedException if the genesis record is not validly signed
     */
    public static Ledger create(LedgerLocation location, SignedRecord genesis, Clock clock) {
        java.util.Objects.requireNonNull(clock, "clock");
        if (!(genesis.record() instanceof Genesis g)) {
            throw new MalformedInputException("a ledger starts with a genesis record, not " + genesis.record().type());
        }
        Gate[] made = new Gate[1];
        java.util.function.BiConsumer<LedgerStore, LedgerStore.Transaction> first = (created, tx) -> {
            made[0] = new Gate(created, clock);
            made[0].append(tx, List.of(genesis), -1, null, null);
        };
        LedgerStore store = location instanceof LedgerLocation.Database d
                ? PostgresStore.create(d.url(), g.ledger(), g.suite(), first::accept)
                : SqliteStore.create(((LedgerLocation.File) location).path(), g.ledger(), g.suite(), first::accept);
        made[0].committed();
        return new Ledger(location, store, made[0]);
    }

    /**
     * Opens an existing ledger file.
     *
     * @throws LedgerStoreException if the file is missing or is not a Custody ledger of a known schema version
     */
    public static Ledger open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** Opens an existing ledger file whose new entries are stamped with the time of {@code clock} when appended. */
    public static Ledger open(Path file, Clock clock) {
        return open(LedgerLocation.of(file), clock);
    }

    /**
     * Opens the ledger at {@code location} (a file, or a PostgreSQL schema) whose new entries are stamped with the
     * time of {@code clock}.
     *
     * @throws LedgerStoreException if nothing is there, or not a Custody ledger of a known schema version
     */
    public static Ledger open(LedgerLocation location, Clock clock) {
        java.util.Objects.requireNonNull(clock, "clock");
        LedgerStore store = location instanceof LedgerLocation.Database d
                ? PostgresStore.open(d.url()) : SqliteStore.open(((LedgerLocation.File) location).path());
        Ledger ledger = new Ledger(location, store, new Gate(store, clock));
        ledger.keepRulesState();
        return ledger;
    }

    /**
     * Gives a file that keeps no rules' state for its head (upgraded from schema 3, or kept by another version of the
     * rules) its state and every entry's findings now, in a transaction of their own, so that no later refusal throws
     * the replay away. A file whose indexes disagree with its entries, or with an entry that does not decode, is left as
     * it is: its first append says so.
     */
    private void keepRulesState() {
        if (gate.keepsRulesState(head())) {
            return;
        }
        try {
            appendBatch(List.of(), 0, null, null);
        } catch (AppendRefusedException | org.custody.failure.StoreException e) {
            // stored indexes that disagree with the entries, or an entry that does not decode: the file still opens for
            // reading, and its first append is refused again, naming what is wrong
        }
    }

    public LedgerId id() {
        return id;
    }

    public Suite suite() {
        return suite;
    }

    public Path file() {
        if (location instanceof LedgerLocation.File f) {
            return f.path();
        }
        throw new IllegalStateException("ledger " + id + " is kept in PostgreSQL (" + location + "), not in a file");
    }

    /** Where the ledger is kept. */
    public LedgerLocation location() {
        return location;
    }

    /** Appends one signed record at the end of the ledger. */
    public Appended append(SignedRecord record) {
        return appendBatch(List.of(record), -1, null, null).get(0);
    }

    /**
     * Appends one signed record only if the ledger still ends where the caller last saw it: {@code expected}
     * is the head the record was prepared against. Refused with I06 or I02 otherwise.
     */
    public Appended append(SignedRecord record, Head expected) {
        return appendBatch(List.of(record), -1, expected, null).get(0);
    }

    /**
     * Appends several records in one transaction (group commit): all are stored, in order, or none is.
     * Signatures are checked in parallel, while the records are being stored; the transaction commits only
     * once every signature has verified.
     *
     * @throws AppendRefusedException naming the first refused record's position in the batch
     */
    public List<Appended> appendAll(List<SignedRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        return appendBatch(records, 0, null, null);
    }

    /**
     * Queues {@code records} to be appended as one batch, exactly as {@link #appendAll} appends them, and returns at
     * once. The future completes with what {@code appendAll} would return once the batch's transaction has committed
     * (durably), or with the exception it would throw ({@link AppendRefusedException} naming the refused record's
     * position, {@link LedgerStoreException}); a refused batch stores nothing. Batches are appended one at a time, in
     * the order of the calls, each in its own transaction: a later batch does not wait for an earlier one to succeed
     * (a caller whose next batch builds on the last must wait for the last's future, or see the next refused).
     *
     * <p>What this adds over calling {@code appendAll} in turn is overlap: the signature arithmetic of a batch starts
     * when it is queued, on the signature threads, so it runs while the batch before it is checked, stored and
     * committed, and the cores are not left idle while SQLite waits for the disk. Which key may sign an entry is still
     * decided in ledger order, when the batch's turn comes; see docs/architecture.md. {@link #close} appends every
     * batch queued before it. The future is completed on the ledger's appender thread: actions chained to it without
     * an executor run there, before the next batch, so keep them short.
     *
     * @throws NullPointerException if {@code records} or one of them is null
     */
    public CompletableFuture<List<Appended>> appendAllAsync(List<SignedRecord> records) {
        List<SignedRecord> batch = List.copyOf(records);
        CompletableFuture<List<Appended>> out = new CompletableFuture<>();
        if (batch.isEmpty()) {
            out.complete(List.of());
            return out;
        }
        Prechecks prechecks = Prechecks.start(batch, gate.parsedKeys());
        try {
            appender().execute(() -> {
                try {
                    out.complete(appendBatch(batch, 0, null, prechecks));
                } catch (RuntimeException | Error e) {
                    out.completeExceptionally(e);
                } finally {
                    prechecks.close();
                }
            });
        } catch (RejectedExecutionException e) {
            prechecks.close();
            out.completeExceptionally(new LedgerStoreException("cannot append to " + location + ": the ledger is closed", e));
        }
        return out;
    }

    /** The thread that appends the batches of {@link #appendAllAsync}, started on first use. */
    private ExecutorService appender() {
        synchronized (appenderLock) {
            if (closing) {
                throw new RejectedExecutionException("closed");
            }
            if (appender == null) {
                appender = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "custody-appender");
                    t.setDaemon(true);
                    return t;
                });
            }
            return appender;
        }
    }

    /**
     * Appends {@code records} in one transaction of the store, through the gate. {@code indexBase} is 0 for
     * {@link #appendAll}, whose refusals name the record's position, and -1 otherwise; {@code expected} is the head the
     * caller prepared against, or {@code null}; {@code prechecks} holds signature results started early for
     * {@code records}, or is {@code null}.
     */
    private synchronized List<Appended> appendBatch(List<SignedRecord> records, int indexBase, Head expected,
                                                    Prechecks prechecks) {
        long firstSeq;
        List<Appended> out;
        try (LedgerStore.Transaction tx = store.begin()) {
            try {
                firstSeq = Gate.head(tx.last()).size();
                out = gate.append(tx, records, indexBase, expected, prechecks);
                tx.commit();
            } catch (RuntimeException | Error e) {
                // an Error too (out of memory, say): the gate's memory of bag heads and rules must not outlive a batch
                // that was not committed (closing the transaction rolls the store back)
                gate.discard();
                throw e;
            }
        }
        gate.committed();
        try {
            foldIntoDirectory(firstSeq, records, out);
        } catch (RuntimeException e) {
            directory = null; // the batch is committed: read the directory again when next asked
        }
        return out;
    }

    /** Keeps the key directory current after a commit of {@code records} from entry {@code firstSeq}; drops it if it missed entries. */
    private void foldIntoDirectory(long firstSeq, List<SignedRecord> records, List<Appended> out) {
        KeyDirectory d = directory;
        if (d == null) {
            return;
        }
        if (d.size() != firstSeq) {
            directory = null; // another process appended since: read again from the store when next asked
            return;
        }
        KeyFolder folder = d.folder();
        long end = firstSeq;
        for (int i = 0; i < out.size(); i++) {
            Appended a = out.get(i);
            if (!a.alreadyPresent()) {
                folder.apply(a.seq(), records.get(i).record());
                end = Math.max(end, a.seq() + 1);
            }
        }
        folder.advanceTo(end);
        directory = KeyDirectory.of(folder);
    }

    /** The current end of the ledger. */
    public synchronized Head head() {
        return Gate.head(store.last());
    }

    /** The entry at {@code seq}, if the ledger has one. */
    public synchronized Optional<Entry> entry(long seq) {
        return store.entry(seq);
    }

    /** Every entry that named {@code bag}, oldest first: its registration, handoffs and incidents. */
    public synchronized List<Entry> history(BagId bag) {
        return store.history(bag);
    }

    /**
     * The custody rule findings (R01-R25) of the bag's entries as the ledger judged them when it appended each, kept
     * with the entries (docs/formats.md §7.2): those naming the bag and those naming no bag on its entries, in ledger
     * order. A cost in the size of the answer, not of the ledger; but not a verification (nothing here checks the
     * integrity of what is stored, nor what is overdue now: {@code verify} does). Empty if the ledger keeps no findings
     * for its head (a file upgraded from schema 3 before its next append, or kept by another version of the rules, or
     * another writer appended meanwhile).
     *
     * @throws LedgerStoreException if a kept finding is damaged (run a verification)
     */
    public synchronized java.util.Optional<List<org.custody.audit.Finding>> findings(BagId bag) {
        if (!keepsStateForHead(head())) {
            return java.util.Optional.empty();
        }
        List<org.custody.audit.Finding> out = new java.util.ArrayList<>();
        for (byte[] row : store.findings(bag)) {
            out.add(keptFinding(row));
        }
        return java.util.Optional.of(out);
    }

    /**
     * Every entry whose record is of {@code type} ({@code register}, {@code schedule}, ...; see docs/formats.md §3.1),
     * oldest first: e.g. the registrations, to list every bag for printing labels.
     */
    public synchronized List<Entry> entriesOfType(String type) {
        List<Entry> out = new ArrayList<>();
        store.entries(0, Set.of(type), (seq, hash, entry) -> out.add(entry));
        return out;
    }

    /** The hash of the last entry that named {@code bag}: what the next handoff of the bag links to. */
    public synchronized Optional<Hash> bagHead(BagId bag) {
        return store.bagHead(bag).map(EntryRef::hash);
    }

    /** Every key enrolled in the ledger, in enrolment order, with its revocation time if it was revoked. */
    public List<EnrolledKey> keys() {
        return refreshDirectory().keys();
    }

    /**
     * Everyone enrolled in the ledger (founders and enrolled people), in order of first enrolment, with the
     * details of their latest enrolment: roles, site, organisation and recusals.
     */
    public Map<PersonId, Person> people() {
        return refreshDirectory().people();
    }

    /**
     * Who holds which key: the ledger's {@link KeyDirectory} as of this instance's last append or refresh,
     * read without waiting for an append in progress (once it has been read). {@link #refreshDirectory()} also
     * sees entries that other processes appended to the file; until then a key revoked by another process looks
     * current here, and only the append gate, which reads the store, refuses its signature (I05).
     */
    public KeyDirectory directory() {
        KeyDirectory d = directory;
        return d != null ? d : refreshDirectory();
    }

    /** The key directory brought up to the ledger's head, reading the key records appended since it was last current. */
    public synchronized KeyDirectory refreshDirectory() {
        KeyDirectory d = directory == null ? KeyDirectory.EMPTY : directory;
        Head head = head();
        if (head.size() == d.size()) {
            directory = d;
            return d;
        }
        KeyFolder folder = d.folder();
        store.entries(d.size(), KEY_RECORD_TYPES, (seq, hash, entry) -> folder.apply(seq, entry.record()));
        folder.advanceTo(head.size());
        directory = KeyDirectory.of(folder);
        return directory;
    }

    /** The record types that change who holds which key. */
    private static final Set<String> KEY_RECORD_TYPES = Set.of("genesis", "enrol", "revoke");

    /** Every bag and container registered in the ledger, in registration order. */
    public synchronized List<Bag> bags() {
        List<Bag> bags = new ArrayList<>();
        store.entries(0, Set.of("register"), (seq, hash, entry) -> bags.addAll(((Registration) entry.record()).bags()));
        return bags;
    }

    /**
     * Where every registered bag stands now (its last step, holder, container and last entry), by id: read from the
     * custody rules' state, one pass over the bags, not over their histories.
     */
    public synchronized java.util.Map<BagId, org.custody.rules.BagPosition> positions() {
        return gate.positions(head());
    }

    /** Where {@code bag} stands now, from the custody rules' state; empty if no entry registered it. */
    public synchronized java.util.Optional<org.custody.rules.BagPosition> position(BagId bag) {
        return gate.position(bag, head());
    }

    /**
     * The counts {@code bag}'s handoffs recorded (the last at each step, and the attendance its collection recorded), from
     * the custody rules' state: one row, as {@link #position}; empty if no entry registered the bag.
     */
    public synchronized java.util.Optional<org.custody.rules.BagCounts> counts(BagId bag) {
        return gate.counts(bag, head());
    }

    /**
     * The entries {@code person} is a party to (released, received, witnessed or otherwise had to sign), oldest first,
     * after the cursor {@code after} (an entry position; {@code null} from the first): read from the store's index of
     * entries by person (docs/formats.md §7.3), a cost in the size of the page.
     */
    public synchronized Page<Entry> entriesOf(org.custody.model.PersonId person, String after, int limit) {
        return entriesWith(org.custody.store.EntryTerms.PERSON + person.value(), after, limit);
    }

    /** The entries that record the seal number {@code seal} on a bag, oldest first, paged as {@link #entriesOf}. */
    public synchronized Page<Entry> entriesWithSeal(String seal, String after, int limit) {
        return entriesWith(org.custody.store.EntryTerms.SEAL + seal, after, limit);
    }

    /** The entries (handoffs and incidents) at the place {@code place}, oldest first, paged as {@link #entriesOf}. */
    public synchronized Page<Entry> entriesAt(String place, String after, int limit) {
        return entriesWith(org.custody.store.EntryTerms.PLACE + place, after, limit);
    }

    private Page<Entry> entriesWith(String term, String after, int limit) {
        long from = after == null ? -1 : cursor(after);
        return Page.of(store.entriesWith(term, from, Page.limit(limit) + 1), limit, e -> Long.toString(e.seq()), e -> e);
    }

    private static long cursor(String after) {
        try {
            long seq = Long.parseLong(after);
            if (seq >= -1) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new org.custody.failure.MalformedInputException("not a cursor of entries: '" + after
                + "' (an entry position from a page's next) / 分页位置无效");
    }

    /**
     * The bags {@code query} asks about, where each stands now, in order of id after the cursor {@code after} (a bag
     * id; {@code null} from the first): read from the store's bag index (docs/formats.md §7.3), a cost in the size of
     * the page.
     *
     * @throws LedgerStoreException if the ledger keeps no rules' state for its head (run a verification; the next append
     *                              writes it again)
     */
    public synchronized Page<org.custody.rules.BagPosition> bags(org.custody.store.BagQuery query, String after, int limit) {
        Head head = keptStateHead();
        return Page.of(store.bags(query, after == null ? null : BagId.of(after), Page.limit(limit) + 1), limit, BagId::value,
                id -> gate.position(id, head).orElseThrow(() -> new LedgerStoreException("the bag index of " + store.name()
                        + " names " + id + ", which the rules' state does not hold; run a verification")));
    }

    /**
     * The ids of the bags {@code query} asks about, in order, paged as {@link #bags} but without reading where each stands:
     * for merging and skipping through several questions' answers.
     */
    public synchronized Page<BagId> bagIds(org.custody.store.BagQuery query, String after, int limit) {
        keptStateHead();
        return Page.of(store.bags(query, after == null ? null : BagId.of(after), Page.limit(limit) + 1), limit, BagId::value,
                id -> id);
    }

    /**
     * How many of the bags {@code query} asks about stand at each step (the wire name of their last handoff's step, or
     * {@link org.custody.store.BagQuery#REGISTERED}), from the store's bag index.
     */
    public synchronized Map<String, Long> stepCounts(org.custody.store.BagQuery query) {
        keptStateHead();
        return store.stepCounts(query);
    }

    /**
     * How many of the bags {@code query} asks about share each combination of the columns {@code by} (e.g. exam, site,
     * session, kind and stage: the exam-day board's counts), from one grouped count over the store's bag index, in order
     * of those values. As {@link #bags}, it needs the rules' state kept for the head.
     *
     * @throws IllegalArgumentException if {@code by} is empty, repeats a column or names one not in
     *                                  {@link org.custody.store.BagQuery#COLUMNS}
     */
    public synchronized List<org.custody.store.BagCount> bagCounts(org.custody.store.BagQuery query, List<String> by) {
        keptStateHead();
        return store.bagCounts(query, List.copyOf(by));
    }

    /**
     * How many custody rule findings are kept of each code (as {@link #findings(org.custody.audit.FindingCode, String, int)}
     * lists them), by code: with {@code sites} {@code null} all of them, else only those whose bags (or, for a finding
     * naming none, its entry's bags) are all registered at one of {@code sites} (a {@code null} element: no site).
     */
    public synchronized Map<org.custody.audit.FindingCode, Long> findingCounts(java.util.Collection<String> sites) {
        keptStateHead();
        Map<org.custody.audit.FindingCode, Long> out = new java.util.EnumMap<>(org.custody.audit.FindingCode.class);
        store.findingCounts(sites == null ? null : new java.util.ArrayList<>(sites)).forEach((code, n) -> {
            try {
                out.put(org.custody.audit.FindingCode.valueOf(code), n);
            } catch (IllegalArgumentException e) {
                throw new LedgerStoreException("a finding kept in " + store.name() + " has the unknown code " + code
                        + "; run a verification", e);
            }
        });
        return out;
    }

    /**
     * What is overdue as of {@code asOf}: answer sheets not back in the vault in time (R10), grading not returned the same
     * day (R11), vaults not inspected (R12), as a verification at that time would report at its end; read from the bags a
     * time limit runs for (the store's index of them), not from every bag.
     */
    public synchronized List<org.custody.audit.Finding> overdue(java.time.Instant asOf) {
        Head head = keptStateHead();
        return gate.overdue(asOf, store.bagsWithDeadlines(), head);
    }

    /**
     * The custody rule findings kept with the entries (as {@link #findings(BagId)}), of {@code code} ({@code null}: any),
     * in ledger order after the cursor {@code after} ({@code seq:n} from a page's next; {@code null} from the first).
     */
    public synchronized Page<org.custody.audit.Finding> findings(org.custody.audit.FindingCode code, String after, int limit) {
        keptStateHead();
        long seq = -1;
        int n = -1;
        if (after != null) {
            String[] parts = after.split(":", -1);
            try {
                seq = Long.parseLong(parts[0]);
                n = parts.length == 2 ? Integer.parseInt(parts[1]) : -2;
            } catch (NumberFormatException e) {
                n = -2;
            }
            if (n < -1 || seq < -1) {
                throw new org.custody.failure.MalformedInputException("not a cursor of findings: '" + after
                        + "' (seq:n from a page's next) / 分页位置无效");
            }
        }
        return Page.of(store.findings(code == null ? null : code.name(), seq, n, Page.limit(limit) + 1), limit,
                row -> row.seq() + ":" + row.n(), row -> keptFinding(row.body()));
    }

    private org.custody.audit.Finding keptFinding(byte[] body) {
        try {
            return org.custody.audit.FindingJson.parse(body);
        } catch (IllegalArgumentException e) {
            throw new LedgerStoreException("a finding kept in " + store.name() + " is damaged (" + e.getMessage()
                    + "); run a verification", e);
        }
    }

    /** Whether the store keeps the rules' state (and the findings and bag index written with it) for {@code head}. */
    private boolean keepsStateForHead(Head head) {
        return store.ruleStateAt().filter(kept -> Gate.holds(kept, head, false)).isPresent();
    }

    /** The head, if the rules' state and the tables derived from it are kept for it; else a failure that says what to do. */
    private Head keptStateHead() {
        Head head = head();
        if (!keepsStateForHead(head)) {
            throw new LedgerStoreException("the custody state kept in " + store.name() + " is not up to date with its "
                    + head.size() + " entries, so it cannot answer this question: open it for writing once (the state is"
                    + " rebuilt then), or run custody verify / 账本保存的状态与记录不一致，请重新打开或核验");
        }
        return head;
    }

    /** A draft of {@code handoff} for this ledger (its ledger id filled in): signed by every party, then appended. */
    public Draft draft(Handoff.Builder handoff) {
        return new Draft(this, carried(handoff.ledger(id).build()));
    }

    /** A draft of {@code incident} for this ledger (its ledger id filled in). */
    public Draft draft(Incident.Builder incident) {
        return new Draft(this, incident.ledger(id).build());
    }

    /** A draft of a record made for this ledger (any type: enrolment, policy, schedule, ...). */
    public Draft draft(Record record) {
        return new Draft(this, record);
    }

    /** The policy in force for {@code exam}: its latest policy record, else the regulations' defaults. */
    public synchronized org.custody.model.Policy policy(String exam) {
        return gate.policy(exam, head());
    }

    /** The bags inside {@code container} now (packed into it and not taken out since), sorted by id. */
    public synchronized List<BagId> contents(BagId container) {
        return gate.contents(container, head());
    }

    /** The exams this ledger names (by registered bags, policy records and timetables), sorted. */
    public synchronized List<String> exams() {
        return gate.exams(head());
    }

    /** The places registered in this ledger (vaults, exam rooms), sorted by id: records name them (R24). */
    public synchronized List<org.custody.model.RegisteredPlace> places() {
        return gate.places(head());
    }

    /**
     * {@code handoff} with the contents of every sealed container it hands over: a container named without any
     * of the bags packed in it is handed over closed, so each of its bags (and, for a container inside it, that
     * container's bags too) moves with it, inside it and linked to its head, without the officer listing them;
     * the moves are added after those named. A container named with some of its bags was opened: what is listed
     * is what was found, and a packed bag not listed is R05. Only a draft built from a builder is carried; a record
     * drafted as it is ({@link #draft(Record)}) keeps its bytes.
     */
    synchronized Handoff carried(Handoff handoff) {
        Head head = head(); // read once: every container's contents are those at this head
        List<BagMove> moves = new java.util.ArrayList<>(handoff.bags());
        java.util.Set<BagId> listed = new java.util.HashSet<>();
        moves.forEach(m -> listed.add(m.bag()));
        java.util.ArrayDeque<BagId> sealed = new java.util.ArrayDeque<>();
        for (BagMove m : handoff.bags()) {
            List<BagId> packed = gate.contents(m.bag(), head);
            if (!packed.isEmpty() && packed.stream().noneMatch(listed::contains)) {
                sealed.add(m.bag());
            }
        }
        boolean added = false;
        while (!sealed.isEmpty()) {
            BagId container = sealed.poll();
            for (BagId bag : gate.contents(container, head)) {
                if (listed.add(bag)) {
                    moves.add(move(bag).inside(container));
                    added = true;
                    sealed.add(bag); // a container packed inside goes closed too
                }
            }
        }
        return added ? handoff.withBags(moves) : handoff;
    }

    /**
     * The next move of {@code bag}, linked to its last entry; add counts, seal and container to it
     * ({@link BagMove#count}, {@link BagMove#seal}, {@link BagMove#inside}).
     *
     * @throws MalformedInputException if the bag is not registered in this ledger
     */
    public BagMove move(BagId bag) {
        Hash head = bagHead(bag).orElseThrow(() -> new MalformedInputException("bag " + bag + " is not registered in ledger "
                + id + " (试卷袋未登记); register it first ('custody bags import')"));
        return BagMove.of(bag, head);
    }

    /**
     * The bag that a scanned label or a typed bag id names. A label ({@code CUSTODY1/...}, formats.md §10)
     * must bind the bag to its current seal entry in this ledger.
     *
     * @throws MalformedInputException if the text is neither a readable label nor a bag id, or the label is of
     *                                 another ledger
     * @throws RefusedException        I10 for a swapped, forged or stale label: do not accept the bag
     */
    public BagId scanned(String text) {
        String t = text.strip();
        if (!t.startsWith(Label.PREFIX)) {
            return BagId.of(t);
        }
        Label label = Label.parse(t);
        LabelVerdict verdict = checkLabel(label);
        return switch (verdict.status()) {
            case OK -> label.bag();
            case OTHER_LEDGER -> throw new MalformedInputException(verdict.message() + " (标签属于其他账本)");
            default -> throw new RefusedException(FindingCode.I10, verdict.message() + " (标签与封装记录不符)."
                    + " Do not accept the bag: report the label as an incident");
        };
    }

    /** The label to print for {@code bag} now: bound to the bag's current seal entry (formats.md §10). */
    public Label label(BagId bag) {
        return LabelCheck.issue(suite.hash(), id, bag, history(bag));
    }

    /** Checks a scanned {@code label} against this ledger: OK, or why not (I10, or another ledger's label). */
    public LabelVerdict checkLabel(Label label) {
        return LabelCheck.check(label, id, suite.hash(), id.equals(label.ledger()) ? history(label.bag()) : List.of());
    }

    /** What appending {@code record} now would find, before it is signed: stale bag links (I07) and custody rules. */
    synchronized List<Finding> preflight(Record record) {
        return gate.preflight(record, head());
    }

    /** Those of {@code findings} that would refuse {@code record}: integrity findings, and refusable rules under a strict policy. */
    synchronized List<Finding> refusals(Record record, List<Finding> findings) {
        return gate.refusals(record, findings, head());
    }

    /**
     * The RFC 6962 Merkle root of the first {@code size} entries ({@code docs/merkle.md}), read from the stored tree
     * in O(log n).
     *
     * @throws org.custody.failure.MalformedInputException if {@code size} is negative or more than the ledger holds
     */
    public synchronized Hash root(long size) {
        return proofs(size).root(size);
    }

    /**
     * The inclusion proof of entry {@code seq} in the tree of the first {@code size} entries. Its leaf hash is
     * {@code TreeHasher.of(suite().hash()).leafHash(entry.canonicalBytes())}.
     *
     * @throws org.custody.failure.MalformedInputException unless {@code 0 <= seq < size <= head().size()}
     */
    public synchronized InclusionProof inclusionProof(long seq, long size) {
        return proofs(size).inclusion(seq, size);
    }

    /**
     * The consistency proof from the tree of the first {@code size1} entries to the first {@code size2}.
     *
     * @throws org.custody.failure.MalformedInputException unless {@code 0 < size1 <= size2 <= head().size()}
     */
    public synchronized ConsistencyProof consistencyProof(long size1, long size2) {
        return proofs(size2).consistency(size1, size2);
    }

    private ProofBuilder proofs(long size) {
        long stored = head().size();
        if (size < 0 || size > stored) {
            throw new MalformedInputException("tree size " + size + " is not in 0.." + stored + " (the entries in " + location + ")");
        }
        return ProofBuilder.of(suite.hash(), store.tree(size));
    }

    /** This ledger's checkpoint origin, {@code custody/ledger/<ledger id>}: the first line of its checkpoints. */
    public String origin() {
        return CheckpointStore.origin(id);
    }

    /**
     * The note keys that may sign the checkpoint of the first {@code size} entries: keys enrolled in the ledger for a
     * person with the role {@code checkpoint_signer} by an entry before {@code size}, and not revoked by one before it.
     */
    public synchronized List<NoteKey> checkpointKeys(long size) {
        return noteKeys(store.checkpointKeys(size));
    }

    private List<NoteKey> noteKeys(List<StoredKey> keys) {
        return keys.stream().map(k -> NoteKey.of(origin(), NoteKeyType.of(k.algorithm(), false),
                PublicKey.of(k.algorithm(), k.encoded()))).toList();
    }

    /**
     * Signs and stores a checkpoint of the ledger as it is now, with {@code key}, or returns the one stored for this
     * size already. The key must be one of {@link #checkpointKeys} for the current size.
     *
     * @throws org.custody.failure.MalformedInputException if the ledger is empty or {@code key} may not sign its checkpoints
     */
    public synchronized SignedNote signCheckpoint(SigningKey key) {
        try (LedgerStore.Transaction tx = store.begin()) {
            long size = Gate.head(tx.last()).size();
            Optional<SignedNote> stored = tx.checkpoint(size);
            if (stored.isEmpty()) {
                NoteSigner signer = NoteSigner.of(origin(), key);
                if (!noteKeys(tx.checkpointKeys(size)).contains(signer.key())) {
                    throw new MalformedInputException("key " + key.id() + " may not sign checkpoints of " + id
                            + " at size " + size + ": enrol it for a person with the role checkpoint_signer first"
                            + " (or it was revoked)");
                }
                Hash root = ProofBuilder.of(suite.hash(), tx.tree(size)).root(size);
                stored = Optional.of(signer.sign(Checkpoint.of(origin(), size, root).text()));
                tx.addCheckpoint(size, root, stored.get(), Instant.now());
            }
            tx.commit();
            return stored.get();
        }
    }

    /** The stored checkpoint of the first {@code size} entries, with the cosignatures added to it. */
    public synchronized Optional<SignedNote> checkpoint(long size) {
        return readCheckpoint(size);
    }

    /** The stored checkpoint of the largest size, if any was made. */
    public synchronized Optional<SignedNote> latestCheckpoint() {
        return readCheckpoint(-1);
    }

    private Optional<SignedNote> readCheckpoint(long size) {
        return store.checkpoint(size);
    }

    /** The RFC 3161 token stored with the checkpoint of {@code size}, if a TSA gave one (docs/checkpoints.md §6c). */
    public synchronized Optional<TimestampToken> timestamp(long size) {
        return store.timestamp(size);
    }

    /**
     * Stores a time-stamping authority's token for the stored checkpoint of {@code size}, beside it (the note is
     * unchanged). Its message imprint must be the SHA-256 of that checkpoint's note text; whether the TSA is trusted is
     * for a verifier with the TSA's certificates to say. A checkpoint keeps the first token stored for it.
     *
     * @return the token stored for the checkpoint: {@code token}, or the one it had already
     * @throws org.custody.failure.MalformedInputException if this ledger stored no checkpoint of {@code size}
     * @throws org.custody.timestamp.TimestampVerificationException if the token is not about that checkpoint's text
     */
    public synchronized TimestampToken addTimestamp(long size, TimestampToken token) {
        try (LedgerStore.Transaction tx = store.begin()) {
            SignedNote note = tx.checkpoint(size).orElseThrow(() -> new MalformedInputException("no checkpoint of size "
                    + size + " in " + location + " to add a time-stamp token to (没有该检查点)"));
            token.checkImprint(note.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Optional<TimestampToken> stored = store.timestamp(size);
            if (stored.isEmpty()) {
                tx.addTimestamp(size, token);
            }
            tx.commit();
            return stored.orElse(token);
        }
    }

    /**
     * Asks the TSA {@code tsa} for a token over the stored checkpoint of {@code size} and stores it
     * ({@link #addTimestamp}); the request is made without holding the ledger, so appends go on meanwhile. A
     * checkpoint that has a token already is returned as it is, without asking.
     *
     * @throws org.custody.failure.MalformedInputException if this ledger stored no checkpoint of {@code size}
     * @throws org.custody.timestamp.TimestampUnavailableException if the TSA gave no token: the checkpoint stays as it
     *     was, without one
     */
    public TimestampToken timestampCheckpoint(long size, TsaClient tsa) {
        Optional<TimestampToken> stored = timestamp(size);
        if (stored.isPresent()) {
            return stored.get();
        }
        SignedNote note = checkpoint(size).orElseThrow(() -> new MalformedInputException("no checkpoint of size " + size
                + " in " + location + " to timestamp (没有该检查点)"));
        return addTimestamp(size, tsa.stamp(note.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Adds an inspector's cosignature to the stored checkpoint it cosigned. The note's text must be exactly a stored
     * checkpoint's, and its cosignature by {@code inspector} must verify; only that line is added.
     *
     * @return the stored checkpoint with the cosignature
     * @throws org.custody.failure.MalformedInputException if this ledger stored no such checkpoint
     * @throws org.custody.checkpoint.NoteVerificationException if the inspector's cosignature is missing or bad
     */
    public synchronized SignedNote addCosignature(SignedNote cosigned, NoteKey inspector) {
        if (!inspector.type().isCosignature()) {
            throw new MalformedInputException(inspector + " is not a cosignature key");
        }
        NoteVerifier.of(List.of(inspector)).verify(cosigned).requireCosignatures(1, List.of(inspector.name()),
                java.time.Instant.EPOCH);
        Checkpoint checkpoint = Checkpoint.parse(cosigned.text());
        try (LedgerStore.Transaction tx = store.begin()) {
            Optional<SignedNote> stored = tx.checkpoint(checkpoint.size());
            if (stored.isEmpty() || !stored.get().text().equals(cosigned.text())) {
                throw new MalformedInputException("the cosigned checkpoint of size " + checkpoint.size()
                        + " is not one this ledger signed" + (stored.isEmpty() ? "" : ": its root differs"));
            }
            SignedNote merged = stored.get();
            for (org.custody.checkpoint.NoteSignature line : cosigned.signatures()) {
                if (line.name().equals(inspector.name()) && line.keyId().equals(inspector.id())) {
                    merged = merged.withSignature(line);
                }
            }
            tx.replaceCheckpoint(checkpoint.size(), merged);
            tx.commit();
            return merged;
        }
    }

    /**
     * Has {@code witness} cosign this ledger's latest checkpoint, with a consistency proof from the last checkpoint
     * the witness cosigned for this origin, and stores the cosignature.
     *
     * @return the stored checkpoint with the cosignature
     * @throws IllegalStateException if no checkpoint was made yet
     * @throws org.custody.checkpoint.WitnessRefusedException if the witness finds the ledger rolled back or diverged
     *     from what it cosigned (I09) or the proof fails (I08)
     */
    public synchronized SignedNote cosignLatest(Witness witness) {
        SignedNote latest = latestCheckpoint().orElseThrow(() -> new IllegalStateException(
                "no checkpoint of " + id + " to cosign: make one first"));
        Checkpoint checkpoint = Checkpoint.parse(latest.text());
        Optional<Checkpoint> last = witness.latest(checkpoint.origin());
        ConsistencyProof proof = last.isPresent() && last.get().size() > 0 && last.get().size() < checkpoint.size()
                ? consistencyProof(last.get().size(), checkpoint.size()) : null;
        return addCosignature(witness.cosign(latest.bytes(), proof), witness.key());
    }

    /**
     * The handoff drafts kept beside the ledger in its store for the servers that serve it (docs/formats.md §7.5): in a
     * PostgreSQL store, shared by every server instance on it. Calls take the ledger's lock, as its reads do.
     */
    public org.custody.store.KeptDrafts drafts() {
        return drafts;
    }

    private final org.custody.store.KeptDrafts drafts = new org.custody.store.KeptDrafts() {
        @Override
        public boolean open(org.custody.store.KeptDraft draft) {
            synchronized (Ledger.this) {
                return store.drafts().open(draft);
            }
        }

        @Override
        public Optional<org.custody.store.KeptDraft> get(String draftId) {
            synchronized (Ledger.this) {
                return store.drafts().get(draftId);
            }
        }

        @Override
        public Optional<org.custody.store.KeptDraft> ofRecord(String recordId) {
            synchronized (Ledger.this) {
                return store.drafts().ofRecord(recordId);
            }
        }

        @Override
        public void sign(String draftId, PersonId person, org.custody.crypto.Signature signature, Instant at) {
            synchronized (Ledger.this) {
                store.drafts().sign(draftId, person, signature, at);
            }
        }

        @Override
        public boolean finish(String draftId, String state, Instant finished, org.custody.store.KeptDraft.Outcome outcome) {
            synchronized (Ledger.this) {
                return store.drafts().finish(draftId, state, finished, outcome);
            }
        }

        @Override
        public int expire(Instant now) {
            synchronized (Ledger.this) {
                return store.drafts().expire(now);
            }
        }

        @Override
        public List<org.custody.store.KeptDraft> open() {
            synchronized (Ledger.this) {
                return store.drafts().open();
            }
        }

        @Override
        public long openCount() {
            synchronized (Ledger.this) {
                return store.drafts().openCount();
            }
        }

        @Override
        public int forget(Instant before) {
            synchronized (Ledger.this) {
                return store.drafts().forget(before);
            }
        }
    };

    /** The lock of a duty one process at a time does for this ledger (the checkpointer): see {@link LedgerStore#exclusive}. */
    synchronized org.custody.store.ExclusiveLock exclusive(String duty) {
        return store.exclusive(duty);
    }

    /** Verifies the whole ledger file (see {@link LedgerVerifier}). */
    public AuditReport verify() {
        return verify(location, LedgerVerifier.Options.defaults(), null);
    }

    /**
     * Verifies the ledger at {@code location}, a file or a PostgreSQL schema, on a read connection of its own (see
     * {@link LedgerVerifier}); {@code kept}, a checkpoint kept earlier whose signatures the caller checked, may be null.
     */
    public static AuditReport verify(LedgerLocation location, LedgerVerifier.Options options,
            org.custody.checkpoint.Checkpoint kept) {
        if (location instanceof LedgerLocation.Database d) {
            return LedgerVerifier.verify(d.url(), options, kept);
        }
        Path file = ((LedgerLocation.File) location).path();
        return kept == null ? LedgerVerifier.verify(file, options) : LedgerVerifier.verify(file, options, kept);
    }

    /** Appends the batches queued by {@link #appendAllAsync} (waiting for them), then closes the file. */
    @Override
    public void close() {
        ExecutorService queued;
        synchronized (appenderLock) {
            closing = true;
            queued = appender;
        }
        if (queued != null) {
            queued.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (queued.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    // the queued batches' callers wait for their futures: finish them first
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        closeFile();
    }

    private synchronized void closeFile() {
        store.close();
    }
}
