package org.custody.ledger.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.custody.ledger.LedgerStoreException;

/**
 * Connections to a ledger's PostgreSQL schema, from one HikariCP pool per database, user and schema in this process,
 * shared by the stores and readers open on it and closed with the last of them. Every connection's search path is the
 * ledger's schema, so the ledger's SQL names its tables unqualified, as it does in SQLite.
 */
public final class Postgres {
    /** Connections per pool: one a store holds, and a few for verifiers, exports and migrations beside it. */
    static final int POOL_SIZE = 6;
    private static final Map<String, Pool> POOLS = new HashMap<>();

    private Postgres() {}

    private static final class Pool {
        final HikariDataSource source;
        int users;

        Pool(HikariDataSource source) {
            this.source = source;
        }
    }

    /**
     * A connection to the ledger's schema, in auto-commit mode; closing the lease returns it to the pool, and the pool
     * is closed with its last lease.
     *
     * @throws LedgerStoreException if the database cannot be reached or refuses the user
     */
    public static Lease connect(PostgresUrl url) {
        Pool pool;
        synchronized (POOLS) {
            pool = POOLS.get(url.poolKey());
            if (pool == null) {
                pool = new Pool(open(url));
                POOLS.put(url.poolKey(), pool);
            }
            pool.users++;
        }
        try {
            Pool leased = pool;
            return new Lease(pool.source.getConnection(), () -> release(url, leased));
        } catch (SQLException e) {
            release(url, pool);
            throw new LedgerStoreException("cannot connect to " + url.display() + ": " + e.getMessage(), e);
        }
    }

    private static void release(PostgresUrl url, Pool pool) {
        synchronized (POOLS) {
            if (pool != null && --pool.users == 0) {
                POOLS.remove(url.poolKey());
                pool.source.close();
            }
        }
    }

    private static HikariDataSource open(PostgresUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("custody " + url.display());
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.addDataSourceProperty("currentSchema", url.schema());
        config.addDataSourceProperty("ApplicationName", "custody");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        // a pool's first connection is made as it starts: a database that is not there, or a wrong password, fails
        // the command at once, instead of after retrying until the connection timeout
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        config.setAutoCommit(true);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new LedgerStoreException("cannot connect to " + url.display() + ": " + e.getMessage(), e);
        }
    }

    /** A pooled connection, given back (and its pool's use released) when closed. */
    public static final class Lease implements AutoCloseable {
        private final Connection connection;
        private final Runnable released;
        private boolean closed;

        Lease(Connection connection, Runnable released) {
            this.connection = connection;
            this.released = released;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection: the pool drops it
            } finally {
                released.run();
            }
        }
    }
}
