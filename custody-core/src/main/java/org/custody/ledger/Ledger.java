package org.custody.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.files.OwnerOnly;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteSigner;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.InclusionProof;
import org.custody.merkle.ProofBuilder;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.audit.RefusedException;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.label.LabelVerdict;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Genesis;
import org.custody.record.MalformedRecordException;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.custody.rules.RuleEngine;

/**
 * A ledger in one SQLite file: create or open it, append signed records, read a bag's history, verify.
 *
 * <p>Appends are atomic and durable (WAL, {@code synchronous=FULL}). Each append runs in an immediate
 * transaction that reads the head, checks the record's integrity against the ledger (signatures by
 * enrolled, unrevoked keys of every party; bag links), stores the entry and advances the head by
 * compare-and-swap, so two writers, in one process or two, can never fork the chain. A record that fails
 * a check is refused with {@link AppendRefusedException} and nothing is stored.
 *
 * <p>Instances are safe for use by several threads; calls are serialised.
 */
public final class Ledger implements AutoCloseable {
    private final Path file;
    private final Connection connection;
    private final LedgerId id;
    private final Suite suite;
    /** The custody rules' state as of {@link #rulesApplied} entries; rebuilt from the store when null. */
    private RuleEngine rules;
    private long rulesApplied;
    /** Whether the stored indexes the gate reads were checked against a replay of the entries (once per open ledger). */
    private boolean indexesChecked;
    /** Public keys parsed from the keys table, by id (see {@link SqlState}). */
    private final Map<KeyId, PublicKey> parsedKeys = new ConcurrentHashMap<>();
    /** The Merkle tree and checkpoint keys, kept in the append transaction. */
    private final TransparencyStore transparency;
    /** Most bag heads remembered across transactions; past this, the memory is cleared and refilled. */
    private static final int MAX_KNOWN_BAGS = 1_000_000;
    /** Bag heads as committed when the ledger's head was {@link #knownBagsAt}; see {@link SqlState}. */
    private final Map<BagId, LedgerState.BagHead> knownBags = new HashMap<>();
    /** The head {@link #knownBags} holds for, or {@code null} while a transaction that moved bags is not yet committed. */
    private Head knownBagsAt;
    /** The head the open transaction leaves, which {@link #committed} makes the one {@link #knownBags} holds for. */
    private Head knownBagsAfterCommit;
    /** Moves committed pages from the log into the file, off the appending thread. */
    private final WalCheckpointer checkpointer;
    private final Object appenderLock = new Object();
    /** Who holds which key, as of this instance's last append or refresh; {@code null} until first asked for. */
    private volatile KeyDirectory directory;
    /** Appends the batches of {@link #appendAllAsync} in order; created on first use. */
    private ExecutorService appender;
    /** Set by {@link #close}: no more batches are queued. */
    private boolean closing;

    private Ledger(Path file, Connection connection, LedgerId id, Suite suite) {
        this.file = file;
        this.connection = connection;
        this.id = id;
        this.suite = suite;
        this.transparency = new TransparencyStore(suite.hash());
        this.checkpointer = new WalCheckpointer(file);
    }

