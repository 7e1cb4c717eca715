package org.custody.ledger.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.Head;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.gate.EntryChecker;
import org.custody.ledger.gate.LedgerState;
import org.custody.ledger.gate.MemoryState;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.ledger.sqlite.StoredAudit;
import org.custody.record.Entry;
import org.custody.record.MalformedRecordException;
import org.custody.rules.RuleEngine;

/**
 * Streams a ledger file and reports every integrity finding (I01-I07; I08 for a stored Merkle tree, checkpoint or
 * inspector's cosignature that does not match the entries; I09 against a kept head or checkpoint; I11 for any other
 * stored derived value that disagrees with the entries, {@link StoredAudit})
 * and every custody rule finding (R01-R25), in ledger order. Memory grows with the number of bags and keys, not entries: entries are read in
 * chunks, decoded and checked in order on the calling thread, and each chunk's signatures are checked on a pool
 * while the next chunk is decoded and checked (a pipeline, so no core waits for the ordered part).
 */
public final class LedgerVerifier {
    private static final int CHUNK = 1024;
    /** Chunks whose signatures may be checked while the next is: enough to keep the pool busy, few for memory. */
    private static final int IN_FLIGHT = 2;
    static final byte[] HASH_LABEL = Entry.HASH_LABEL.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Options options;
    private final Map<FindingCode, Long> counts = new EnumMap<>(FindingCode.class);
    private final List<Finding> kept = new ArrayList<>();
    private MemoryState state;
    private RuleEngine rules = new RuleEngine();
    private final ExceptionLog exceptions = new ExceptionLog();
    private Hash expectedPrev = Hash.ZERO;
    private long expectedSeq;
    private long read;
    private Hash keptHeadActual;
    private final java.util.ArrayDeque<Checked> inFlight = new java.util.ArrayDeque<>();

    /** A chunk checked in order, with its findings so far and its signature checks (running or done). */
    private record Checked(List<List<Finding>> findings, ForkJoinTask<?> signatures, long read) {}

    /** A checkpoint the inspector kept earlier, or null. */
    private final Checkpoint keptCheckpoint;
    private TreeAudit tree;
    private StoredAudit stored;
    private CosignatureAudit cosignatures;
    private final AppendTimes appendTimes = new AppendTimes();
    private TimestampAudit timestamps;
    /** The entries corrections refer to (read ahead). */
    private final java.util.Set<Hash> corrected = new java.util.HashSet<>();
    /** Verifying since a kept state: the signers of the entries before it that corrections refer to. */
    private final Map<Hash, List<org.custody.model.PersonId>> signersBefore = new java.util.HashMap<>();
    /** Verifying since a kept state: its latest record time, and what the entries it covers hash to now. */
    private java.time.Instant keptLatest;
    private Hash sinceHead;
    private Hash sinceRoot;
    private final List<org.custody.audit.Coverage.ReachBack> reachesBack = new ArrayList<>();

    private LedgerVerifier(Options options, Checkpoint keptCheckpoint) {
        this.options = options;
        this.keptCheckpoint = keptCheckpoint;
    }

