package org.custody.ledger.postgres;

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
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.sqlite.CheckpointStore;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.RowBuffer;
import org.custody.ledger.sqlite.RuleStateTable;
import org.custody.ledger.sqlite.Schema;
import org.custody.ledger.sqlite.StoredAudit;
import org.custody.ledger.sqlite.TreeStore;
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
 * A ledger kept in one schema of a PostgreSQL database ({@link PostgresUrl}; tables in {@link PostgresSchema}), so
 * that several processes on several machines append to one ledger. A write transaction begins by locking the head's row
 * ({@code SELECT ... FROM head FOR UPDATE}): a second writer, in this process or another, waits there until the first
 * commits or rolls back, then reads the head the first left, and {@link Transaction#advance} moves the head by
 * compare-and-swap, so the chain never forks. Commits are durable as PostgreSQL makes them ({@code synchronous_commit},
 * on by default). The Merkle tree, checkpoints and rules' state use the SQLite store's table code, whose SQL both
 * engines read.
 */
public final class PostgresStore implements LedgerStore {
    private final PostgresUrl url;
    private final Postgres.Lease lease;
    private final Connection connection;
    private final LedgerId ledger;
    private final Suite suite;
    private final TreeStore tree;
    /** The transaction open now, or null. */
    private Tx open;

    private PostgresStore(PostgresUrl url, Postgres.Lease lease, LedgerId ledger, Suite suite) {
        this.url = url;
        this.lease = lease;
        this.connection = lease.connection();
        this.ledger = ledger;
        this.suite = suite;
        this.tree = new TreeStore(suite.hash());
    }

    /**
     * Creates the ledger's schema and tables and runs {@code first} (which stores the genesis entry) in the same
     * transaction: the schema holds a ledger afterwards only if all of it committed.
     *
     * @throws LedgerStoreException if the schema holds a ledger already, or the database cannot be written
     */
    public static PostgresStore create(PostgresUrl url, LedgerId ledger, Suite suite,
            BiConsumer<PostgresStore, Transaction> first) {
        Postgres.Lease lease = Postgres.connect(url);
        PostgresStore store = new PostgresStore(url, lease, ledger, suite);
        try {
            Connection c = lease.connection();
            c.setAutoCommit(false);
            if (PostgresSchema.holdsLedger(c, url.schema())) {
                throw new LedgerStoreException("cannot create ledger " + url.display() + ": schema " + url.schema()
                        + " already holds a ledger");
            }
            PostgresSchema.create(c, url.schema());
            Meta.write(c, ledger, suite);
            try (Transaction tx = store.begin()) {
                first.accept(store, tx);
                tx.commit();
            }
            return store;
        } catch (SQLException | RuntimeException | Error e) {
            store.closeQuietly();
            if (e instanceof SQLException) {
                throw new LedgerStoreException("cannot create ledger " + url.display() + ": " + e.getMessage(), e);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Opens the ledger in the URL's schema.
     *
     * @throws LedgerStoreException if the database cannot be reached, or the schema holds no Custody ledger of the
     *                              version this software writes
     */
    public static PostgresStore open(PostgresUrl url) {
        Postgres.Lease lease = Postgres.connect(url);
        try {
            Meta meta = Meta.read(lease.connection(), url.display());
            if (meta.schemaVersion() != Schema.VERSION) {
                throw new LedgerStoreException(url.display() + " has schema version " + meta.schemaVersion()
                        + "; this software reads version " + Schema.VERSION + " in PostgreSQL");
            }
            return new PostgresStore(url, lease, meta.ledger(), meta.suite());
        } catch (SQLException | RuntimeException e) {
            lease.close();
            if (e instanceof SQLException) {
                throw new LedgerStoreException("cannot open ledger " + url.display() + ": " + e.getMessage(), e);
            }
            throw (RuntimeException) e;
        }
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
        return url.display();
    }

    @Override
    public Optional<EntryRef> last() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM head WHERE id = 1")) {
            return rs.next() ? Optional.of(ref(rs, "the head")) : Optional.empty();
        } catch (SQLException e) {
            throw failure("cannot read the head of", e);
        }
    }

    private static EntryRef ref(ResultSet rs, String what) throws SQLException {
        try {
            return new EntryRef(rs.getLong(1), Hash.of(rs.getBytes(2)));
        } catch (RuntimeException e) {
            throw new LedgerStoreException("the stored row of " + what + " is damaged (" + e.getMessage() + "); run a verification", e);
        }
    }

    @Override
    public Optional<Entry> entry(long seq) {
        return bodies("SELECT body FROM entries WHERE seq = ?", s -> s.setLong(1, seq)).stream().findFirst();
    }

    @Override
    public Optional<Entry> entryByHash(Hash hash) {
        return bodies("SELECT body FROM entries WHERE hash = ?", s -> s.setBytes(1, hash.bytes())).stream().findFirst();
    }

    @Override
    public List<Entry> history(BagId bag) {
        return bodies("WITH RECURSIVE chain (seq) AS (SELECT seq FROM bag_heads WHERE bag = ?"
                + " UNION ALL SELECT l.prev FROM chain c JOIN bag_links l ON l.seq = c.seq AND l.bag = ? WHERE l.prev IS NOT NULL)"
                + " SELECT e.body FROM chain c JOIN entries e ON e.seq = c.seq ORDER BY c.seq", s -> {
                    s.setString(1, bag.value());
                    s.setString(2, bag.value());
                });
    }

    @Override
    public Optional<EntryRef> bagHead(BagId bag) {
        try (PreparedStatement s = connection.prepareStatement("SELECT seq, hash FROM bag_heads WHERE bag = ?")) {
            s.setString(1, bag.value());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(ref(rs, "bag " + bag)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read bag " + bag + " of", e);
        }
    }

    @Override
    public void entries(long from, Set<String> types, EntryVisitor visitor) {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT seq, hash, body FROM entries WHERE seq >= ? AND type = ANY (?) ORDER BY seq")) {
            s.setLong(1, from);
            s.setArray(2, connection.createArrayOf("text", types.toArray()));
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
            StoredAudit.GateReplay check = checkIndexes && from == 0 ? new StoredAudit.GateReplay(connection, ledger, suite) : null;
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT seq, hash, body, record_id, type, at FROM entries WHERE seq >= ? ORDER BY seq")) {
                s.setLong(1, from);
                s.setFetchSize(1024);
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
        try (PreparedStatement s = connection.prepareStatement(RuleStateTable.SELECT_ROW)) {
            return RuleStateTable.row(s, kind, key);
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
        try (PreparedStatement s = connection.prepareStatement(RuleStateTable.SELECT_KEYS)) {
            return RuleStateTable.keys(s, kind, group);
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
    public Transaction begin() {
        if (open != null) {
            throw new IllegalStateException("a transaction is open on " + url.display() + " already");
        }
        try {
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            // the write lock: a second writer waits here until this transaction ends, then reads the head it left
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM head WHERE id = 1 FOR UPDATE")) {
                rs.next();
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw failure("cannot write to", e);
        }
        open = new Tx();
        return open;
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it when it is closed
        }
    }

    @Override
    public void close() {
        if (open != null) {
            open.close();
        }
        lease.close();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // already failing
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private List<Entry> bodies(String sql, Binder binder) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            binder.bind(s);
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
        return new LedgerStoreException(doing + " " + url.display() + ": " + e.getMessage(), e);
    }

    /** The write transaction: on the store's connection, out of auto-commit mode, holding the head's row lock. */
    private final class Tx implements Transaction {
        private final List<AutoCloseable> statements = new ArrayList<>();
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
        private boolean ended;

        private PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement s = connection.prepareStatement(sql);
            statements.add(s);
            return s;
        }

        private RowBuffer buffer(String insert, int columns, String conflict) {
            RowBuffer b = new RowBuffer(connection, insert, columns, conflict);
            statements.add(b);
            return b;
        }

        @Override
        public Optional<EntryRef> last() {
            return PostgresStore.this.last();
        }

        @Override
        public Map<String, StoredEntry> byRecordId(Collection<String> recordIds) {
            Map<String, StoredEntry> out = new HashMap<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT seq, hash, body FROM entries WHERE record_id = ANY (?)")) {
                s.setArray(1, connection.createArrayOf("text", recordIds.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Entry entry = decode(rs.getBytes(3));
                        out.put(entry.record().id().value(), new StoredEntry(rs.getLong(1), Hash.of(rs.getBytes(2)),
                                entry.signed().canonicalRecord()));
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
                    selectKey = prepare("SELECT person, alg, public, enrolled_seq, revoked_from, revoked_seq FROM keys WHERE key_id = ?");
                }
                selectKey.setString(1, id.hex());
                try (ResultSet rs = selectKey.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String revokedFrom = rs.getString(5);
                    try {
                        return Optional.of(new StoredKey(id, PersonId.of(rs.getString(1)), SignatureAlgorithm.fromWire(rs.getString(2)),
                                rs.getBytes(3), rs.getLong(4), revokedFrom == null ? null : Instant.parse(revokedFrom),
                                revokedFrom == null ? -1 : rs.getLong(6)));
                    } catch (RuntimeException e) {
                        throw new LedgerStoreException("the stored row of key " + id + " is damaged (" + e.getMessage()
                                + "); run a verification", e);
                    }
                }
            } catch (SQLException e) {
                throw failure("cannot read the enrolled keys of", e);
            }
        }

        @Override
        public void putKey(StoredKey key) {
            try {
                if (upsertKey == null) {
                    upsertKey = prepare("INSERT INTO keys (key_id, person, alg, public, enrolled_seq, revoked_from, revoked_seq)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET person = excluded.person,"
                            + " alg = excluded.alg, public = excluded.public, enrolled_seq = excluded.enrolled_seq,"
                            + " revoked_from = excluded.revoked_from, revoked_seq = excluded.revoked_seq");
                }
                upsertKey.setString(1, key.id().hex());
                upsertKey.setString(2, key.person().value());
                upsertKey.setString(3, key.algorithm().wire());
                upsertKey.setBytes(4, key.encoded());
                upsertKey.setLong(5, key.enrolledSeq());
                if (key.revokedFrom() == null) {
                    upsertKey.setNull(6, Types.VARCHAR);
                    upsertKey.setNull(7, Types.BIGINT);
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
                    selectBag = prepare("SELECT seq, hash FROM bag_heads WHERE bag = ?");
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
                    bagHeads = buffer("INSERT INTO bag_heads (bag, seq, hash)", 3,
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
                    entryRows = buffer("INSERT INTO entries (seq, hash, record_id, type, at, body)", 6, "");
                    bagLinks = buffer("INSERT INTO bag_links (seq, bag, prev)", 3, "");
                }
                byte[] body = entry.canonicalBytes();
                entryRows.add(seq, hash.bytes(), entry.record().id().value(), entry.record().type(),
                        entry.record().at().toString(), body);
                tree.add(connection, seq, body);
                if (entry.record() instanceof Enrolment e && e.person().hasRole(Role.CHECKPOINT_SIGNER)) {
                    if (insertCheckpointKey == null) {
                        insertCheckpointKey = prepare("INSERT INTO checkpoint_keys (key_id, enrolled_seq) VALUES (?, ?)");
                    }
                    insertCheckpointKey.setString(1, e.key().id().hex());
                    insertCheckpointKey.setLong(2, seq);
                    insertCheckpointKey.executeUpdate();
                }
                for (Map.Entry<BagId, Long> link : links.entrySet()) {
                    bagLinks.add(seq, link.getKey().value(), link.getValue());
                }
            } catch (SQLException e) {
                throw failure("cannot store entry " + seq + " in", e);
            }
        }

        @Override
        public void flush() {
            try {
                for (RowBuffer b : new RowBuffer[] {entryRows, bagLinks, bagHeads, ruleRows, findingRows, findingBags}) {
                    if (b != null) {
                        b.flush();
                    }
                }
            } catch (SQLException e) {
                throw failure("cannot write to", e);
            }
        }

        @Override
        public void advance(Optional<EntryRef> from, EntryRef to) {
            String sql = from.isEmpty()
                    ? "INSERT INTO head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING"
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
                throw failure("cannot move the head of", e);
            }
        }

        @Override
        public HashSource tree(long size) {
            return tree.source(connection, size);
        }

        @Override
        public Optional<SignedNote> checkpoint(long size) {
            return PostgresStore.this.checkpoint(size);
        }

        @Override
        public List<StoredKey> checkpointKeys(long size) {
            return PostgresStore.this.checkpointKeys(size);
        }

        @Override
        public void putRuleState(String kind, String key, String group, byte[] value) {
            try {
                if (ruleRows == null) {
                    ruleRows = RuleStateTable.writer(connection);
                    statements.add(ruleRows);
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
                    findingRows = buffer("INSERT INTO findings (seq, n, code, body)", 4, "");
                    findingBags = buffer("INSERT INTO finding_bags (seq, n, bag)", 3, "");
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
                connection.commit();
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw failure("cannot commit to", e);
            }
            ended = true;
            end();
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            // the tree's in-memory right edge must not outlive rows that were not committed
            tree.discard();
            rollbackQuietly();
            end();
        }

        private void end() {
            open = null;
            for (AutoCloseable c : statements) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // a statement of an ended transaction: nothing depends on closing it
                }
            }
        }
    }
}
