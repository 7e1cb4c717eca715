package org.custody.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** Opening SQLite connections with the settings the ledger relies on. */
final class Sqlite {
    static final int BUSY_TIMEOUT_MS = 30_000;

    private Sqlite() {}

    /**
     * A writable connection: WAL, synchronous=FULL (durable commits), in auto-commit mode. Writers open
     * their transactions explicitly with {@code BEGIN IMMEDIATE} ({@link Ledger}); sqlite-jdbc's own
     * transaction mode would begin the next transaction right after each commit and hold the write lock.
     */
    static Connection writer(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** A read-only connection. */
    static Connection reader(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.READONLY);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }
}