    /**
     * Creates a new ledger file whose first entry is {@code genesis}, signed by every founder.
     *
     * @throws LedgerStoreException   if the file exists or cannot be created
     * @throws AppendRefusedException if the genesis record is not validly signed
     */
    public static Ledger create(Path file, SignedRecord genesis) {
        if (!(genesis.record() instanceof Genesis g)) {
            throw new MalformedInputException("a ledger starts with a genesis record, not " + genesis.record().type());
        }
        if (Files.exists(file)) {
            throw new LedgerStoreException("cannot create ledger " + file + ": the file already exists");
        }
        try {
            // owner-only from the start: SQLite gives the -wal and -shm files it creates the ledger file's permissions
            OwnerOnly.createFile(file);
        } catch (java.io.IOException e) {
            throw new LedgerStoreException("cannot create ledger " + file + ": " + e.getMessage(), e);
        }
        Connection c = null;
        try {
            c = Sqlite.writer(file);
            Sqlite.begin(c);
            Schema.create(c);
            Meta.write(c, g.ledger(), g.suite());
            Ledger ledger = new Ledger(file, c, g.ledger(), g.suite());
            ledger.appendInTransaction(List.of(genesis), -1, null, null);
            Sqlite.commit(c);
            ledger.committed();
            return ledger;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(Path.of(file + "-wal"));
                Files.deleteIfExists(Path.of(file + "-shm"));
            } catch (java.io.IOException ignored) {
                // nothing more to clean up
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new LedgerStoreException("cannot create ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing ledger file.
     *
     * @throws LedgerStoreException if the file is missing or is not a Custody ledger of a known schema version
     */
    public static Ledger open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LedgerStoreException("no ledger at " + file + "; create one first");
        }
        Connection c = null;
        try {
            c = Sqlite.writer(file);
            Meta meta = Meta.read(c, file);
            if (meta.schemaVersion() < Schema.VERSION) {
                SchemaMigration.migrate(c, file, meta.suite());
            }
            return new Ledger(file, c, meta.ledger(), meta.suite());
        } catch (SQLException e) {
            closeQuietly(c);
            throw new LedgerStoreException("cannot open ledger " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    public LedgerId id() {
        return id;
    }

    public Suite suite() {
        return suite;
    }

    public Path file() {
        return file;
    }

    /** Appends one signed record at the end of the ledger. */
    public Appended append(SignedRecord record) {
        return appendBatch(List.of(record), -1, -1, null).get(0);
    }

    /**
     * Appends one signed record only if the ledger still ends where the caller last saw it: {@code expected}
     * is the head the record was prepared against. Refused with I06 or I02 otherwise.
     */
    public Appended append(SignedRecord record, Head expected) {
        return appendBatch(List.of(record), -1, expected.size(), expected.hash()).get(0);
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
        return appendBatch(records, 0, -1, null);
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
        Prechecks prechecks = Prechecks.start(batch, parsedKeys);
        try {
            appender().execute(() -> {
                try {
                    out.complete(appendBatch(batch, 0, -1, null, prechecks));
                } catch (RuntimeException | Error e) {
                    out.completeExceptionally(e);
                } finally {
                    prechecks.close();
                }
            });
        } catch (RejectedExecutionException e) {
            prechecks.close();
            out.completeExceptionally(new LedgerStoreException("cannot append to " + file + ": the ledger is closed", e));
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

    private List<Appended> appendBatch(List<SignedRecord> records, int indexBase, long expectedSize, Hash expectedHash) {
        return appendBatch(records, indexBase, expectedSize, expectedHash, null);
    }

    /**
     * {@code indexBase} is 0 for {@link #appendAll}, whose refusals name the record's position, and -1 otherwise;
     * {@code prechecks} holds signature results started early for {@code records}, or is {@code null}.
     */
    private synchronized List<Appended> appendBatch(List<SignedRecord> records, int indexBase, long expectedSize,
                                                    Hash expectedHash, Prechecks prechecks) {
        try {
            Sqlite.begin(connection);
            Head expected = expectedSize < 0 ? null : new Head(expectedSize, expectedHash);
            long firstSeq = currentHead().size();
            List<Appended> out = appendInTransaction(records, indexBase, expected, prechecks);
            Sqlite.commit(connection);
            committed();
            try {
                foldIntoDirectory(firstSeq, records, out);
            } catch (RuntimeException e) {
                directory = null; // the batch is committed: read the directory again when next asked
            }
            checkpointer.committed(out.size());
            return out;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new LedgerStoreException("cannot append to " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            // an Error too (out of memory, say): the transaction, the tree's edge and the remembered bag heads
            // must not outlive a batch that was not committed
            rollbackQuietly();
            throw e;
        }
    }

    /**
     * Checks and stores {@code records} inside the current transaction; the caller commits or rolls back,
     * then calls {@link #committed}. {@code indexBase} is 0 for batches (errors name the record's position)
     * and -1 for single records.
     */
    private List<Appended> appendInTransaction(List<SignedRecord> records, int indexBase, Head expected,
                                               Prechecks prechecks) throws SQLException {
        Head head = currentHead();
        if (expected != null && !expected.equals(head)) {
            FindingCode code = expected.size() != head.size() ? FindingCode.I06 : FindingCode.I02;
            throw new AppendRefusedException(-1, List.of(Finding.of(code, expected.size(), null,
                    "the ledger moved on since the record was prepared").comparing(expected, head)));
        }
        if (!head.equals(knownBagsAt) || knownBags.size() > MAX_KNOWN_BAGS) {
            knownBags.clear();
        }
        knownBagsAt = null;
        long seq = head.size();
        Hash prev = head.size() == 0 ? Hash.ZERO : head.hash();
        List<Appended> results = new ArrayList<>(records.size());
        Map<String, Stored> stored = stored(records);
        try (SignatureChecks signatures = new SignatureChecks();
             SqlState state = new SqlState(connection, seq == 0 ? null : id, suite, parsedKeys, knownBags);
             RowBuffer entryRows = new RowBuffer(connection, "INSERT INTO entries (seq, hash, record_id, type, at, body)", 6, "");
             RowBuffer bagLinks = new RowBuffer(connection, "INSERT INTO bag_links (seq, bag, prev)", 3, "")) {
            EntryChecker checker = new EntryChecker(state);
            RuleEngine engine = rulesAt(seq);
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
                    entry = Entry.create(seq, prev, record);
                } catch (MalformedInputException e) {
                    throw refused(index, Finding.of(FindingCode.I01, seq, null, e.getMessage()));
                }
                Hash hash = entry.hash(suite.hash());
                List<BagId> bags = Bags.named(entry.record());
                Long[] bagPrevs = new Long[bags.size()];
                for (int b = 0; b < bagPrevs.length; b++) {
                    bagPrevs[b] = state.bagHead(bags.get(b)).map(LedgerState.BagHead::seq).orElse(null);
                }
                List<Finding> findings = new ArrayList<>(0);
                EntryChecker.Pending pending = checker.check(entry, hash, seq, prev, findings);
                if (!findings.isEmpty()) {
                    throw new AppendRefusedException(index, findings);
                }
                signatures.start(index, pending, records.size() == 1, prechecks, i, record);
                List<Finding> ruleFindings = engine.check(seq, hash, record.record());
                if (!ruleFindings.isEmpty() && engine.policyFor(record.record()).mode() == Policy.Mode.STRICT) {
                    List<Finding> refusing = ruleFindings.stream().filter(f -> RuleEngine.refusable(f.code())).toList();
                    if (!refusing.isEmpty()) {
                        signatures.awaitAll();
                        throw new AppendRefusedException(index, refusing);
                    }
                }
                engine.apply(seq, hash, record.record());
                rulesApplied = seq + 1;
                // the one place an entry is stored: its row, and a link from each bag it names to the bag's previous entry
                entryRows.add(seq, hash.bytes(), recordId, record.record().type(), record.record().at().toString(),
                        entry.canonicalBytes());
                transparency.appended(connection, seq, entry);
                for (int b = 0; b < bagPrevs.length; b++) {
                    bagLinks.add(seq, bags.get(b).value(), bagPrevs[b]);
                }
                Appended appended = new Appended(seq, hash, false, ruleFindings);
                results.add(appended);
                stored.put(recordId, new Stored(appended, record.canonicalRecord()));
                seq++;
                prev = hash;
            }
            // the last rows go to SQLite while the signature threads finish; nothing commits before they have
            entryRows.flush();
            bagLinks.flush();
            state.flush();
            signatures.awaitAll();
            knownBags.putAll(state.movedBags());
        }
        if (seq != head.size()) {
            advanceHead(head, seq, prev);
        }
        knownBagsAfterCommit = new Head(seq, prev);
        return results;
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
        KeyDirectory.Folder folder = new KeyDirectory.Folder(d);
        long end = firstSeq;
        for (int i = 0; i < out.size(); i++) {
            Appended a = out.get(i);
            if (!a.alreadyPresent()) {
                folder.apply(a.seq(), records.get(i).record());
                end = Math.max(end, a.seq() + 1);
            }
        }
        folder.advanceTo(end);
        directory = folder.directory();
    }

    /** Called once the append transaction has committed. */
    private void committed() {
        knownBagsAt = knownBagsAfterCommit;
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

    /** Entries already stored under the record ids of {@code records}, looked up in a few queries rather than one per record. */
    private Map<String, Stored> stored(List<SignedRecord> records) throws SQLException {
        Map<String, Stored> out = new HashMap<>();
        int step = 500;
        for (int from = 0; from < records.size(); from += step) {
            int to = Math.min(records.size(), from + step);
            String sql = "SELECT seq, hash, body FROM entries WHERE record_id IN (" + "?, ".repeat(to - from - 1) + "?)";
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (int i = from; i < to; i++) {
                    s.setString(i - from + 1, records.get(i).record().id().value());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Entry entry = Entry.decode(rs.getBytes(3));
                        out.put(entry.record().id().value(), new Stored(new Appended(rs.getLong(1), Hash.of(rs.getBytes(2)), true),
                                entry.signed().canonicalRecord()));
                    }
                }
            }
        }
        return out;
    }

    /** The rule engine brought up to {@code size} entries, replaying what this instance has not seen yet. */
    private RuleEngine rulesAt(long size) throws SQLException {
        if (rules == null || rulesApplied > size) {
            rules = new RuleEngine();
            rulesApplied = 0;
        }
        if (rulesApplied < size) {
            // the first replay of this open ledger also checks the stored indexes the gate reads (StoredAudit.GateReplay)
            StoredAudit.GateReplay check = indexesChecked || rulesApplied > 0 ? null : new StoredAudit.GateReplay(connection, id, suite);
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT seq, hash, body, record_id, type, at FROM entries WHERE seq >= ? ORDER BY seq")) {
                s.setLong(1, rulesApplied);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        byte[] body = rs.getBytes(3);
                        Entry entry = Entry.decode(body);
                        if (check != null) {
                            check.entry(rs.getLong(1), new StoredAudit.Row(rs.getBytes(2), rs.getString(4), rs.getString(5),
                                    rs.getString(6)), body, entry);
                        }
                        rules.apply(rs.getLong(1), Hash.of(rs.getBytes(2)), entry.record());
                        rulesApplied = rs.getLong(1) + 1;
                    }
                }
            }
            if (check != null) {
                List<Finding> findings = check.finish();
                if (!findings.isEmpty()) {
                    rules = null;
                    throw new AppendRefusedException(-1, findings);
                }
                indexesChecked = true;
            }
        }
        return rules;
    }

    private void advanceHead(Head from, long size, Hash hash) throws SQLException {
        String sql = from.size() == 0
                ? "INSERT INTO head (id, seq, hash) VALUES (1, ?, ?)"
                : "UPDATE head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ?";
        try (PreparedStatement cas = connection.prepareStatement(sql)) {
            cas.setLong(1, size - 1);
            cas.setBytes(2, hash.bytes());
            if (from.size() > 0) {
                cas.setLong(3, from.size() - 1);
                cas.setBytes(4, from.hash().bytes());
            }
            if (cas.executeUpdate() != 1) {
                throw new LedgerStoreException("the ledger head moved during the append; nothing was stored, retry");
            }
        }
    }

    private static AppendRefusedException refused(int index, Finding finding) {
        return new AppendRefusedException(index, List.of(finding));
    }

    /** The current end of the ledger. */
    public synchronized Head head() {
        try {
            return currentHead();
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read the head of " + file + ": " + e.getMessage(), e);
        }
    }

    private Head currentHead() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM head WHERE id = 1")) {
            return rs.next() ? new Head(rs.getLong(1) + 1, Hash.of(rs.getBytes(2))) : new Head(0, Hash.ZERO);
        }
    }

    /** The entry at {@code seq}, if the ledger has one. */
    public synchronized Optional<Entry> entry(long seq) {
        return query("SELECT body FROM entries WHERE seq = ?", seq, null).stream().findFirst();
    }

    /** Every entry that named {@code bag}, oldest first: its registration, handoffs and incidents. */
    public synchronized List<Entry> history(BagId bag) {
        // the bag's chain of links, from its last entry back to its registration
        return query("WITH RECURSIVE chain (seq) AS (SELECT seq FROM bag_heads WHERE bag = ?1"
                + " UNION ALL SELECT l.prev FROM chain c JOIN bag_links l ON l.seq = c.seq AND l.bag = ?1 WHERE l.prev IS NOT NULL)"
                + " SELECT e.body FROM chain c JOIN entries e ON e.seq = c.seq ORDER BY c.seq", -1, bag.value());
    }

    /**
     * Every entry whose record is of {@code type} ({@code register}, {@code schedule}, ...; see docs/formats.md §3.1),
     * oldest first: e.g. the registrations, to list every bag for printing labels.
     */
    public synchronized List<Entry> entriesOfType(String type) {
        return query("SELECT body FROM entries WHERE type = ? ORDER BY seq", -1, type);
    }

    /** The hash of the last entry that named {@code bag}: what the next handoff of the bag links to. */
    public synchronized Optional<Hash> bagHead(BagId bag) {
        try (PreparedStatement s = connection.prepareStatement("SELECT hash FROM bag_heads WHERE bag = ?")) {
            s.setString(1, bag.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(Hash.of(rs.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read bag " + bag + ": " + e.getMessage(), e);
        }
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
        try {
            Head head = currentHead();
            if (head.size() == d.size()) {
                directory = d;
                return d;
            }
            KeyDirectory.Folder folder = new KeyDirectory.Folder(d);
            try (PreparedStatement s = connection.prepareStatement("SELECT seq, body FROM entries WHERE seq >= ?"
                    + " AND type IN ('genesis', 'enrol', 'revoke') ORDER BY seq")) {
                s.setLong(1, d.size());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        folder.apply(rs.getLong(1), Entry.decode(rs.getBytes(2)).record());
                    }
                }
            }
            folder.advanceTo(head.size());
            directory = folder.directory();
            return directory;
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read the enrolled keys of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every bag and container registered in the ledger, in registration order. */
    public synchronized List<Bag> bags() {
        List<Bag> bags = new ArrayList<>();
        for (Entry e : query("SELECT body FROM entries WHERE type = 'register' ORDER BY seq", -1, null)) {
            bags.addAll(((Registration) e.record()).bags());
        }
        return bags;
    }

    /** A draft of {@code handoff} for this ledger (its ledger id filled in): signed by every party, then appended. */
    public Draft draft(Handoff.Builder handoff) {
        return new Draft(this, handoff.ledger(id).build());
    }

    /** A draft of {@code incident} for this ledger (its ledger id filled in). */
    public Draft draft(Incident.Builder incident) {
        return new Draft(this, incident.ledger(id).build());
    }

    /** A draft of a record made for this ledger (any type: enrolment, policy, schedule, ...). */
    public Draft draft(Record record) {
        return new Draft(this, record);
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
        try {
            Head head = currentHead();
            List<Finding> findings = new ArrayList<>();
            for (BagMove move : record.moves()) {
                Optional<Hash> current = bagHead(move.bag());
                if (current.isEmpty() || !current.get().equals(move.prev())) {
                    findings.add(Finding.of(FindingCode.I07, head.size(), null, "bag " + move.bag()
                            + (current.isEmpty() ? " is not registered" : " has moved on since the draft was made"))
                            .comparing(current.map(Hash::hex).orElse("none"), move.prev().hex()));
                }
            }
            findings.addAll(rulesAt(head.size()).check(head.size(), null, record));
            return findings;
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Those of {@code findings} that would refuse {@code record}: integrity findings, and refusable rules under a strict policy. */
    synchronized List<Finding> refusals(Record record, List<Finding> findings) {
        boolean strict;
        try {
            strict = rulesAt(currentHead().size()).policyFor(record).mode() == Policy.Mode.STRICT;
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return findings.stream().filter(f -> f.code().findingClass() == org.custody.audit.FindingClass.INTEGRITY
                || (strict && RuleEngine.refusable(f.code()))).toList();
    }

    /** Runs {@code sql} with one parameter: {@code text} if given, else {@code number} if not negative, else none. */
    private List<Entry> query(String sql, long number, String text) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (text != null) {
                s.setString(1, text);
            } else if (number >= 0) {
                s.setLong(1, number);
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(Entry.decode(rs.getBytes(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (MalformedRecordException e) {
            throw new LedgerStoreException("a stored entry is damaged (" + e.getMessage() + "); run a verification", e);
        }
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
            throw new MalformedInputException("tree size " + size + " is not in 0.." + stored + " (the entries in " + file + ")");
        }
        return ProofBuilder.of(suite.hash(), transparency.tree(connection, size));
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
        try {
            return CheckpointStore.keys(connection, origin(), size);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read the checkpoint keys of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Signs and stores a checkpoint of the ledger as it is now, with {@code key}, or returns the one stored for this
     * size already. The key must be one of {@link #checkpointKeys} for the current size.
     *
     * @throws org.custody.failure.MalformedInputException if the ledger is empty or {@code key} may not sign its checkpoints
     */
    public synchronized SignedNote signCheckpoint(SigningKey key) {
        try {
            Sqlite.begin(connection);
            try {
                long size = currentHead().size();
                Optional<SignedNote> stored = CheckpointStore.read(connection, size);
                if (stored.isEmpty()) {
                    NoteSigner signer = NoteSigner.of(origin(), key);
                    if (!CheckpointStore.keys(connection, origin(), size).contains(signer.key())) {
                        throw new MalformedInputException("key " + key.id() + " may not sign checkpoints of " + id
                                + " at size " + size + ": enrol it for a person with the role checkpoint_signer first"
                                + " (or it was revoked)");
                    }
                    Hash root = ProofBuilder.of(suite.hash(), transparency.tree(connection, size)).root(size);
                    stored = Optional.of(signer.sign(Checkpoint.of(origin(), size, root).text()));
                    CheckpointStore.insert(connection, size, root.bytes(), stored.get(), java.time.Instant.now());
                }
                Sqlite.commit(connection);
                return stored.get();
            } catch (SQLException | RuntimeException e) {
                rollbackCheckpointQuietly();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot store a checkpoint in " + file + ": " + e.getMessage(), e);
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
        try {
            return CheckpointStore.read(connection, size);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read the checkpoints of " + file + ": " + e.getMessage(), e);
        }
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
        try {
            Sqlite.begin(connection);
            try {
                Optional<SignedNote> stored = CheckpointStore.read(connection, checkpoint.size());
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
                CheckpointStore.replace(connection, checkpoint.size(), merged);
                Sqlite.commit(connection);
                return merged;
            } catch (SQLException | RuntimeException e) {
                rollbackCheckpointQuietly();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot store a cosignature in " + file + ": " + e.getMessage(), e);
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

    /** Ends a checkpoint transaction that failed; it changed no entry, so the rule engine's state stays valid. */
    private void rollbackCheckpointQuietly() {
        try {
            Sqlite.rollback(connection);
        } catch (SQLException ignored) {
            // no transaction was open (BEGIN failed), or the connection is unusable; the next call reports it
        }
    }

    /** Verifies the whole ledger file (see {@link LedgerVerifier}). */
    public AuditReport verify() {
        return LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
    }

    private void rollbackQuietly() {
        rules = null;
        transparency.discard();
        knownBags.clear();
        try {
            Sqlite.rollback(connection);
        } catch (SQLException ignored) {
            // no transaction was open (BEGIN failed), or the connection is unusable; the next call reports it
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
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
        checkpointer.close();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
