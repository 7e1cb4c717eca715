package org.custody.ledger.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.postgres.Postgres;
import org.custody.ledger.postgres.PostgresUrl;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.ledger.sqlite.StoredAudit;

/**
 * A ledger store as the verifier reads it, a SQLite file or a PostgreSQL schema: one read transaction (in PostgreSQL a
 * repeatable-read one), so that every query sees the same snapshot even while another process appends.
 */
final class JdbcEntrySource implements EntrySource {
    /** Rows fetched at a time. */
    static final int FETCH = 1024;

    private final String file;
    private final Connection connection;
    /** What gives the connection back: the connection itself, or its pool's lease. */
    private final AutoCloseable owner;
    /** The byte search of {@link #readAhead}, in the engine's dialect. */
    private final String readAhead;
    private Meta meta;
    private PreparedStatement tileQuery;

    /** The ledger file {@code file}. */
    JdbcEntrySource(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LedgerStoreException("no ledger at " + file);
        }
        this.file = file.toString();
        // instr() on two blobs is a byte search, done inside SQLite: no body crosses into Java unless it matches
        this.readAhead = "SELECT seq, body FROM entries WHERE instr(body, ?) > 0 OR instr(body, ?) > 0 ORDER BY seq";
        try {
            this.connection = Sqlite.reader(file);
            this.owner = connection;
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The ledger in the PostgreSQL schema {@code url} names. */
    JdbcEntrySource(PostgresUrl url) {
        this.file = url.display();
        this.readAhead = "SELECT seq, body FROM entries WHERE position(? in body) > 0 OR position(? in body) > 0 ORDER BY seq";
        Postgres.Lease lease = Postgres.connect(url);
        this.owner = lease;
        this.connection = lease.connection();
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            if (!Meta.hasTable(connection, "custody_meta")) {
                throw new LedgerStoreException("no ledger at " + url.display());
            }
        } catch (SQLException | RuntimeException e) {
            lease.close();
            throw e instanceof SQLException sql ? failure(sql) : (RuntimeException) e;
        }
    }

    private LedgerStoreException failure(SQLException e) {
        return new LedgerStoreException("cannot read " + file + ": " + e.getMessage(), e);
    }

    @Override
    public String name() {
        return file;
    }

    @Override
    public Meta meta(Consumer<String> damage) {
        try {
            meta = Meta.readOrRecover(connection, file, damage);
            return meta;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Connection indexes() {
        return connection;
    }

    @Override
    public void readAhead(BodyVisitor visitor) {
        try (PreparedStatement s = connection.prepareStatement(readAhead)) {
            s.setBytes(1, REVOKE_MARKER);
            s.setBytes(2, CORRECTION_MARKER);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    visitor.entry(rs.getLong(1), rs.getBytes(2));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void entries(RowVisitor visitor) {
        try (PreparedStatement s = connection.prepareStatement("SELECT seq, body, hash, record_id, type, at FROM entries ORDER BY seq")) {
            s.setFetchSize(FETCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    visitor.entry(rs.getLong(1), rs.getBytes(2),
                            new StoredAudit.Row(rs.getBytes(3), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Optional<StoredHead> head() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM head WHERE id = 1")) {
            return rs.next() ? Optional.of(new StoredHead(rs.getLong(1), rs.getBytes(2))) : Optional.empty();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Tiles tiles() {
        return new Tiles() {
            @Override
            public Boolean matches(int level, long index, byte[] expected) {
                try {
                    if (tileQuery == null) {
                        tileQuery = connection.prepareStatement("SELECT hashes FROM tree_tiles WHERE level = ? AND idx = ?");
                    }
                    tileQuery.setInt(1, level);
                    tileQuery.setLong(2, index);
                    try (ResultSet rs = tileQuery.executeQuery()) {
                        return rs.next() ? Arrays.equals(expected, rs.getBytes(1)) : null;
                    }
                } catch (SQLException e) {
                    throw failure(e);
                }
            }

            @Override
            public long count() {
                try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM tree_tiles")) {
                    return rs.next() ? rs.getLong(1) : 0;
                } catch (SQLException e) {
                    throw failure(e);
                }
            }
        };
    }

    @Override
    public List<StoredCheckpoint> checkpoints() {
        List<StoredCheckpoint> out = new ArrayList<>();
        if (meta == null) {
            meta(damage -> { }); // the schema version decides whether the file has a checkpoints table
        }
        if (meta.schemaVersion() < 2) {
            return out;
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT size, root, note FROM checkpoints ORDER BY size")) {
            while (rs.next()) {
                out.add(new StoredCheckpoint(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public List<StoredTimestamp> timestamps() {
        List<StoredTimestamp> out = new ArrayList<>();
        try {
            if (!org.custody.ledger.sqlite.Meta.hasTable(connection, "checkpoint_timestamps")) {
                return out;
            }
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT size, token FROM checkpoint_timestamps ORDER BY size")) {
                while (rs.next()) {
                    out.add(new StoredTimestamp(rs.getLong(1), rs.getBytes(2)));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (tileQuery != null) {
                tileQuery.close();
            }
            connection.rollback();
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            try {
                owner.close();
            } catch (Exception e) {
                // the verification is done; a connection that does not close is dropped
            }
        }
    }
}
