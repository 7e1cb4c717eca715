package org.custody.ledger.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.custody.audit.AuditReport;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.LedgerTreeTest;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;

/**
 * Ledger files of schema version 1 still open: the writer migrates them to version 2 (building the Merkle tree from
 * the entries), the verifier reads them as they are.
 */
class SchemaMigrationTest {

    /**
     * Turns a new file into exactly what version 1 wrote: a bag's history in {@code bag_entries (bag, seq)} instead
     * of {@code bag_links}, without the tables versions 2, 4, 5 and 6 added, and the old version number.
     */
    static void downgradeToVersion1(Path file) throws SQLException {
        try (Connection c = Sqlite.writer(file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bag_entries (bag TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (bag, seq)) WITHOUT ROWID");
            s.execute("INSERT INTO bag_entries (bag, seq) SELECT bag, seq FROM bag_links");
            s.execute("DROP TABLE bag_links");
            s.execute("DROP TABLE tree_tiles");
            s.execute("DROP TABLE checkpoint_keys");
            s.execute("DROP TABLE checkpoints");
            s.execute("DROP TABLE rule_state");
            s.execute("DROP TABLE rule_state_at");
            s.execute("DROP TABLE findings");
            s.execute("DROP TABLE finding_bags");
            s.execute("DROP TABLE bag_index");
            s.execute("DROP TABLE entry_terms");
            s.execute("DROP TABLE checkpoint_timestamps");
            s.execute("UPDATE custody_meta SET value = '1' WHERE name = 'schema_version'");
        }
    }

    static String version(Path file) throws SQLException {
        try (Connection c = Sqlite.reader(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM custody_meta WHERE name = 'schema_version'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void version1File_isMigratedWhenOpened_andItsTreeMatchesTheEntries() throws Exception {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, LedgerTreeTest.ops(45));
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("v1.db");
            try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                ledger.appendAll(chain.afterGenesis().subList(0, 37));
            }
            downgradeToVersion1(file);
            assertEquals("1", version(file));
            AuditReport before = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertTrue(before.intact(), "the verifier reads a version 1 file as it is");
            assertEquals("1", version(file), "verifying does not migrate");

            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                assertEquals(String.valueOf(Schema.VERSION), version(file));
                ledger.appendAll(chain.afterGenesis().subList(37, chain.afterGenesis().size()));
                LedgerTreeTest.checkAgainstReference(ledger, chain.entries());
            }
            assertTrue(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()).intact());
        }
    }

    @Test
    void versionNumberSetBack_withTheNewerTablesThere_isBroughtForwardAgain_andTheLedgerIsAsItWas() throws Exception {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, LedgerTreeTest.ops(6));
        for (String older : java.util.List.of("5", "6")) {
            try (Scratch scratch = new Scratch()) {
                Path file = scratch.file("set-back-" + older + ".db");
                org.custody.ledger.Head head;
                try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                    ledger.appendAll(chain.afterGenesis());
                    head = ledger.head();
                }
                try (Connection c = Sqlite.writer(file); Statement s = c.createStatement()) {
                    s.execute("UPDATE custody_meta SET value = '" + older + "' WHERE name = 'schema_version'");
                }
                try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                    assertEquals(String.valueOf(Schema.VERSION), version(file), "migrated from " + older + " again");
                    assertEquals(head, ledger.head());
                }
                assertTrue(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()).intact());
            }
        }
    }

    @Test
    void unknownSchemaVersion_isRefusedByName_andLeftAlone() throws Exception {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, LedgerTreeTest.ops(2));
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("v9.db");
            Ledger.create(file, chain.records().get(0), Chains.CLOCK).close();
            try (Connection c = Sqlite.writer(file); Statement s = c.createStatement()) {
                s.execute("UPDATE custody_meta SET value = '9' WHERE name = 'schema_version'");
            }
            LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> Ledger.open(file, Chains.CLOCK));
            assertTrue(e.getMessage().contains("schema version 9; this software reads versions 1 to " + Schema.VERSION), e.getMessage());
            assertEquals("9", version(file));
        }
    }

    @Test
    void damagedVersion1File_isNotMigrated_andStaysVersion1() throws Exception {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, LedgerTreeTest.ops(10));
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("gap.db");
            try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                ledger.appendAll(chain.afterGenesis());
            }
            downgradeToVersion1(file);
            try (Connection c = Sqlite.writer(file); Statement s = c.createStatement()) {
                s.execute("DELETE FROM entries WHERE seq = 4");
            }
            LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> Ledger.open(file, Chains.CLOCK));
            assertTrue(e.getMessage().contains("entry 4 is missing"), e.getMessage());
            assertEquals("1", version(file), "the failed migration changed nothing");
        }
    }
}
