package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;
import org.custody.timestamp.LocalTsa;
import org.custody.timestamp.TestPki;
import org.custody.timestamp.TimestampToken;
import org.custody.timestamp.TimestampUnavailableException;
import org.custody.timestamp.TimestampVerificationException;
import org.custody.timestamp.TimestampVerifier;
import org.custody.timestamp.TsaClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints timestamped by a local RFC 3161 TSA: stored beside the checkpoint, exported in the bundle, checked by the
 * verifier under the TSA root the inspector gives (I08), and bounding the entries' append times (I12).
 */
class CheckpointTimestampTest {
    static final Suite SUITE = Suite.ED25519_SHA256;
    static TestPki pki;
    static TestPki untrusted;
    /** A TSA whose clock is the ledger's (the entries' append time). */
    static LocalTsa tsa;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.generate("Custody test");
        untrusted = TestPki.generate("Untrusted");
        tsa = LocalTsa.start(pki.tsa(), Chains.CLOCK);
    }

    @AfterAll
    static void stop() {
        tsa.close();
    }

    static LedgerVerifier.Options trusting(TestPki p) {
        return LedgerVerifier.Options.defaults().withTsa(TimestampVerifier.of(List.of(p.root())));
    }

    /** A ledger with a checkpoint of its first entries, timestamped by {@code by}, and {@code after} more entries. */
    static Ledger timestamped(Path file, SigningKey logKey, LocalTsa by, int after) {
        Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(file, SUITE, logKey, 8);
        long size = Checkpoint.parse(ledger.signCheckpoint(logKey).text()).size();
        ledger.timestampCheckpoint(size, TsaClient.of(by.url()));
        ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "AFTER", after));
        return ledger;
    }

    static Path export(Path ledger, Path bundle) throws Exception {
        try (OutputStream out = Files.newOutputStream(bundle)) {
            Bundle.export(ledger, out);
        }
        return bundle;
    }

    static List<Finding> i08(AuditReport r) {
        return r.findings(FindingCode.I08);
    }

    @Test
    void timestampCheckpoint_isStored_exported_andVerifiesUnderTheTsaRoot() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            long size;
            try (Ledger ledger = timestamped(file, logKey, tsa, 3)) {
                size = Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text()).size();
                TimestampToken token = ledger.timestamp(size).orElseThrow();
                assertEquals(Chains.APPENDED.getEpochSecond(), token.genTime().getEpochSecond());
                long asked = tsa.requests();
                assertEquals(token, ledger.timestampCheckpoint(size, TsaClient.of(tsa.url())), "a stamped checkpoint keeps its token");
                assertEquals(asked, tsa.requests(), "without asking the TSA again");
            }
            AuditReport report = LedgerVerifier.verify(file, trusting(pki));
            assertTrue(report.intact(), report.toString());
            Path bundle = export(file, scratch.file("b.txt"));
            String text = Files.readString(bundle);
            assertTrue(text.contains("\ns " + size + " "), "the bundle carries the token");
            assertTrue(text.endsWith(" 1\n") && text.lines().reduce((a, b) -> b).orElseThrow().split(" ").length == 5, text);
            AuditReport fromBundle = Bundle.verify(bundle, trusting(pki), null);
            assertTrue(fromBundle.intact(), fromBundle.toString());
            assertEquals(report.findings().toString(), fromBundle.findings().toString());
        }
    }

    @Test
    void verify_underAnotherTsaRoot_isI08_namingTheCheck() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            timestamped(file, logKey, tsa, 0).close();
            for (AuditReport r : List.of(LedgerVerifier.verify(file, trusting(untrusted)),
                    Bundle.verify(export(file, scratch.file("b.txt")), trusting(untrusted), null))) {
                assertEquals(1, i08(r).size(), r.toString());
                assertTrue(i08(r).get(0).toString().contains("UNTRUSTED"), i08(r).get(0).toString());
                assertFalse(r.intact());
            }
        }
    }

    @Test
    void verify_aTamperedToken_orAnotherCheckpointsToken_isI08() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            long first;
            long second;
            try (Ledger ledger = timestamped(file, logKey, tsa, 2)) {
                first = Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text()).size();
                second = Checkpoint.parse(ledger.signCheckpoint(logKey).text()).size();
                ledger.timestampCheckpoint(second, TsaClient.of(tsa.url()));
            }
            byte[] token;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                try (var rs = c.createStatement().executeQuery("SELECT token FROM checkpoint_timestamps WHERE size = " + first)) {
                    rs.next();
                    token = rs.getBytes(1);
                }
                // the first checkpoint's token moved to the second: its imprint is another note text's
                try (PreparedStatement s = c.prepareStatement("UPDATE checkpoint_timestamps SET token = ? WHERE size = ?")) {
                    s.setBytes(1, token);
                    s.setLong(2, second);
                    s.executeUpdate();
                    byte[] damaged = token.clone();
                    damaged[damaged.length - 3] ^= 0x01;
                    s.setBytes(1, damaged);
                    s.setLong(2, first);
                    s.executeUpdate();
                }
            }
            AuditReport r = LedgerVerifier.verify(file, trusting(pki));
            assertEquals(2, i08(r).size(), r.toString());
            assertTrue(i08(r).stream().anyMatch(f -> f.toString().contains("IMPRINT_MISMATCH")), r.toString());
            assertTrue(i08(r).stream().anyMatch(f -> f.toString().contains("of size " + first)), r.toString());
            AuditReport withoutTsa = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertTrue(i08(withoutTsa).stream().anyMatch(f -> f.toString().contains("IMPRINT_MISMATCH")),
                    "a token about another checkpoint is found without the TSA's certificates too: " + withoutTsa);
            AuditReport bundle = Bundle.verify(export(file, scratch.file("b.txt")), trusting(pki), null);
            assertEquals(r.findings().toString(), bundle.findings().toString());
        }
    }

    @Test
    void entriesInATimestampedCheckpoint_appendedAfterItsTime_areI12() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        // the TSA says the checkpoint existed an hour before the ledger's clock says its entries were appended
        try (Scratch scratch = new Scratch();
             LocalTsa early = LocalTsa.start(pki.tsa(), Clock.fixed(Chains.APPENDED.minus(Duration.ofHours(1)), ZoneOffset.UTC))) {
            Path file = scratch.file("l.db");
            timestamped(file, logKey, early, 0).close();
            AuditReport r = LedgerVerifier.verify(file, trusting(pki));
            List<Finding> late = r.findings(FindingCode.I12);
            assertFalse(late.isEmpty(), r.toString());
            assertTrue(late.get(0).toString().contains("which contains it"), late.get(0).toString());
            assertTrue(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()).findings(FindingCode.I12).isEmpty(),
                    "only a verified time bounds the entries");
        }
    }

    @Test
    void entriesAfterATimestampedCheckpoint_appendedBeforeItsTime_areI12() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch();
             LocalTsa late = LocalTsa.start(pki.tsa(), Clock.fixed(Chains.APPENDED.plus(Duration.ofHours(1)), ZoneOffset.UTC))) {
            Path file = scratch.file("l.db");
            long size;
            try (Ledger ledger = timestamped(file, logKey, late, 2)) {
                size = Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text()).size();
            }
            AuditReport r = LedgerVerifier.verify(file, trusting(pki));
            List<Finding> early = r.findings(FindingCode.I12);
            assertEquals(2, early.size(), r.toString());
            assertTrue(early.get(0).toString().contains("does not contain it yet"), early.get(0).toString());
            assertEquals(size, early.get(0).seq());
        }
    }

    @Test
    void addTimestamp_ofAnotherText_isRefused_andNothingStored() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch(); Ledger ledger = timestamped(scratch.file("l.db"), logKey, tsa, 1)) {
            long size = Checkpoint.parse(ledger.signCheckpoint(logKey).text()).size();
            TimestampToken other = TsaClient.of(tsa.url()).stamp("another text\n".getBytes(StandardCharsets.UTF_8));
            assertThrows(TimestampVerificationException.class, () -> ledger.addTimestamp(size, other));
            assertTrue(ledger.timestamp(size).isEmpty());
            assertThrows(MalformedInputException.class, () -> ledger.addTimestamp(size + 1, other));
        }
    }

    @Test
    void checkpointer_withATsa_timestampsItsCheckpoints_andAFailingTsaLeavesThemWithout() throws Exception {
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch();
             Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(scratch.file("l.db"), SUITE, logKey, 5)) {
            List<SignedNote> made = new CopyOnWriteArrayList<>();
            List<RuntimeException> errors = new CopyOnWriteArrayList<>();
            Checkpointer checkpointer = Checkpointer.start(ledger, logKey, Duration.ofMillis(20), made::add, errors::add,
                    TsaClient.of(tsa.url()));
            try {
                long size = ledger.head().size();
                awaitToken(ledger, size);
                tsa.failing(true);
                ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "DOWN", 2));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (errors.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            } finally {
                checkpointer.close();
                tsa.failing(false);
            }
            long grown = ledger.head().size();
            assertTrue(ledger.checkpoint(grown).isPresent(), "the checkpoint is made");
            assertTrue(ledger.timestamp(grown).isEmpty(), "without a token");
            assertFalse(errors.isEmpty());
            assertTrue(errors.stream().allMatch(e -> e instanceof TimestampUnavailableException), errors.toString());
        }
    }

    private static void awaitToken(Ledger ledger, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ledger.timestamp(size).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(ledger.timestamp(size).isPresent(), "the checkpoint of size " + size + " got its token");
    }
}
