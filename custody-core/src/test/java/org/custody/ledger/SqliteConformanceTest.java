package org.custody.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.custody.ledger.sqlite.SqliteStore;
import org.custody.store.LedgerStore;
import org.junit.jupiter.api.io.TempDir;

/** The store conformance suite on SQLite files. */
class SqliteConformanceTest extends StoreConformanceTest {
    @TempDir
    Path dir;
    private int next;

    @Override
    LedgerLocation fresh() {
        return LedgerLocation.of(dir.resolve("ledger-" + next++ + ".db"));
    }

    @Override
    void execute(LedgerLocation location, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + location); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    LedgerStore openStore(LedgerLocation location) {
        return SqliteStore.open(((LedgerLocation.File) location).path());
    }
}
