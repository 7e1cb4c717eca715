package org.custody.ledger.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerCheckpointTest;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.LedgerTreeTest;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.testing.Cast;
import org.custody.testing.Chains;
import org.custody.testing.Tamper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named cases of {@link StoredAudit}: each stored derived value, and each kind of cosignature line, on a real file. */
class StoredAuditTest {
    private static final Suite SUITE = Suite.ED25519_SHA256;
    private static final String INSPECTOR = "inspector.example/P003";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-06-05T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Path file;
    long checkpointSize;

    /** 21 entries and a checkpoint key's enrolment; a checkpoint cosigned by P003, an enrolled discipline inspector. */
    @BeforeEach
    void build() {
        file = dir.resolve("ledger.db");
        SigningKey logKey = SigningKey.generate(SUITE.signature(), Cast.seeded(99));
        Chains.Chain chain = Chains.build(SUITE, LedgerTreeTest.ops(20));
        try (Ledger l = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            l.appendAll(chain.afterGenesis());
            l.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
            l.signCheckpoint(logKey);
            try (Witness w = Witness.create(dir.resolve("w.state"), INSPECTOR, Chains.cast(SUITE).key("P003"),
                    l.checkpointKeys(l.head().size()), CLOCK)) {
                l.cosignLatest(w);
            }
            checkpointSize = l.head().size();
        }
        AuditReport clean = verify();
        assertTrue(clean.intact(), clean.findings().toString());
        assertEquals(List.of(), clean.untrustedCosignatures());
    }