    /**
     * What to check beyond the file itself, and how to report.
     *
     * @param expecting a head the inspector kept earlier: the ledger must still hold it (I09), or {@code null}
     * @param progress  called with the number of entries checked so far, after each chunk
     * @param findings  called with each finding as it is made
     * @param threads   threads for decoding and signature checks
     * @param incremental skip the signatures of the entries the kept checkpoint covers ({@link #sinceKept})
     * @param since     a verification state kept after an earlier verification: check only the entries after it
     *                  ({@link #since(VerificationState)}), or {@code null}
     * @param keepState given the state after the last entry when the verification found the entries intact
     *                  ({@link #keepingState}), or {@code null}
     * @param witnesses the reader's witness quorum on the latest stored checkpoint ({@link #requiringWitnesses}), or
     *                  {@code null}
     * @param tsa       the TSA certificates the inspector trusts, for the checkpoints' time-stamp tokens
     *                  ({@link #withTsa}), or {@code null}
     */
    public record Options(Head expecting, LongConsumer progress, Consumer<Finding> findings, int threads, boolean incremental,
                          VerificationState since, Consumer<VerificationState> keepState,
                          org.custody.checkpoint.WitnessQuorum witnesses, org.custody.timestamp.TimestampVerifier tsa) {
        public Options(Head expecting, LongConsumer progress, Consumer<Finding> findings, int threads) {
            this(expecting, progress, findings, threads, false, null, null, null, null);
        }

        /**
         * Requires the latest stored checkpoint to be cosigned by {@code witnesses}' quorum, with the reader's own witness
         * keys (docs/checkpoints.md §6b); not met, or no checkpoint, is an I08 finding.
         */
        public Options requiringWitnesses(org.custody.checkpoint.WitnessQuorum witnesses) {
            return new Options(expecting, progress, findings, threads, incremental, since, keepState,
                    java.util.Objects.requireNonNull(witnesses), tsa);
        }

        public static Options defaults() {
            return new Options(null, n -> { }, f -> { }, Runtime.getRuntime().availableProcessors(), false, null, null, null, null);
        }

        /**
         * Checks the checkpoints' time-stamp tokens under the TSA certificates {@code tsa} trusts, and bounds the entries'
         * append times by the verified ones (docs/formats.md §6.3). Without it a token is only checked to be about its
         * checkpoint.
         */
        public Options withTsa(org.custody.timestamp.TimestampVerifier tsa) {
            return new Options(expecting, progress, findings, threads, incremental, since, keepState, witnesses,
                    java.util.Objects.requireNonNull(tsa));
        }

        public Options expecting(Head head) {
            return new Options(head, progress, findings, threads, incremental, since, keepState, witnesses, tsa);
        }

        public Options withProgress(LongConsumer progress) {
            return new Options(expecting, progress, findings, threads, incremental, since, keepState, witnesses, tsa);
        }

        public Options withFindings(Consumer<Finding> findings) {
            return new Options(expecting, progress, findings, threads, incremental, since, keepState, witnesses, tsa);
        }

        public Options withThreads(int threads) {
            return new Options(expecting, progress, findings, Math.max(1, threads), incremental, since, keepState, witnesses, tsa);
        }

        /**
         * An incremental verification against a checkpoint the inspector kept after verifying the ledger
         * ({@link LedgerVerifier#verify(Path, Options, Checkpoint)}): the entries it covers must still be the ones it
         * covers (its root, I09), and their signatures, the costly part, are not checked again; everything else is,
         * and every entry after it is checked in full. The report says from which entry signatures were checked.
         */
        public Options sinceKept() {
            return new Options(expecting, progress, findings, threads, true, since, keepState, witnesses, tsa);
        }

        /**
         * An incremental verification from {@code state}, which an earlier verification of this ledger kept
         * ({@link #keepingState}): the entries it covers are only re-hashed, to be the same bytes (their Merkle root and
         * last hash, I09), and the verification carries on from the state as it was after them; the entries after it
         * are checked in full, and so is every index the file keeps after the last entry. The report's
         * {@link AuditReport#coverage()} says what was covered (docs/formats.md §6.4).
         */
        public Options since(VerificationState state) {
            return new Options(expecting, progress, findings, threads, incremental, java.util.Objects.requireNonNull(state), keepState, witnesses, tsa);
        }

        /** Hands {@code keep} the verification state after the last entry, if the verification finds the entries intact. */
        public Options keepingState(Consumer<VerificationState> keep) {
            return new Options(expecting, progress, findings, threads, incremental, since, java.util.Objects.requireNonNull(keep), witnesses, tsa);
        }
    }

