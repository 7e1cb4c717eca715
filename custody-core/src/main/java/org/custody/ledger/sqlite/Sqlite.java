package org.custody.ledger.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opening SQLite connections with the settings the ledger relies on. */
public final class Sqlite {
    static final int BUSY_TIMEOUT_MS = 30_000;
    /** Log pages after which a commit checkpoints by itself (SQLite's default is 1,000); see {@link WalCheckpointer}. */
    static final int AUTO_CHECKPOINT_PAGES = 16_384;

    private Sqlite() {}

    /**
     * A writable connection: WAL, synchronous=FULL (durable commits). It stays in auto-commit mode: write
     * transactions are opened with {@link #begin} and ended with {@link #commit} or {@link #rollback}. (The
     * driver's manual-commit mode begins the next transaction as soon as one commits, so an idle connection
     * would hold the write lock and lock every other writer out.)
     */
    public static Connection writer(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        // 16 MiB of page cache (the default is 2 MiB): a batch's index and bag-head pages stay in memory
        config.setCacheSize(-16 * 1024);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, String.valueOf(AUTO_CHECKPOINT_PAGES));
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Begins a write transaction, waiting (up to the busy timeout) for other writers to finish theirs. */
    public static void begin(Connection c) throws SQLException {
        execute(c, "BEGIN IMMEDIATE");
    }

    public static void commit(Connection c) throws SQLException {
        execute(c, "COMMIT");
    }

    /** Rolls back the open write transaction; fails if there is none. */
    static void rollback(Connection c) throws SQLException {
        execute(c, "ROLLBACK");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** A read-only connection. */
    public static Connection reader(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.READONLY);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }
}
