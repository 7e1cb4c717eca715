package org.custody.ledger.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.LedgerTest;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.testing.Cast;
import org.custody.testing.Integrity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ledger file of schema version 1 (bag history as {@code bag_entries}) is upgraded in place on open. */
class SchemaUpgradeTest {
    @TempDir
    Path dir;

    private static final BagId BAG = LedgerTest.BAG;

    @Test
    void open_versionOneFile_upgradedWithTheSameHistoryAndAppendsGoOn() throws SQLException {
        Cast cast = new Cast(Suite.ED25519_SHA256, 7);
        Path file = dir.resolve("v1.db");
        List<Long> before;
        Hash last;
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            Appended h1 = ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            last = ledger.append(cast.sign(LedgerTest.handoff("h-2", h1.hash(), "P002", "P001", "P003"))).hash();
            before = seqs(ledger.history(BAG));
        }
        SchemaMigrationTest.downgradeToVersion1(file);
        assertEquals("1", schemaVersion(file));

        try (Ledger ledger = Ledger.open(file)) {
            assertEquals(String.valueOf(Schema.VERSION), schemaVersion(file));
            assertEquals(List.of(1L, 2L, 3L), before);
            assertEquals(before, seqs(ledger.history(BAG)));
            ledger.append(cast.sign(LedgerTest.handoff("h-3", last, "P001", "P002", "P003")));
            assertEquals(List.of(1L, 2L, 3L, 4L), seqs(ledger.history(BAG)));
            assertEquals(List.of(), Integrity.findings(ledger.verify()));
        }
    }

    @Test
    void open_unknownSchemaVersion_refusedNamingIt() throws SQLException {
        Cast cast = new Cast(Suite.ED25519_SHA256, 8);
        Path file = dir.resolve("v9.db");
        Ledger.create(file, cast.genesis()).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("UPDATE custody_meta SET value = '9' WHERE name = 'schema_version'");
        }
        LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> Ledger.open(file));
        assertTrue(e.getMessage().contains("schema version 9"), e.getMessage());
    }

    private static String schemaVersion(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM custody_meta WHERE name = 'schema_version'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<Long> seqs(List<Entry> history) {
        return history.stream().map(Entry::seq).toList();
    }
}