    /** Number of entries in the ledger file, for progress displays. */
    public static long size(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LedgerStoreException("no ledger at " + file);
        }
        try (Connection c = Sqlite.reader(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM entries")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the ledger file at {@code file}.
     *
     * @throws LedgerStoreException if the file is missing or is not a Custody ledger
     */
    public static AuditReport verify(Path file, Options options) {
        return verify(new JdbcEntrySource(file), options, null);
    }

    /**
     * Verifies the ledger kept in the PostgreSQL schema {@code url} names, every stored index included, as a file is.
     *
     * @throws LedgerStoreException if the database cannot be reached or the schema holds no Custody ledger
     */
    public static AuditReport verify(org.custody.ledger.postgres.PostgresUrl url, Options options, Checkpoint kept) {
        return verify(new JdbcEntrySource(url), options, kept);
    }

    /**
     * Verifies the ledger file at {@code file} and that it only grew since {@code kept}, a checkpoint the inspector
     * kept earlier (whose signatures the caller has checked): I09 if the ledger is shorter, is another log, or its
     * first {@code kept.size()} entries have another Merkle root.
     *
     * @throws LedgerStoreException if the file is missing or is not a Custody ledger
     */
    public static AuditReport verify(Path file, Options options, Checkpoint kept) {
        return verify(new JdbcEntrySource(file), options, java.util.Objects.requireNonNull(kept, "kept"));
    }

    /**
     * Verifies what {@code source} holds (a ledger file, or a bundle read from its file), and closes it; {@code kept}
     * may be null. Sources without index tables or columns (a bundle) have everything else checked as a file has.
     */
    public static AuditReport verify(EntrySource source, Options options, Checkpoint kept) {
        if (options.incremental() && kept == null) {
            throw new IllegalArgumentException("an incremental verification needs the checkpoint kept since the last one");
        }
        try (source) {
            return new LedgerVerifier(options, kept).run(source);
        }
    }

    private AuditReport run(EntrySource source) {
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            List<String> metaDamage = new ArrayList<>();
            Meta meta = source.meta(metaDamage::add);
            state = new MemoryState(meta.suite());
            VerificationState since = options.since();
            List<EntrySource.StoredCheckpoint> checkpoints = source.checkpoints();
            tree = new TreeAudit(source.tiles(), checkpoints, meta, keptCheckpoint);
            cosignatures = new CosignatureAudit(meta, checkpoints, options.witnesses());
            timestamps = new TimestampAudit(checkpoints, source.timestamps(), options.tsa());
            timestamps.start(this::report);
            if (since == null) {
                stored = new StoredAudit(source.indexes(), meta);
            } else {
                restore(since, meta);
                Map<org.custody.crypto.KeyId, Long> enrolled = new java.util.HashMap<>();
                since.checkpointKeys().forEach((id, k) -> enrolled.put(id, k.enrolled()));
                stored = new StoredAudit(source.indexes(), meta, since.size(), enrolled);
            }
            metaDamage.forEach(d -> report(StoredAudit.metaDamaged(d)));
            readAhead(source);
            Chunk[] chunk = {new Chunk()};
            source.entries((position, body, row) -> {
                if (since != null && position < since.size()) {
                    before(position, body, row);
                    return;
                }
                chunk[0].add(position, body, row);
                if (chunk[0].bodies.size() == CHUNK) {
                    process(chunk[0], pool);
                    chunk[0] = new Chunk();
                }
            });
            process(chunk[0], pool);
            while (!inFlight.isEmpty()) {
                finish(inFlight.removeFirst());
            }
            tree.finish(expectedSeq - 1, this::report);
            stored.finish(expectedSeq - 1, state, this::report);
            stored.finishRules(expectedSeq, expectedPrev, rules, this::report);
            stored.close();
            cosignatures.finish(expectedSeq - 1, state, this::report);
            checkStoredHead(source.head());
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read the indexes of " + source.name() + ": " + e.getMessage(), e);
        } finally {
            inFlight.forEach(checked -> checked.signatures().cancel(false));
            pool.shutdown();
        }
        checkKeptHead();
        checkSince();
        rules.finish(rules.latest()).forEach(this::report);
        VerificationState since = options.since();
        AuditReport report = new AuditReport(state == null || state.ledger() == null ? null : state.ledger().value(),
                read == 0 ? null : rules.latest(), read, read == 0 ? null : expectedPrev, kept, counts,
                exceptions.kept(), exceptions.count(), cosignatures == null ? List.of() : cosignatures.untrusted(),
                Math.min(signaturesFrom(), read), since == null ? null
                        : new org.custody.audit.Coverage(Math.min(since.size(), read), read, since.digest().hex(), reachesBack));
        if (options.keepState() != null && report.intact() && read > 0) {
            options.keepState().accept(keptState());
        }
        return report;
    }

    /** Carries on from {@code since}: the keys, bag heads, rules' state and audits as the entries it covers left them. */
    private void restore(VerificationState since, Meta meta) {
        if (!since.ledger().equals(meta.ledger()) || since.suite() != meta.suite()) {
            throw new org.custody.failure.MalformedInputException("the kept verification state is of the ledger " + since.ledger()
                    + " (" + since.suite().wire() + "), this file holds " + meta.ledger() + " (" + meta.suite().wire()
                    + "): give the state kept for this ledger, or verify it in full (核验状态与该账本不符)");
        }
        state.initialise(since.ledger(), since.suite());
        since.keys().forEach(state::putKey);
        since.bagHeads().forEach(state::putBagHead);
        rules = RuleEngine.restored(new KeptRows(since.rules()));
        rules.signersFrom(h -> java.util.Optional.ofNullable(signersBefore.get(h)));
        keptLatest = rules.latest();
        tree.restore(since.checkpointKeys());
        cosignatures.restore(rules.people(), since.checkpointKeys().keySet());
        appendTimes.restore(since.appended(), since.appendedSeq());
    }

    /** The rules' state rows a kept verification state holds. */
    private static final class KeptRows implements RuleEngine.StateRows {
        private final Map<String, Map<String, RuleEngine.Row>> byKind = new java.util.HashMap<>();

        KeptRows(List<RuleEngine.Row> rows) {
            rows.forEach(r -> byKind.computeIfAbsent(r.kind(), k -> new java.util.HashMap<>()).put(r.key(), r));
        }

        @Override
        public java.util.Optional<byte[]> row(String kind, String key) {
            return java.util.Optional.ofNullable(byKind.getOrDefault(kind, Map.of()).get(key)).map(RuleEngine.Row::value);
        }

        @Override
        public void rows(String kind, java.util.function.BiConsumer<String, byte[]> each) {
            byKind.getOrDefault(kind, Map.of()).forEach((key, row) -> each.accept(key, row.value()));
        }

        @Override
        public List<String> keys(String kind, String group) {
            return byKind.getOrDefault(kind, Map.of()).values().stream().filter(r -> group.equals(r.group())).map(RuleEngine.Row::key).toList();
        }
    }

    /**
     * An entry a kept verification state covers: only hashed (its leaf into the tree, whose tiles and stored checkpoints
     * are checked as ever, and its entry hash, against the stored hash column), and decoded only if it ends a stored
     * checkpoint (its append time, for the cosignatures) or a correction refers to it (its signers, for R17).
     */
    private void before(long position, byte[] body, StoredAudit.Row row) {
        Hash hash = state.suite().hash().digest(HASH_LABEL, body);
        List<Finding> out = new ArrayList<>(0);
        stored.entryBefore(position, hash, row, out);
        boolean refersTo = corrected.contains(hash);
        if (refersTo || cosignatures.endsCheckpoint(position)) {
            try {
                Entry entry = Entry.decode(body);
                cosignatures.appended(position, entry);
                if (refersTo) {
                    signersBefore.put(hash, entry.record().parties());
                }
            } catch (MalformedRecordException e) {
                // its bytes are the kept root's or I09 says otherwise; they were judged when the state was kept
            }
        }
        tree.leaf(position, body, null, out::add);
        if (tree.size() == options.since().size()) {
            sinceHead = hash;
            sinceRoot = tree.root();
        }
        noteKeptHead(position, hash);
        out.forEach(this::report);
        expectedPrev = hash;
        expectedSeq = position + 1;
        read++;
        if (read % CHUNK == 0) {
            options.progress().accept(read);
        }
    }

    /** Verifying since a kept state: the entries it covers must be the same bytes (I09 otherwise). */
    private void checkSince() {
        VerificationState since = options.since();
        if (since == null) {
            return;
        }
        if (sinceRoot == null) {
            report(Finding.of(FindingCode.I09, expectedSeq, null, "the ledger has " + read + " entries before the "
                    + since.size() + " of the kept verification state: it was truncated, or entries were removed")
                    .inChinese("账本短于已保存的核验状态：记录被截断或删除").comparing(since.size() + " entries", read + " entries"));
        } else if (!since.head().equals(sinceHead)) {
            report(Finding.of(FindingCode.I09, since.size() - 1, sinceHead, "entry " + (since.size() - 1) + " differs from the"
                    + " last entry of the kept verification state: history was rewritten").inChinese("该记录与已保存核验状态的最后一条记录不符：历史被改写")
                    .comparing(since.head(), sinceHead));
        } else if (!since.root().equals(sinceRoot)) {
            report(Finding.of(FindingCode.I09, since.size() - 1, null, "the first " + since.size() + " entries have another"
                    + " Merkle root than the kept verification state: an entry at or before " + (since.size() - 1)
                    + " was rewritten, removed or inserted").inChinese("前" + since.size() + "条记录的默克尔根与已保存的核验状态不符：记录被改写、删除或插入")
                    .comparing(since.root(), sinceRoot));
        }
    }

    /** The state after the last entry, for the next verification to start from. */
    private VerificationState keptState() {
        List<RuleEngine.Row> rows = new ArrayList<>();
        rules.forEachKey((kind, key) -> rules.row(kind, key).ifPresent(rows::add));
        return new VerificationState(state.ledger(), state.suite(), read, expectedPrev, tree.root(), appendTimes.last(),
                appendTimes.lastPosition(), List.copyOf(state.keys()), tree.checkpointKeys(), state.bagHeads(), rows);
    }

    /** Entries read but not yet checked. */
    private static final class Chunk {
        final List<byte[]> bodies = new ArrayList<>(CHUNK);
        final List<Long> positions = new ArrayList<>(CHUNK);
        final List<StoredAudit.Row> rows = new ArrayList<>(CHUNK);

        void add(long position, byte[] body, StoredAudit.Row row) {
            positions.add(position);
            bodies.add(body);
            rows.add(row);
        }
    }

    /**
     * First pass: every revocation in the ledger, so that signatures dated after a key's effective revocation time are
     * found even where they come before the revocation entry (I05, R18), and every correction, whose corrected entry's
     * signers the rules keep when they reach it (R17). Only bodies that contain the canonical member
     * {@code "type":"revoke"} or {@code "incident":"correction"} are decoded; in canonical JSON those byte sequences
     * cannot occur inside a string.
     */
    private void readAhead(EntrySource source) {
        List<Hash> corrected = new ArrayList<>();
        source.readAhead((position, body) -> {
            try {
                org.custody.record.Record record = Entry.decode(body).record();
                if (record instanceof org.custody.record.Revocation r) {
                    state.revokeAhead(r.key(), new LedgerState.LaterRevocation(r.effective(), position));
                    if (keptLatest != null && position >= options.since().size() && !r.effective().isAfter(keptLatest)) {
                        reachesBack.add(new org.custody.audit.Coverage.ReachBack(position, r.key().hex(), r.effective()));
                    }
                } else if (record instanceof org.custody.record.Incident i && i.refers() != null) {
                    corrected.add(i.refers());
                }
            } catch (MalformedRecordException e) {
                // reported as I01 in the main pass
            }
        });
        rules.watch(corrected);
        this.corrected.addAll(corrected);
    }

    /**
     * Checks a chunk of entries; {@code positions} are where the store holds them (its {@code seq} column),
     * by which findings name them, so that a deleted, copied or moved entry is named where it was found.
     * Decodes and checks the chunk in ledger order on this thread, then starts its signature checks on the pool
     * and returns at once, so that the next chunk is checked while this one's signatures are (the pipeline
     * keeps every core busy). At most {@link #IN_FLIGHT} chunks wait for their signatures; the oldest is
     * finished (its findings reported) before another starts, so memory stays bounded and findings come in
     * ledger order.
     */
    private void process(Chunk chunk, ForkJoinPool pool) {
        List<byte[]> bodies = chunk.bodies;
        List<Long> positions = chunk.positions;
        List<StoredAudit.Row> rows = chunk.rows;
        int n = bodies.size();
        if (n == 0) {
            return;
        }
        List<List<Finding>> findings = new ArrayList<>(n);
        EntryChecker.Pending[] pending = new EntryChecker.Pending[n];
        EntryChecker checker = new EntryChecker(state);
        for (int i = 0; i < n; i++) {
            byte[] body = bodies.get(i);
            Entry entry = null;
            String error = null;
            try {
                entry = Entry.decode(body);
            } catch (MalformedRecordException e) {
                error = "entry cannot be decoded: " + e.getMessage();
            }
            if (read == 0 && entry != null && entry.record() instanceof org.custody.record.Genesis g) {
                state.initialise(null, g.suite());
            }
            Suite suite = state.suite() == null ? Suite.ED25519_SHA256 : state.suite();
            Hash hash = suite.hash().digest(HASH_LABEL, body);
            List<Finding> out = new ArrayList<>(0);
            findings.add(out);
            long position = positions.get(i);
            if (position > expectedSeq) {
                out.add(Finding.of(FindingCode.I06, expectedSeq, null, (position - expectedSeq == 1 ? "entry " + expectedSeq
                        + " is missing" : "entries " + expectedSeq + " to " + (position - 1) + " are missing"))
                        .comparing(expectedSeq, position));
            } else if (position < expectedSeq) {
                out.add(Finding.of(FindingCode.I06, position, hash, "entry stored at an invalid position")
                        .comparing(expectedSeq, position));
            }
            try {
                stored.entry(position, hash, rows.get(i), entry, state, out);
            } catch (SQLException e) {
                throw new LedgerStoreException("cannot read the stored bag links: " + e.getMessage(), e);
            }
            if (entry == null) {
                out.add(Finding.of(FindingCode.I01, position, hash, error));
                try {
                    stored.ruleFindings(position, hash, null, List.of(), out);
                } catch (SQLException e) {
                    throw new LedgerStoreException("cannot read the kept findings: " + e.getMessage(), e);
                }
            } else {
                cosignatures.entry(position, entry);
                pending[i] = checker.check(entry, hash, position, expectedPrev, out);
                appendTimes.entry(position, hash, entry, out);
                timestamps.entry(position, hash, entry, out);
                List<Finding> ruleFindings = rules.checkAndApply(position, hash, entry.record(), entry.appended().orElse(null));
                try {
                    stored.ruleFindings(position, hash, entry, ruleFindings, out);
                } catch (SQLException e) {
                    throw new LedgerStoreException("cannot read the kept findings: " + e.getMessage(), e);
                }
                out.addAll(ruleFindings);
                exceptions.note(position, hash, entry.record());
            }
            tree.leaf(position, body, entry, out::add);
            noteKeptHead(position, hash);
            expectedPrev = hash;
            expectedSeq = position + 1;
            read++;
        }
        long signaturesFrom = signaturesFrom();
        ForkJoinTask<?> signatures = pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
            if (pending[i] != null && positions.get(i) >= signaturesFrom) {
                pending[i].verifySignatures(findings.get(i));
            }
        }));
        while (inFlight.size() >= IN_FLIGHT) {
            finish(inFlight.removeFirst());
        }
        inFlight.addLast(new Checked(findings, signatures, read));
    }

    /** The first position whose signatures are checked: 0, or the size of the kept checkpoint when verifying since it. */
    private long signaturesFrom() {
        return Math.max(options.since() == null ? 0 : options.since().size(), options.incremental() ? keptCheckpoint.size() : 0);
    }

    /** Waits for a chunk's signature checks, then reports its findings, entry by entry. */
    private void finish(Checked checked) {
        checked.signatures().join();
        for (List<Finding> list : checked.findings()) {
            list.sort(java.util.Comparator.comparing(Finding::code));
            list.forEach(this::report);
        }
        options.progress().accept(checked.read());
    }

    private void noteKeptHead(long position, Hash hash) {
        if (options.expecting() != null && position == options.expecting().size() - 1) {
            keptHeadActual = hash;
        }
    }

    private void checkStoredHead(java.util.Optional<EntrySource.StoredHead> stored) {
        if (stored.isEmpty()) {
            if (read > 0) {
                report(Finding.of(FindingCode.I06, expectedSeq - 1, null, "the store has entries but no recorded head"));
            }
            return;
        }
        long headSeq = stored.get().seq();
        Hash headHash = Hash.of(stored.get().hash());
        if (headSeq != expectedSeq - 1) {
            report(Finding.of(FindingCode.I06, Math.min(headSeq, expectedSeq), null,
                    "the store's head records " + (headSeq + 1) + " entries but the last entry found is " + (expectedSeq - 1))
                    .comparing(headSeq + 1, expectedSeq));
        } else if (!headHash.equals(expectedPrev)) {
            report(Finding.of(FindingCode.I02, headSeq, expectedPrev, "the last entry's hash does not match the store's head")
                    .comparing(headHash, expectedPrev));
        }
    }

    private void checkKeptHead() {
        Head kept = options.expecting();
        if (kept == null || kept.size() == 0) {
            return;
        }
        if (expectedSeq < kept.size()) {
            report(Finding.of(FindingCode.I09, expectedSeq, null, "the ledger is shorter than the head kept earlier")
                    .comparing(kept.size() + " entries", expectedSeq + " entries"));
        } else if (!kept.hash().equals(keptHeadActual)) {
            report(Finding.of(FindingCode.I09, kept.size() - 1, keptHeadActual,
                    "entry " + (kept.size() - 1) + " differs from the head kept earlier: history was rewritten")
                    .comparing(kept.hash(), keptHeadActual));
        }
    }

    private void report(Finding finding) {
        counts.merge(finding.code(), 1L, Long::sum);
        if (kept.size() < AuditReport.MAX_KEPT) {
            kept.add(finding);
        }
        options.findings().accept(finding);
    }
}
