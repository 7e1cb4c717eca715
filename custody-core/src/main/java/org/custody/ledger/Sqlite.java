package org.custody.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** Opening SQLite connections with the settings the ledger relies on. */
final class Sqlite {
    static final int BUSY_TIMEOUT_MS = 30_000;

    private Sqlite() {}

    /** A writable connection: WAL, synchronous=FULL (durable commits), immediate transactions. */
    static Connection writer(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        c.setAutoCommit(false);
        return c;
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
