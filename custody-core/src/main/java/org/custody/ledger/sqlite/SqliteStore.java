package org.custody.ledger.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.custody.audit.Finding;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.files.OwnerOnly;
import org.custody.ledger.LedgerStoreException;
import org.custody.merkle.HashSource;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.store.EntryRef;
import org.custody.store.LedgerStore;
import org.custody.store.StoredKey;

/**
 * The embedded store: one SQLite file (schema in {@link Schema}, migrated by {@link SchemaMigration}), in WAL mode with
 * durable commits ({@code synchronous=FULL}); write transactions are {@code BEGIN IMMEDIATE}, so a second writer, in
 * this process or another, waits for the first. The Merkle tree is kept as tiles ({@link TreeStore}), the log is
 * checkpointed off the appending thread ({@link WalCheckpointer}). Every SQL statement of the append path and the
 * ledger's reads is here; the verifier reads the file on its own connection.
 *
 * <p>The statements are portable: the PostgreSQL store ({@code org.custody.ledger.postgres.PostgresStore}) is this
 * store over a connection to a PostgreSQL schema of the same tables, with its own way to begin, end and release a
 * write transaction ({@link #beginWrite}, {@link #commitWrite}, {@link #rollbackWrite}, {@link #release}).
 */
public class SqliteStore implements LedgerStore {
    private final Path file;
    private final Connection connection;
    private final LedgerId ledger;
    private final Suite suite;
    private final TreeStore tree;
    private final WalCheckpointer checkpointer;
    /** The transaction open now, or null. */
    private Tx open;
    /** Statements the gate runs once per bag it reads (rules' state rows), prepared on first use. */
    private PreparedStatement selectRuleRow;
    private PreparedStatement selectRuleKeys;
    /** The drafts tables, on the store's connection; made on first use. */
    private DraftTable drafts;

    private SqliteStore(Path file, Connection connection, LedgerId ledger, Suite suite) {
        this.file = file;
        this.connection = connection;
        this.ledger = ledger;
        this.suite = suite;
        this.tree = new TreeStore(suite.hash());
        this.checkpointer = new WalCheckpointer(file);
    }

    /** A store over another engine's connection to the same tables: no file, no WAL upkeep. */
    protected SqliteStore(Connection connection, LedgerId ledger, Suite suite) {
        this.file = null;
        this.connection = connection;
        this.ledger = ledger;
        this.suite = suite;
        this.tree = new TreeStore(suite.hash());
        this.checkpointer = null;
    }

    /**
     * Creates a new ledger file holding {@code ledger}'s schema and identity, and runs {@code first} (which stores the
     * genesis entry) in the same transaction: the file exists afterwards only if all of it committed.
     *
     * @throws LedgerStoreException if the file exists or cannot be created
     */
    public static SqliteStore create(Path file, LedgerId ledger, Suite suite, BiConsumer<SqliteStore, Transaction> first) {
        if (Files.exists(file)) {
            throw new LedgerStoreException("cannot create ledger " + file + ": the file already exists");
        }
        try {
            // owner-only from the start: SQLite gives the -wal and -shm files it creates the ledger file's permissions
            OwnerOnly.createFile(file);
        } catch (IOException e) {
            throw new LedgerStoreException("cannot create ledger " + file + ": " + e.getMessage(), e);
        }
        SqliteStore store = null;
        try {
            Connection c = Sqlite.writer(file);
            store = new SqliteStore(file, c, ledger, suite);
            try (Transaction tx = store.begin()) {
                Schema.create(c);
                Meta.write(c, ledger, suite);
                first.accept(store, tx);
                tx.commit();
            }
            return store;
        } catch (SQLException | RuntimeException | Error e) {
            if (store != null) {
                store.closeQuietly();
            }
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    Files.deleteIfExists(Path.of(file + suffix));
                } catch (IOException ignored) {
                    // nothing more to clean up
                }
            }
            if (e instanceof SQLException) {
                throw new LedgerStoreException("cannot create ledger " + file + ": " + e.getMessage(), e);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Opens an existing ledger file, migrating an older schema version first.
     *
     * @throws LedgerStoreException if the file is missing or is not a Custody ledger of a version this software reads
     */
    public static SqliteStore open(Path file) {
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
            return new SqliteStore(file, c, meta.ledger(), meta.suite());
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            if (e instanceof SQLException) {
                throw new LedgerStoreException("cannot open ledger " + file + ": " + e.getMessage(), e);
            }
            throw (RuntimeException) e;
        }
    }

