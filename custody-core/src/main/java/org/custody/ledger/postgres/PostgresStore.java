package org.custody.ledger.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiConsumer;
import org.custody.crypto.Suite;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.Schema;
import org.custody.ledger.sqlite.SqliteStore;
import org.custody.model.LedgerId;

/**
 * A ledger kept in one schema of a PostgreSQL database ({@link PostgresUrl}; tables in {@link PostgresSchema}), so
 * that several processes on several machines append to one ledger. It is the SQL store ({@link SqliteStore}, whose
 * statements both engines run) over a pooled connection to that schema, with PostgreSQL's write lock: a write
 * transaction begins by locking the head's row ({@code SELECT ... FROM head FOR UPDATE}), so a second writer, in this
 * process or another, waits there until the first commits or rolls back, then reads the head the first left; the
 * head then moves by the store's compare-and-swap, so the chain never forks. Commits are durable as PostgreSQL makes
 * them ({@code synchronous_commit}, on by default).
 */
public final class PostgresStore extends SqliteStore {
    private final PostgresUrl url;
    private final Postgres.Lease lease;

    private PostgresStore(PostgresUrl url, Postgres.Lease lease, LedgerId ledger, Suite suite) {
        super(lease.connection(), ledger, suite);
        this.url = url;
        this.lease = lease;
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
            try {
                store.close();
            } catch (RuntimeException ignored) {
                // already failing
            }
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
            if (meta.schemaVersion() == 5 || meta.schemaVersion() == 6) {
                meta = migrate(lease.connection(), url);
            }
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

    /**
     * Versions 5 and 6 to 7 (6 adds the drafts tables, 7 the table of checkpoints' time-stamp tokens), in one
     * transaction that first locks the version row, so that of two processes opening the ledger at once one migrates and
     * the other then finds version 7.
     */
    private static Meta migrate(Connection c, PostgresUrl url) throws SQLException {
        c.setAutoCommit(false);
        try {
            String version;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT value FROM custody_meta WHERE name = 'schema_version' FOR UPDATE")) {
                rs.next();
                version = rs.getString(1);
            }
            if (version.equals("5") || version.equals("6")) {
                Schema.upgradeFrom5(c, PostgresSchema::translate, Integer.parseInt(version));
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return Meta.read(c, url.display());
    }

    @Override
    public String name() {
        return url.display();
    }

    /** A session-level advisory lock on a connection of its own ({@link AdvisoryLock}). */
    @Override
    public org.custody.store.ExclusiveLock exclusive(String duty) {
        return new AdvisoryLock(url, duty);
    }

    @Override
    protected void beginWrite(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
        // the write lock: a second writer waits here until this transaction ends, then reads the head it left
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM head WHERE id = 1 FOR UPDATE")) {
            rs.next();
        } catch (SQLException e) {
            rollbackWrite(c);
            throw e;
        }
    }

    @Override
    protected void commitWrite(Connection c) throws SQLException {
        c.commit();
        c.setAutoCommit(true);
    }

    @Override
    protected void rollbackWrite(Connection c) throws SQLException {
        try {
            c.rollback();
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    protected void release(Connection c) {
        lease.close();
    }
}
