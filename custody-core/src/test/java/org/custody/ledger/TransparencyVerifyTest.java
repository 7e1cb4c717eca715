package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteSigner;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.custody.testing.Tamper;
import org.junit.jupiter.api.Test;

/**
 * The verifier rebuilds the Merkle tree from the entries and checks the stored tree and checkpoints against it (I08),
 * and a checkpoint the inspector kept (I09), on real SQLite files edited the way a forger with the file could.
 */
class TransparencyVerifyTest {
    static final Suite SUITE = Suite.ED25519_SHA256;

    /** A ledger of about 60 entries with checkpoint key {@code key} and checkpoints at two sizes. */
    static Path ledger(Scratch scratch, SigningKey key) {
        Path file = scratch.file("l.db");
        try (Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(file, SUITE, key, 20)) {
            ledger.signCheckpoint(key);
            ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "MORE", 40));
            ledger.signCheckpoint(key);
        }
        return file;
    }

    static Map<FindingCode, Long> verify(Path file) {
        return Integrity.counts(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
    }

    static void sql(Path file, String sql, Object... args) throws Exception {
        try (Connection c = Sqlite.writer(file); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    @Test
    void ledgerWithTreeAndCheckpoints_verifiesClean() {
        try (Scratch scratch = new Scratch()) {
            Path file = ledger(scratch, SigningKey.generate(SUITE.signature()));
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertTrue(report.intact(), Integrity.findings(report).toString());
        }
    }

    @Test
    void storedTileChanged_isI08_namingTheEntryThatCompletedIt() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = ledger(scratch, SigningKey.generate(SUITE.signature()));
            sql(file, "UPDATE tree_tiles SET hashes = zeroblob(512) WHERE level = 0 AND idx = 1");
            List<Finding> findings = Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
            assertEquals(1, findings.size(), findings.toString());
            assertEquals(FindingCode.I08, findings.get(0).code());
            assertEquals(31, findings.get(0).seq());
            assertTrue(findings.get(0).message().contains("tile (0, 1)"), findings.get(0).message());
        }
    }

    @Test
    void storedTileDeleted_orAdded_isI08() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = ledger(scratch, SigningKey.generate(SUITE.signature()));
            sql(file, "DELETE FROM tree_tiles WHERE level = 0 AND idx = 2");
            assertEquals(Map.of(FindingCode.I08, 2L), verify(file), "the missing tile, and the count");
            sql(file, "INSERT INTO tree_tiles (level, idx, hashes) VALUES (0, 2, zeroblob(512))");
            sql(file, "INSERT INTO tree_tiles (level, idx, hashes) VALUES (5, 0, zeroblob(512))");
            assertEquals(Map.of(FindingCode.I08, 2L), verify(file), "the wrong tile, and the extra one");
        }
    }

    @Test
    void storedCheckpointWithAnotherRoot_isI08() throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = ledger(scratch, key);
            long size;
            String forged;
            try (Ledger ledger = Ledger.open(file)) {
                size = ledger.head().size();
                // signed by the real key, but over the root of a shorter tree: a checkpoint that lies
                forged = NoteSigner.of(ledger.origin(), key).sign(Checkpoint.of(ledger.origin(), size, ledger.root(size - 1)).text()).toString();
            }
            sql(file, "UPDATE checkpoints SET note = ? WHERE size = ?", forged.getBytes(java.nio.charset.StandardCharsets.UTF_8), size);
            List<Finding> findings = Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
            assertEquals(1, findings.size(), findings.toString());
            assertEquals(FindingCode.I08, findings.get(0).code());
            assertEquals(size - 1, findings.get(0).seq());
        }
    }

    @Test
    void storedCheckpointSignedByAnotherKey_isI08() throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = ledger(scratch, key);
            long size;
            String forged;
            try (Ledger ledger = Ledger.open(file)) {
                size = ledger.head().size();
                SigningKey other = SigningKey.generate(SUITE.signature());
                forged = NoteSigner.of(ledger.origin(), other).sign(Checkpoint.of(ledger.origin(), size, ledger.root(size)).text()).toString();
            }
            sql(file, "UPDATE checkpoints SET note = ? WHERE size = ?", forged.getBytes(java.nio.charset.StandardCharsets.UTF_8), size);
            List<Finding> findings = Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
            assertEquals(1, findings.size(), findings.toString());
            assertTrue(findings.get(0).message().contains("not signed by the ledger's checkpoint key"), findings.toString());
        }
    }

    @Test
    void truncatedAfterACheckpoint_isI08ForTheStoredOne_andI09ForTheKeptOne() throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = ledger(scratch, key);
            Checkpoint kept;
            try (Ledger ledger = Ledger.open(file)) {
                kept = Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text());
            }
            try (Tamper t = Tamper.open(file)) {
                t.deleteFrom(kept.size() - 5);
                t.headAt(kept.size() - 6);
            }
            sql(file, "DELETE FROM tree_tiles WHERE level = 0 AND idx = 3"); // as a careful forger would
            Map<FindingCode, Long> counts = Integrity.counts(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults(), kept));
            assertEquals(1L, counts.get(FindingCode.I09), counts.toString());
            assertTrue(counts.get(FindingCode.I08) >= 1, counts.toString());
        }
    }

    @Test
    void keptCheckpoint_ofAGrownLedger_isNoFinding() {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            Checkpoint kept;
            try (Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(file, SUITE, key, 20)) {
                kept = Checkpoint.parse(ledger.signCheckpoint(key).text());
                ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "GROWN", 25));
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults(), kept);
            assertTrue(report.intact(), Integrity.findings(report).toString());
        }
    }

    @Test
    void keptCheckpoint_ofAFork_withTheSameSize_isI09() throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            Path fork = scratch.file("fork.db");
            try (Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(file, SUITE, key, 10)) {
                ledger.signCheckpoint(key);
            }
            Files.copy(file, fork);
            Checkpoint kept;
            try (Ledger ledger = Ledger.open(file); Ledger forked = Ledger.open(fork)) {
                ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "SEEN", 3));
                kept = Checkpoint.parse(ledger.signCheckpoint(key).text());
                forked.appendAll(LedgerCheckpointTest.registrations(SUITE, "SHOWN", 5));
            }
            List<Finding> findings = Integrity.findings(LedgerVerifier.verify(fork, LedgerVerifier.Options.defaults(), kept));
            assertEquals(1, findings.size(), findings.toString());
            assertEquals(FindingCode.I09, findings.get(0).code());
            assertEquals(kept.size() - 1, findings.get(0).seq());
        }
    }

    enum Rewrite { CHANGE_BODY, DELETE_ENTRY, TRUNCATE, SWAP }

    @Provide
    Arbitrary<Rewrite> rewrites() {
        return Arbitraries.of(Rewrite.class);
    }

    /** Any rewrite of history before a kept checkpoint is caught as I09, whatever else it breaks. */
    @Property(tries = 25)
    void anyRewriteBeforeAKeptCheckpoint_isI09(@ForAll("rewrites") Rewrite rewrite,
                                               @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 29) int where,
                                               @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 20) int later) throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            Checkpoint kept;
            try (Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(file, SUITE, key, 28)) {
                kept = Checkpoint.parse(ledger.signCheckpoint(key).text());
                ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "AFTER", later + 1));
            }
            long seq = Math.min(where, kept.size() - 1);
            try (Tamper t = Tamper.open(file)) {
                switch (rewrite) {
                    case CHANGE_BODY -> {
                        byte[] body = t.body(seq);
                        body[body.length / 2] ^= 1;
                        t.setBody(seq, body);
                    }
                    case DELETE_ENTRY -> t.deleteEntry(seq);
                    case TRUNCATE -> {
                        t.deleteFrom(seq);
                        t.headAt(seq - 1);
                    }
                    case SWAP -> {
                        byte[] a = t.body(seq - 1);
                        byte[] b = t.body(seq);
                        t.setBody(seq - 1, b);
                        t.setBody(seq, a);
                    }
                }
            }
            Map<FindingCode, Long> counts = Integrity.counts(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults(), kept));
            assertEquals(1L, counts.get(FindingCode.I09), rewrite + " at " + seq + ": " + counts);
        }
    }


    /** A ledger of 20 entries at {@code file} whose checkpoint was kept, then {@code more} registrations: the kept checkpoint. */
    private static Checkpoint keptThenGrown(Path file, SigningKey key, int more) {
        try (Ledger ledger = LedgerCheckpointTest.ledgerWithCheckpointKey(file, SUITE, key, 20)) {
            Checkpoint kept = Checkpoint.parse(ledger.signCheckpoint(key).text());
            ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "TODAY", more));
            return kept;
        }
    }

    /** {@code body} with one character in the middle of its first signature changed: the signature no longer verifies. */
    private static byte[] forgedSignature(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"sig\":\"") + 7 + 20;
        char c = text.charAt(at);
        return (text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void sinceKeptCheckpoint_checksSignaturesOnlyAfterIt_andSaysSo_andAForgedNewEntryIsStillI03() throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            Checkpoint kept = keptThenGrown(file, key, 12);
            AuditReport since = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().sinceKept(), kept);
            AuditReport full = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults(), kept);
            assertTrue(since.intact(), Integrity.findings(since).toString());
            assertEquals(kept.size(), since.signaturesFrom());
            assertEquals(0, full.signaturesFrom());
            assertEquals(full.entries(), since.entries());
            assertEquals(full.findings(), since.findings(), "the same findings: only the old signatures were not checked again");
            assertTrue(since.summary().contains("(signatures checked from entry " + kept.size() + " on)"), since.summary());
            assertTrue(org.custody.audit.ReportWriter.text(since, java.time.ZoneOffset.UTC)
                    .contains("Signatures were checked from entry " + kept.size() + " on"));

            long last = since.entries() - 1;
            try (org.custody.testing.Tamper t = org.custody.testing.Tamper.open(file)) {
                t.setBody(last, forgedSignature(t.body(last)));
            }
            AuditReport forged = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().sinceKept(), kept);
            assertTrue(forged.findings(FindingCode.I03).stream().anyMatch(f -> f.seq() == last), forged.findings().toString());
        }
    }

    @Test
    void sinceKeptCheckpoint_anOldEntryRewritten_isI09_evenThoughItsSignatureIsNotCheckedAgain() throws Exception {
        SigningKey key = SigningKey.generate(SUITE.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            Checkpoint kept = keptThenGrown(file, key, 5);
            try (org.custody.testing.Tamper t = org.custody.testing.Tamper.open(file)) {
                t.setBody(5, forgedSignature(t.body(5)));
            }
            AuditReport since = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().sinceKept(), kept);
            assertEquals(List.of(), since.findings(FindingCode.I03), "not checked again");
            assertEquals(1, since.findings(FindingCode.I09).size(), since.findings().toString());
            assertEquals(AuditReport.EXIT_INTEGRITY, since.exitStatus());
            assertTrue(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()).findings(FindingCode.I03).stream()
                    .anyMatch(f -> f.seq() == 5), "a full verification names the forged signature");
            assertThrowsIllegal(() -> LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().sinceKept()));
        }
    }

    private static void assertThrowsIllegal(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, e);
    }
}