    private AuditReport verify() {
        return LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().withThreads(1));
    }

    private void sql(String statement, Object... args) {
        Tamper.sql(file, statement, args);
    }

    private static Finding only(AuditReport report, FindingCode code) {
        List<Finding> found = report.findings(code);
        assertEquals(1, found.size(), report.findings().toString());
        assertEquals(java.util.Map.of(code, 1L), org.custody.testing.Integrity.counts(report), report.findings().toString());
        return found.get(0);
    }

    @Test
    void entryIndexColumns_editedWithoutTheBody_areI11NamingTheEntry() {
        sql("UPDATE entries SET type = 'revoke' WHERE seq = 5");
        Finding f = only(verify(), FindingCode.I11);
        assertEquals(5, f.seq());
        assertTrue(f.message().contains("type column of entry 5"), f.message());
        assertEquals("revoke", f.actual());
        assertTrue(f.chinese() != null);

        sql("UPDATE entries SET type = ? WHERE seq = 5", f.expected());
        sql("UPDATE entries SET at = '2030-01-01T00:00:00Z' WHERE seq = 7");
        assertEquals(7, only(verify(), FindingCode.I11).seq());
    }

    @Test
    void entryHashColumn_edited_isI11WithExpectedAndFound() {
        sql("UPDATE entries SET hash = zeroblob(32) WHERE seq = 3");
        Finding f = only(verify(), FindingCode.I11);
        assertEquals(3, f.seq());
        assertEquals("0".repeat(64), f.actual());
    }

    @Test
    void bagHead_rolledBackToAnEarlierEntryOfTheBag_isI11NamingTheBag() {
        // the last bag link whose bag has an earlier entry: point the bag's head back at that entry, as stored
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); var s = c.createStatement();
             var rs = s.executeQuery("SELECT bag, prev FROM bag_links WHERE prev IS NOT NULL ORDER BY seq DESC LIMIT 1")) {
            assertTrue(rs.next());
            String bag = rs.getString(1);
            long prev = rs.getLong(2);
            sql("UPDATE bag_heads SET seq = ?, hash = (SELECT hash FROM entries WHERE seq = ?) WHERE bag = ?", prev, prev, bag);
            Finding f = only(verify(), FindingCode.I11);
            assertEquals(bag, f.bags().get(0).value());
            assertTrue(f.actual().startsWith("(" + prev + ", "), f.actual());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bagLink_missing_isI11() {
        sql("DELETE FROM bag_links WHERE (seq, bag) = (SELECT seq, bag FROM bag_links ORDER BY seq DESC LIMIT 1)");
        Finding f = only(verify(), FindingCode.I11);
        assertTrue(f.message().contains("no row for bag"), f.message());
        assertEquals("no row", f.actual());
    }

    @Test
    void bagLink_extra_isI11() {
        sql("INSERT INTO bag_links (seq, bag, prev) VALUES (4, 'NOT-A-BAG-OF-4', NULL)");
        Finding f = only(verify(), FindingCode.I11);
        assertEquals(4, f.seq());
        assertTrue(f.message().contains("(4, NOT-A-BAG-OF-4) that no entry implies"), f.message());
    }

    @Test
    void keyRow_withAnotherPublicKey_isI11() {
        SigningKey forger = SigningKey.generate(SUITE.signature(), Cast.seeded(5));
        sql("UPDATE keys SET public = ? WHERE person = 'P002'", forger.publicKey().encoded());
        Finding f = only(verify(), FindingCode.I11);
        assertEquals(List.of("P002"), f.people().stream().map(p -> p.value()).toList());
    }

    @Test
    void checkpointKeyRow_forAKeyNoEntryEnrolsForIt_isI11() {
        sql("INSERT INTO checkpoint_keys (key_id, enrolled_seq) SELECT key_id, enrolled_seq FROM keys WHERE person = 'P002'");
        assertTrue(only(verify(), FindingCode.I11).message().contains("checkpoint keys have a row"));
    }

    @Test
    void metadata_namingAnotherLedger_isI11() {
        sql("UPDATE custody_meta SET value = 'OTHER' WHERE name = 'ledger'");
        AuditReport report = verify();
        assertTrue(report.findings(FindingCode.I11).stream().anyMatch(f -> f.seq() == 0 && "OTHER".equals(f.actual())),
                report.findings().toString());
    }

    @Test
    void metadata_damaged_isI11_withTheIdentityTakenFromTheGenesis_butANewerVersionIsStillRefused() throws Exception {
        Path root = dir;
        int n = 0;
        for (String damage : List.of("UPDATE custody_meta SET value = 'not a suite' WHERE name = 'suite'",
                "DELETE FROM custody_meta WHERE name = 'ledger'", "UPDATE custody_meta SET value = 'two' WHERE name = 'schema_version'")) {
            dir = java.nio.file.Files.createDirectory(root.resolve("case-" + n++));
            build();
            sql(damage);
            AuditReport report = verify();
            assertEquals(AuditReport.EXIT_INTEGRITY, report.exitStatus(), damage);
            Finding f = only(report, FindingCode.I11);
            assertTrue(f.seq() == 0 && f.message().contains("custody_meta") && f.message().contains("genesis entry"), f.message());
        }
        dir = java.nio.file.Files.createDirectory(root.resolve("newer"));
        build();
        sql("UPDATE custody_meta SET value = '9' WHERE name = 'schema_version'");
        LedgerStoreException newer = org.junit.jupiter.api.Assertions.assertThrows(LedgerStoreException.class, this::verify);
        assertTrue(newer.getMessage().contains("schema version 9"), newer.getMessage());
    }

    @Test
    void forgedCosignatureOfAnEnrolledInspector_isI08_inTheFileAndItsBundle() throws Exception {
        SignedNote note = storedNote();
        NoteSignature line = note.signatures().stream().filter(s -> s.name().equals(INSPECTOR)).findFirst().orElseThrow();
        String text = line.line();
        String b64 = text.substring(text.lastIndexOf(' ') + 1);
        byte[] raw = Base64.getDecoder().decode(b64);
        raw[raw.length - 1] ^= 1; // the signature's last byte: key name and id still claim P003's key
        String forged = note.toString().replace(text, text.substring(0, text.lastIndexOf(' ') + 1) + Base64.getEncoder().encodeToString(raw));
        sql("UPDATE checkpoints SET note = ? WHERE size = ?", forged.getBytes(StandardCharsets.UTF_8), checkpointSize);

        Finding f = only(verify(), FindingCode.I08);
        assertEquals(checkpointSize - 1, f.seq());
        assertTrue(f.message().contains(INSPECTOR) && f.message().contains("P003") && f.message().contains("does not verify"), f.message());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Bundle.export(file, out);
        AuditReport fromBundle = Bundle.verify(new ByteArrayInputStream(out.toByteArray()), dir,
                LedgerVerifier.Options.defaults().withThreads(1), null);
        assertEquals(f, only(fromBundle, FindingCode.I08));
    }

    @Test
    void cosignatureByAKeyTheLedgerDoesNotKnow_isListedNotTrusted_andNoFinding() {
        SigningKey stranger = SigningKey.generate(SUITE.signature(), Cast.seeded(123));
        try (Ledger l = Ledger.open(file, Chains.CLOCK);
             Witness w = Witness.create(dir.resolve("s.state"), "stranger.example/X", stranger,
                     l.checkpointKeys(l.head().size()), CLOCK)) {
            l.cosignLatest(w);
        }
        AuditReport report = verify();
        assertTrue(report.intact(), report.findings().toString());
        assertEquals(1, report.untrustedCosignatures().size());
        var listed = report.untrustedCosignatures().get(0);
        assertEquals(checkpointSize, listed.size());
        assertEquals("stranger.example/X", listed.name());
        assertEquals(NoteKey.of("stranger.example/X", NoteKeyType.of(SUITE.signature(), true), stranger.publicKey()).id(),
                listed.keyId());
        assertTrue(org.custody.audit.ReportWriter.json(report).contains("\"untrustedCosignatures\""));
        assertTrue(org.custody.audit.ReportWriter.text(report, ZoneOffset.UTC).contains("stranger.example/X"));
    }

    /**
     * Every tampered index is found by a verification. The append gate refuses a key row that is not what the entries
     * enrolled and revoked the first time it reads it, and, when it must replay the entries (the file keeps no rules'
     * state for its head, as after an upgrade), a file whose stored head, bag heads or entry columns disagree with
     * them. (With a rules' state kept for the head the gate replays nothing: a verification finds the rest.)
     */
    @Test
    void gate_refusesToAppendOnStoredIndexesItCannotTrust_andStoresNothing() {
        SigningKey forger = SigningKey.generate(SUITE.signature(), Cast.seeded(5));
        List<String> tampering = List.of(
                "UPDATE keys SET public = x'" + java.util.HexFormat.of().formatHex(forger.publicKey().encoded()) + "' WHERE person = 'P001'",
                "UPDATE keys SET revoked_from = '2021-06-01T00:00:00Z', revoked_seq = 3 WHERE person = 'P001'",
                "UPDATE head SET hash = zeroblob(32)",
                "UPDATE bag_heads SET hash = zeroblob(32) WHERE bag = (SELECT min(bag) FROM bag_heads)",
                "UPDATE entries SET hash = zeroblob(32) WHERE seq = 2");
        byte[] original;
        try {
            original = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String change : tampering) {
            try {
                java.nio.file.Files.write(file, original);
                java.nio.file.Files.deleteIfExists(Path.of(file + "-wal"));
                java.nio.file.Files.deleteIfExists(Path.of(file + "-shm"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            sql(change);
            assertTrue(!verify().intact(), change);
            if (!change.startsWith("UPDATE keys")) {
                // key rows are checked against their entries whenever the gate first reads them; the other tables only
                // when the gate replays the entries, as for a file that keeps no rules' state for its head
                sql("DELETE FROM rule_state_at");
            }
            try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
                long before = l.head().size();
                var refused = org.junit.jupiter.api.Assertions.assertThrows(AppendRefusedException.class,
                        () -> l.append(LedgerCheckpointTest.registrations(SUITE, "GATE", 1).get(0)), change);
                assertTrue(refused.findings().stream().anyMatch(f -> f.code() == FindingCode.I11), change + ": " + refused.findings());
                assertEquals(before, l.head().size(), change);
            }
        }
    }

    @Test
    void gate_appendsToAnUntamperedFile() {
        try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
            l.append(LedgerCheckpointTest.registrations(SUITE, "GATE", 1).get(0));
        }
        assertTrue(verify().intact());
    }

    private SignedNote storedNote() {
        try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
            return l.checkpoint(checkpointSize).orElseThrow();
        }
    }
}