    Path file() {
        return file;
    }

    @Override
    public LedgerId ledger() {
        return ledger;
    }

    @Override
    public Suite suite() {
        return suite;
    }

    @Override
    public String name() {
        return file.toString();
    }

    /** Begins a write transaction on the store's connection, waiting for another writer's to end. */
    protected void beginWrite(Connection c) throws SQLException {
        Sqlite.begin(c);
    }

    /** Commits the write transaction {@link #beginWrite} began. */
    protected void commitWrite(Connection c) throws SQLException {
        Sqlite.commit(c);
    }

    /** Rolls back the write transaction {@link #beginWrite} began; fails if there is none. */
    protected void rollbackWrite(Connection c) throws SQLException {
        Sqlite.rollback(c);
    }

    /** Releases the store's connection. */
    protected void release(Connection c) throws SQLException {
        c.close();
    }

    @Override
    public org.custody.store.KeptDrafts drafts() {
        if (drafts == null) {
            drafts = new DraftTable(connection, name());
        }
        return drafts;
    }

    /** A SQLite ledger is served by one process: its lock is always held. */
    @Override
    public org.custody.store.ExclusiveLock exclusive(String duty) {
        return org.custody.store.ExclusiveLock.ALWAYS;
    }

    @Override
    public Optional<EntryRef> last() {
        try {
            return readLast();
        } catch (SQLException e) {
            throw failure("cannot read the head of", e);
        }
    }

