package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.SigningKey;
import org.custody.ledger.postgres.PostgresUrl;
import org.custody.testing.Cast;
import org.custody.testing.Chains;
import org.custody.testing.Integrity;
import org.custody.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody migrate}'s core: SQLite to PostgreSQL and back, verified, never over an existing ledger. */
class MigrationTest {
    @TempDir
    Path dir;
    private final List<PostgresUrl> made = new ArrayList<>();

    private LedgerLocation.Database schema() {
        PostgresUrl url = TestPostgres.freshSchema();
        made.add(url);
        return new LedgerLocation.Database(url);
    }

    @AfterEach
    void dropSchemas() {
        made.forEach(TestPostgres::drop);
    }

    @Test
    void copy_sqliteToPostgresAndBack_keepsEveryByte_verifies_andTheCopyAppendsOn() {
        Chains.Chain chain = StoreConformanceTest.chain(40, Chains.Kind.HANDOFF);
        SigningKey logKey = SigningKey.generate(StoreConformanceTest.SUITE.signature(), Cast.seeded(8));
        LedgerLocation file = LedgerLocation.of(dir.resolve("exam.db"));
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
            ledger.append(LedgerCheckpointTest.enrolCheckpointKey(StoreConformanceTest.SUITE, logKey, "enrol-log-1"));
            ledger.signCheckpoint(logKey);
        }
        LedgerLocation.Database database = schema();
        List<Long> progress = new ArrayList<>();
        Migration.Migrated there = Migration.copy(file, database, progress::add);
        assertEquals(chain.size() + 1, there.entries());
        assertEquals(there.entries(), progress.get(progress.size() - 1));
        assertEquals(List.of(), Integrity.findings(there.report()), there.report().summary());
        assertArrayEquals(StoreConformanceTest.export(file), StoreConformanceTest.export(database));

        LedgerLocation back = LedgerLocation.of(dir.resolve("back.db"));
        Migration.Migrated returned = Migration.copy(database, back, n -> { });
        assertEquals(there.bundleSha256(), returned.bundleSha256());
        assertArrayEquals(StoreConformanceTest.export(file), StoreConformanceTest.export(back));

        try (Ledger copy = Ledger.open(database)) {
            assertTrue(copy.latestCheckpoint().isPresent());
            copy.appendAll(LedgerCheckpointTest.registrations(StoreConformanceTest.SUITE, "K07.01.S1.ENG", 2));
            assertEquals(chain.size() + 3, copy.head().size());
            assertEquals(List.of(), Integrity.findings(copy.verify()));
        }
    }

    @Test
    void copy_ontoAnExistingLedger_orFromNothing_isRefused_andLeavesNothingBehind() throws Exception {
        Chains.Chain chain = StoreConformanceTest.chain(6, Chains.Kind.HANDOFF);
        LedgerLocation file = LedgerLocation.of(dir.resolve("exam.db"));
        LedgerLocation.Database database = schema();
        Ledger.create(file, chain.records().get(0), Chains.CLOCK).close();
        Ledger.create(database, chain.records().get(0), Chains.CLOCK).close();

        LedgerStoreException onto = assertThrows(LedgerStoreException.class, () -> Migration.copy(file, database, n -> { }));
        assertTrue(onto.getMessage().contains("holds a ledger already"), onto.getMessage());
        LedgerStoreException ontoFile = assertThrows(LedgerStoreException.class, () -> Migration.copy(database, file, n -> { }));
        assertTrue(ontoFile.getMessage().contains("exists already"), ontoFile.getMessage());
        LedgerStoreException itself = assertThrows(LedgerStoreException.class, () -> Migration.copy(file, file, n -> { }));
        assertTrue(itself.getMessage().contains("onto itself"), itself.getMessage());

        Path nowhere = dir.resolve("missing.db");
        LedgerLocation target = LedgerLocation.of(dir.resolve("never.db"));
        LedgerStoreException missing = assertThrows(LedgerStoreException.class,
                () -> Migration.copy(LedgerLocation.of(nowhere), target, n -> { }));
        assertTrue(missing.getMessage().contains("no ledger at " + nowhere), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("never.db")));
        try (Ledger still = Ledger.open(database)) {
            assertEquals(1, still.head().size(), "the existing ledger is as it was");
        }
    }
}