    private Optional<EntryRef> readLast() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM head WHERE id = 1")) {
            return rs.next() ? Optional.of(ref(rs, "the head")) : Optional.empty();
        }
    }

    /** The position and hash in columns 1 and 2 of {@code rs}; damaged values are a store failure, not bad input. */
    private static EntryRef ref(ResultSet rs, String what) throws SQLException {
        try {
            return new EntryRef(rs.getLong(1), Hash.of(rs.getBytes(2)));
        } catch (RuntimeException e) {
            throw new LedgerStoreException("the stored row of " + what + " is damaged (" + e.getMessage() + "); run a verification", e);
        }
    }

    @Override
    public Optional<Entry> entry(long seq) {
        return query("SELECT body FROM entries WHERE seq = ?", seq, null).stream().findFirst();
    }

    @Override
    public Optional<Entry> entryByHash(Hash hash) {
        // no index on hash: corrections are rare, and an index would cost every append a random B-tree write
        try (PreparedStatement s = connection.prepareStatement("SELECT body FROM entries WHERE hash = ?")) {
            s.setBytes(1, hash.bytes());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(decode(rs.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    public List<Entry> history(BagId bag) {
        // the bag's chain of links, from its last entry back to its registration
        return query("WITH RECURSIVE chain (seq, bag) AS (SELECT seq, bag FROM bag_heads WHERE bag = ?"
                + " UNION ALL SELECT l.prev, c.bag FROM chain c JOIN bag_links l ON l.seq = c.seq AND l.bag = c.bag WHERE l.prev IS NOT NULL)"
                + " SELECT e.body FROM chain c JOIN entries e ON e.seq = c.seq ORDER BY c.seq", -1, bag.value());
    }

    @Override
    public Optional<EntryRef> bagHead(BagId bag) {
        try {
            return readBagHead(bag);
        } catch (SQLException e) {
            throw failure("cannot read bag " + bag + " of", e);
        }
    }

    private Optional<EntryRef> readBagHead(BagId bag) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT seq, hash FROM bag_heads WHERE bag = ?")) {
            s.setString(1, bag.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(ref(rs, "bag " + bag)) : Optional.empty();
            }
        }
    }

    @Override
    public void entries(long from, Set<String> types, EntryVisitor visitor) {
        String in = "?, ".repeat(Math.max(0, types.size() - 1)) + "?";
        try (PreparedStatement s = connection.prepareStatement("SELECT seq, hash, body FROM entries WHERE seq >= ?"
                + " AND type IN (" + in + ") ORDER BY seq")) {
            s.setLong(1, from);
            int i = 2;
            for (String type : types) {
                s.setString(i++, type);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    visitor.entry(rs.getLong(1), Hash.of(rs.getBytes(2)), decode(rs.getBytes(3)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    public List<Finding> replay(long from, boolean checkIndexes, EntryVisitor visitor) {
        try {
            // the first replay of an open ledger also checks the stored indexes the gate reads (StoredAudit.GateReplay)
            StoredAudit.GateReplay check = checkIndexes && from == 0 ? new StoredAudit.GateReplay(connection, ledger, suite) : null;
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT seq, hash, body, record_id, type, at FROM entries WHERE seq >= ? ORDER BY seq")) {
                s.setLong(1, from);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        byte[] body = rs.getBytes(3);
                        Entry entry = decode(body);
                        if (check != null) {
                            check.entry(seq, new StoredAudit.Row(rs.getBytes(2), rs.getString(4), rs.getString(5), rs.getString(6)),
                                    body, entry);
                        }
                        visitor.entry(seq, Hash.of(rs.getBytes(2)), entry);
                    }
                }
            }
            return check == null ? List.of() : check.finish();
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    @Override
    public HashSource tree(long size) {
        return tree.source(connection, size);
    }

    @Override
    public Optional<SignedNote> checkpoint(long size) {
        try {
            return CheckpointStore.read(connection, size);
        } catch (SQLException e) {
            throw failure("cannot read the checkpoints of", e);
        }
    }

    @Override
    public Optional<org.custody.timestamp.TimestampToken> timestamp(long size) {
        try {
            return CheckpointStore.readTimestamp(connection, size);
        } catch (SQLException e) {
            throw failure("cannot read the time-stamp tokens of", e);
        }
    }

    @Override
    public List<StoredKey> checkpointKeys(long size) {
        try {
            return CheckpointStore.keys(connection, size);
        } catch (SQLException e) {
            throw failure("cannot read the checkpoint keys of", e);
        }
    }

    @Override
    public Optional<StateAt> ruleStateAt() {
        try {
            return RuleStateTable.at(connection);
        } catch (SQLException e) {
            throw failure("cannot read the rule state of", e);
        }
    }

    @Override
    public Optional<byte[]> ruleState(String kind, String key) {
        try {
            if (selectRuleRow == null) {
                selectRuleRow = connection.prepareStatement(RuleStateTable.SELECT_ROW);
            }
            return RuleStateTable.row(selectRuleRow, kind, key);
        } catch (SQLException e) {
            throw failure("cannot read the rule state of", e);
        }
    }

    @Override
    public void ruleStates(String kind, BiConsumer<String, byte[]> each) {
        try {
            RuleStateTable.rows(connection, kind, each);
        } catch (SQLException e) {
            throw failure("cannot read the rule state of", e);
        }
    }

    @Override
    public List<String> ruleStateKeys(String kind, String group) {
        try {
            if (selectRuleKeys == null) {
                selectRuleKeys = connection.prepareStatement(RuleStateTable.SELECT_KEYS);
            }
            return RuleStateTable.keys(selectRuleKeys, kind, group);
        } catch (SQLException e) {
            throw failure("cannot read the rule state of", e);
        }
    }

    @Override
    public List<byte[]> findings(BagId bag) {
        try {
            return RuleStateTable.findings(connection, bag.value());
        } catch (SQLException e) {
            throw failure("cannot read the findings of", e);
        }
    }

    @Override
    public List<Entry> entriesWith(String term, long after, int limit) {
        try {
            return QueryTables.entriesWith(connection, term, after, limit).stream().map(SqliteStore::decode).toList();
        } catch (SQLException e) {
            throw failure("cannot read the entry index of", e);
        }
    }

    @Override
    public List<BagId> bags(org.custody.store.BagQuery query, BagId after, int limit) {
        try {
            return QueryTables.bags(connection, query, after, limit);
        } catch (SQLException e) {
            throw failure("cannot read the bag index of", e);
        }
    }

    @Override
    public Map<String, Long> stepCounts(org.custody.store.BagQuery query) {
        try {
            return QueryTables.stepCounts(connection, query);
        } catch (SQLException e) {
            throw failure("cannot read the bag index of", e);
        }
    }

    @Override
    public List<org.custody.store.BagCount> bagCounts(org.custody.store.BagQuery query, List<String> by) {
        try {
            return QueryTables.bagCounts(connection, query, by);
        } catch (SQLException e) {
            throw failure("cannot read the bag index of", e);
        }
    }

    @Override
    public Map<String, Long> findingCounts(java.util.Collection<String> sites) {
        try {
            return QueryTables.findingCounts(connection, sites);
        } catch (SQLException e) {
            throw failure("cannot read the findings of", e);
        }
    }

    @Override
    public List<BagId> bagsWithDeadlines() {
        try {
            return QueryTables.bagsWithDeadlines(connection);
        } catch (SQLException e) {
            throw failure("cannot read the bag index of", e);
        }
    }

    @Override
    public List<KeptFinding> findings(String code, long afterSeq, int afterN, int limit) {
        try {
            return QueryTables.findings(connection, code, afterSeq, afterN, limit);
        } catch (SQLException e) {
            throw failure("cannot read the findings of", e);
        }
    }

    @Override
    public Transaction begin() {
        if (open != null) {
            throw new IllegalStateException("a transaction is open on " + name() + " already");
        }
        try {
            beginWrite(connection);
        } catch (SQLException e) {
            throw failure("cannot write to", e);
        }
        open = new Tx();
        return open;
    }

    @Override
    public void close() {
        if (open != null) {
            open.close();
        }
        if (checkpointer != null) {
            checkpointer.close();
        }
        try {
            for (PreparedStatement s : new PreparedStatement[] {selectRuleRow, selectRuleKeys}) {
                if (s != null) {
                    s.close();
                }
            }
            release(connection);
        } catch (SQLException e) {
            throw failure("cannot close", e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // already failing
        }
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
                    out.add(decode(rs.getBytes(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("cannot read", e);
        }
    }

    private static Entry decode(byte[] body) {
        try {
            return Entry.decode(body);
        } catch (MalformedInputException e) {
            throw new LedgerStoreException("a stored entry is damaged (" + e.getMessage() + "); run a verification", e);
        }
    }

    private LedgerStoreException failure(String doing, SQLException e) {
        return new LedgerStoreException(doing + " " + name() + ": " + e.getMessage(), e);
    }

    private static StoredKey key(ResultSet rs, KeyId id, int column) throws SQLException {
        String revokedFrom = rs.getString(column + 4);
        try {
            return new StoredKey(id, PersonId.of(rs.getString(column)), SignatureAlgorithm.fromWire(rs.getString(column + 1)),
                    rs.getBytes(column + 2), rs.getLong(column + 3), revokedFrom == null ? null : Instant.parse(revokedFrom),
                    revokedFrom == null ? -1 : rs.getLong(column + 5));
        } catch (RuntimeException e) {
            throw new LedgerStoreException("the stored row of key " + id + " is damaged (" + e.getMessage() + "); run a verification", e);
        }
    }

    /** The write transaction: statements prepared on first use, rows buffered and written in multi-row inserts. */
    private final class Tx implements Transaction {
        private PreparedStatement selectKey;
        private PreparedStatement upsertKey;
        private PreparedStatement selectBag;
        private PreparedStatement insertCheckpointKey;
        private RowBuffer entryRows;
        private RowBuffer bagLinks;
        private RowBuffer bagHeads;
        private RowBuffer ruleRows;
        private RowBuffer findingRows;
        private RowBuffer findingBags;
        private RowBuffer bagIndex;
        private RowBuffer entryTerms;
        private int added;
        private boolean ended;

        @Override
        public Optional<EntryRef> last() {
            return SqliteStore.this.last();
        }

        @Override
        public Map<String, StoredEntry> byRecordId(Collection<String> recordIds) {
            List<String> ids = List.copyOf(recordIds);
            Map<String, StoredEntry> out = new HashMap<>();
            int step = 500;
            try {
                for (int from = 0; from < ids.size(); from += step) {
                    int to = Math.min(ids.size(), from + step);
                    String sql = "SELECT seq, hash, body FROM entries WHERE record_id IN (" + "?, ".repeat(to - from - 1) + "?)";
                    try (PreparedStatement s = connection.prepareStatement(sql)) {
                        for (int i = from; i < to; i++) {
                            s.setString(i - from + 1, ids.get(i));
                        }
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                Entry entry = decode(rs.getBytes(3));
                                out.put(entry.record().id().value(), new StoredEntry(rs.getLong(1), Hash.of(rs.getBytes(2)),
                                        entry.signed().canonicalRecord()));
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw failure("cannot read", e);
            }
            return out;
        }

        @Override
        public Optional<StoredKey> key(KeyId id) {
            try {
                if (selectKey == null) {
                    selectKey = connection.prepareStatement(
                            "SELECT person, alg, public, enrolled_seq, revoked_from, revoked_seq FROM keys WHERE key_id = ?");
                }
                selectKey.setString(1, id.hex());
                try (ResultSet rs = selectKey.executeQuery()) {
                    return rs.next() ? Optional.of(SqliteStore.key(rs, id, 1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw failure("cannot read the enrolled keys of", e);
            }
        }

        @Override
        public void putKey(StoredKey key) {
            try {
                if (upsertKey == null) {
                    upsertKey = connection.prepareStatement("INSERT INTO keys (key_id, person, alg, public, enrolled_seq,"
                            + " revoked_from, revoked_seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET"
                            + " person = excluded.person, alg = excluded.alg, public = excluded.public, enrolled_seq ="
                            + " excluded.enrolled_seq, revoked_from = excluded.revoked_from, revoked_seq = excluded.revoked_seq");
                }
                upsertKey.setString(1, key.id().hex());
                upsertKey.setString(2, key.person().value());
                upsertKey.setString(3, key.algorithm().wire());
                upsertKey.setBytes(4, key.encoded());
                upsertKey.setLong(5, key.enrolledSeq());
                if (key.revokedFrom() == null) {
                    upsertKey.setNull(6, Types.VARCHAR);
                    upsertKey.setNull(7, Types.INTEGER);
                } else {
                    upsertKey.setString(6, key.revokedFrom().toString());
                    upsertKey.setLong(7, key.revokedSeq());
                }
                upsertKey.executeUpdate();
            } catch (SQLException e) {
                throw failure("cannot store an enrolled key in", e);
            }
        }

        @Override
        public Optional<EntryRef> bagHead(BagId bag) {
            try {
                if (selectBag == null) {
                    selectBag = connection.prepareStatement("SELECT seq, hash FROM bag_heads WHERE bag = ?");
                }
                selectBag.setString(1, bag.value());
                try (ResultSet rs = selectBag.executeQuery()) {
                    return rs.next() ? Optional.of(ref(rs, "bag " + bag)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw failure("cannot read the bag heads of", e);
            }
        }

        @Override
        public void putBagHeads(Map<BagId, EntryRef> heads) {
            try {
                if (bagHeads == null) {
                    bagHeads = new RowBuffer(connection, "INSERT INTO bag_heads (bag, seq, hash)", 3,
                            " ON CONFLICT (bag) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
                }
                for (Map.Entry<BagId, EntryRef> moved : heads.entrySet()) {
                    bagHeads.add(moved.getKey().value(), moved.getValue().seq(), moved.getValue().hash().bytes());
                }
            } catch (SQLException e) {
                throw failure("cannot store the bag heads in", e);
            }
        }

        @Override
        public void add(long seq, Hash hash, Entry entry, Map<BagId, Long> links) {
            try {
                if (entryRows == null) {
                    entryRows = new RowBuffer(connection, "INSERT INTO entries (seq, hash, record_id, type, at, body)", 6, "");
                    bagLinks = new RowBuffer(connection, "INSERT INTO bag_links (seq, bag, prev)", 3, "");
                    entryTerms = QueryTables.termWriter(connection);
                }
                // the one place an entry is stored: its row, its leaf, and a link from each bag it names to the bag's previous entry
                byte[] body = entry.canonicalBytes();
                entryRows.add(seq, hash.bytes(), entry.record().id().value(), entry.record().type(),
                        entry.record().at().toString(), body);
                tree.add(connection, seq, body);
                QueryTables.addTerms(entryTerms, seq, entry);
                if (entry.record() instanceof Enrolment e && e.person().hasRole(Role.CHECKPOINT_SIGNER)) {
                    if (insertCheckpointKey == null) {
                        insertCheckpointKey = connection.prepareStatement(
                                "INSERT INTO checkpoint_keys (key_id, enrolled_seq) VALUES (?, ?)");
                    }
                    insertCheckpointKey.setString(1, e.key().id().hex());
                    insertCheckpointKey.setLong(2, seq);
                    insertCheckpointKey.executeUpdate();
                }
                for (Map.Entry<BagId, Long> link : links.entrySet()) {
                    bagLinks.add(seq, link.getKey().value(), link.getValue());
                }
                added++;
            } catch (SQLException e) {
                throw failure("cannot store entry " + seq + " in", e);
            }
        }

        @Override
        public void flush() {
            try {
                if (entryRows != null) {
                    entryRows.flush();
                    bagLinks.flush();
                    entryTerms.flush();
                }
                if (bagIndex != null) {
                    bagIndex.flush();
                }
                if (bagHeads != null) {
                    bagHeads.flush();
                }
                if (ruleRows != null) {
                    ruleRows.flush();
                }
                if (findingRows != null) {
                    findingRows.flush();
                    findingBags.flush();
                }
            } catch (SQLException e) {
                throw failure("cannot write to", e);
            }
        }

        @Override
        public void advance(Optional<EntryRef> from, EntryRef to) {
            String sql = from.isEmpty()
                    ? "INSERT INTO head (id, seq, hash) VALUES (1, ?, ?)"
                    : "UPDATE head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? AND hash = ?";
            try (PreparedStatement cas = connection.prepareStatement(sql)) {
                cas.setLong(1, to.seq());
                cas.setBytes(2, to.hash().bytes());
                if (from.isPresent()) {
                    cas.setLong(3, from.get().seq());
                    cas.setBytes(4, from.get().hash().bytes());
                }
                if (cas.executeUpdate() != 1) {
                    throw new LedgerStoreException("the ledger head moved during the append; nothing was stored, retry");
                }
            } catch (SQLException e) {
                // a unique-key violation (SQLite's message, the SQL state PostgreSQL gives): another writer stored a head
                if (from.isEmpty() && (e.getMessage() != null && e.getMessage().contains("UNIQUE") || "23505".equals(e.getSQLState()))) {
                    throw new LedgerStoreException("the ledger head moved during the append; nothing was stored, retry", e);
                }
                throw failure("cannot move the head of", e);
            }
        }

        @Override
        public HashSource tree(long size) {
            return tree.source(connection, size);
        }

        @Override
        public Optional<SignedNote> checkpoint(long size) {
            return SqliteStore.this.checkpoint(size);
        }

        @Override
        public List<StoredKey> checkpointKeys(long size) {
            return SqliteStore.this.checkpointKeys(size);
        }

        @Override
        public void putRuleState(String kind, String key, String group, byte[] value) {
            try {
                if (ruleRows == null) {
                    ruleRows = RuleStateTable.writer(connection);
                }
                ruleRows.add(kind, key, group, value);
            } catch (SQLException e) {
                throw failure("cannot store the rule state in", e);
            }
        }

        @Override
        public void putFinding(long seq, int n, String code, byte[] body, Collection<BagId> bags) {
            try {
                if (findingRows == null) {
                    findingRows = new RowBuffer(connection, "INSERT INTO findings (seq, n, code, body)", 4, "");
                    findingBags = new RowBuffer(connection, "INSERT INTO finding_bags (seq, n, bag)", 3, "");
                }
                findingRows.add(seq, (long) n, code, body);
                for (BagId bag : bags) {
                    findingBags.add(seq, (long) n, bag.value());
                }
            } catch (SQLException e) {
                throw failure("cannot store a finding in", e);
            }
        }

        @Override
        public void putBagIndex(org.custody.store.BagIndex row) {
            try {
                if (bagIndex == null) {
                    bagIndex = QueryTables.bagWriter(connection);
                }
                QueryTables.addBag(bagIndex, row);
            } catch (SQLException e) {
                throw failure("cannot store the bag index in", e);
            }
        }

        @Override
        public void clearRuleState() {
            try {
                flush();
                RuleStateTable.clear(connection);
            } catch (SQLException e) {
                throw failure("cannot clear the rule state of", e);
            }
        }

        @Override
        public void ruleStateAt(StateAt at) {
            try {
                RuleStateTable.setAt(connection, at);
            } catch (SQLException e) {
                throw failure("cannot store the rule state in", e);
            }
        }

        @Override
        public void addCheckpoint(long size, Hash root, SignedNote note, Instant madeAt) {
            try {
                CheckpointStore.insert(connection, size, root.bytes(), note, madeAt);
            } catch (SQLException e) {
                throw failure("cannot store a checkpoint in", e);
            }
        }

        @Override
        public void addTimestamp(long size, org.custody.timestamp.TimestampToken token) {
            try {
                CheckpointStore.insertTimestamp(connection, size, token);
            } catch (SQLException e) {
                throw failure("cannot store a time-stamp token in", e);
            }
        }

        @Override
        public void replaceCheckpoint(long size, SignedNote note) {
            try {
                CheckpointStore.replace(connection, size, note);
            } catch (SQLException e) {
                throw failure("cannot store a cosignature in", e);
            }
        }

        @Override
        public void commit() {
            if (ended) {
                throw new IllegalStateException("the transaction has ended");
            }
            flush();
            try {
                commitWrite(connection);
            } catch (SQLException e) {
                throw failure("cannot commit to", e);
            }
            ended = true;
            end();
            if (added > 0 && checkpointer != null) {
                checkpointer.committed(added);
            }
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            // the tree's in-memory right edge must not outlive rows that were not committed
            tree.discard();
            try {
                rollbackWrite(connection);
            } catch (SQLException ignored) {
                // no transaction was open, or the connection is unusable; the next call reports it
            }
            end();
        }

        private void end() {
            open = null;
            for (AutoCloseable c : new AutoCloseable[] {selectKey, upsertKey, selectBag, insertCheckpointKey, entryRows,
                    bagLinks, bagHeads, ruleRows, findingRows, findingBags, bagIndex, entryTerms}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a statement of an ended transaction: nothing depends on closing it
                    }
                }
            }
        }
    }
}
