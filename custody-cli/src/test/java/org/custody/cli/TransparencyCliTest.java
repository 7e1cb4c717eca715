package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcripts of export, checkpoint and verify with bundles and kept checkpoints, on real files and key files. */
class TransparencyCliTest {
    @TempDir
    Path dir;
    Path ledgerFile;
    Path logKeyFile;
    Path inspectorKeyFile;
    Path passphrase;
    SigningKey founder;
    static final LedgerId ID = LedgerId.of("CLI-TLOG");
    static final Instant T = Instant.parse("2021-06-09T00:30:00Z");

    @BeforeEach
    void createLedger() throws Exception {
        founder = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey logKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person a = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        Person log = Person.of("LOG", "Checkpoint signer", Role.CHECKPOINT_SIGNER);
        ledgerFile = dir.resolve("ledger.db");
        Genesis genesis = new Genesis(RecordId.of("g"), ID, T, Suite.ED25519_SHA256, List.of(new Founder(a, founder.publicKey())));
        try (Ledger ledger = Ledger.create(ledgerFile, SignedRecord.unsigned(genesis).signedBy(founder))) {
            Enrolment e = new Enrolment(RecordId.of("enrol-log"), ID, T, log, logKey.publicKey(), a.id());
            ledger.append(SignedRecord.unsigned(e).signedBy(founder).signedBy(logKey));
            grow(ledger, "A", 5);
        }
        passphrase = dir.resolve("pass.txt");
        Cli.secret(passphrase, "correct horse battery\n");
        logKeyFile = dir.resolve("log.key");
        KeyFiles.write(logKeyFile, logKey, "correct horse battery".toCharArray(), KeyFiles.MIN_ITERATIONS);
        inspectorKeyFile = dir.resolve("inspector.key");
        KeyFiles.write(inspectorKeyFile, SigningKey.generate(SignatureAlgorithm.ED25519), "correct horse battery".toCharArray(),
                KeyFiles.MIN_ITERATIONS);
    }

    @Test
    void verifySince_aKeptState_checksOnlyWhatCameAfter_andSaysWhatWasCovered_inEveryFormat() throws Exception {
        Path first = dir.resolve("yesterday.state");
        Result kept = run("verify", ledgerFile.toString(), "--save-state", first.toString());
        assertEquals(0, kept.status(), kept.out() + kept.err());
        assertTrue(kept.err().contains("verification state of 7 entries saved to " + first), kept.err());
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(first));
        try (Ledger ledger = Ledger.open(ledgerFile)) {
            grow(ledger, "B", 20);
        }

        Result text = run("verify", ledgerFile.toString(), "--since", first.toString(), "--progress");
        assertEquals(0, text.status(), text.out() + text.err());
        assertTrue(text.out().contains("Incremental verification 增量核验: since the kept verification state of 7 entries"), text.out());
        assertTrue(text.out().contains("entries 7 to 26: everything a full verification checks") && text.out().contains("第7至26条记录：与完整核验相同")
                && text.out().contains("Not checked again 未重新核验") && text.out().contains("签名、格式、链接"), text.out());
        assertTrue(text.out().contains("intact: 27 entries (incremental: entries 7 to 26 checked in full, the 7 before against the kept state)"),
                text.out());
        assertTrue(text.err().contains("verifying since the kept verification state of 7 entries") && text.err().contains("27/27"), text.err());

        Result json = run("verify", ledgerFile.toString(), "--since", first.toString(), "--format", "json");
        var coverage = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).path("coverage");
        assertEquals(7, coverage.path("from").asLong(), json.out());
        assertEquals(27, coverage.path("to").asLong());
        assertTrue(coverage.path("incremental").asBoolean());
        assertEquals(org.custody.ledger.verify.VerificationState.read(first).digest().hex(), coverage.path("stateDigest").asText());
        assertTrue(coverage.path("checked").get(1).path("zh").asText().startsWith("第7至26条记录"), json.out());
        assertTrue(coverage.path("notChecked").get(0).path("en").asText().contains("their signatures"), json.out());

        Result html = run("verify", ledgerFile.toString(), "--since", first.toString(), "--format", "html");
        assertTrue(html.out().contains("<h2>Coverage 核验范围</h2>") && html.out().contains("增量核验"), html.out());

        Path second = dir.resolve("today.state");
        Result rolled = run("verify", ledgerFile.toString(), "--since", first.toString(), "--save-state", second.toString());
        assertEquals(0, rolled.status(), rolled.err());
        assertEquals(27, org.custody.ledger.verify.VerificationState.read(second).size());

        // an entry the kept state covers is changed: its signature is not checked again, but its bytes are (I09)
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + ledgerFile); var s = c.createStatement()) {
            s.executeUpdate("UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), '\"ENG\"', '\"CHN\"') AS BLOB) WHERE seq = 3");
        }
        Path third = dir.resolve("never.state");
        Result rewritten = run("verify", ledgerFile.toString(), "--since", first.toString(), "--save-state", third.toString());
        assertEquals(3, rewritten.status(), rewritten.out());
        assertTrue(rewritten.out().contains("I09") && rewritten.out().contains("another Merkle root than the kept verification state"),
                rewritten.out());
        assertTrue(rewritten.err().contains("was NOT saved") && !Files.exists(third), rewritten.err());

        Files.writeString(first, Files.readString(first).replace("\"size\":7", "\"size\":6"));
        Result damaged = run("verify", ledgerFile.toString(), "--since", first.toString());
        assertEquals(2, damaged.status(), damaged.out());
        assertTrue(damaged.err().contains("changed or damaged") && damaged.err().contains("核验状态文件"), damaged.err());
    }

    void grow(Ledger ledger, String prefix, int n) {
        grow(ledger, ID, founder, prefix, n);
    }

    /** Appends {@code n} registrations of one bag each, signed by {@code founder} as P001. */
    static void grow(Ledger ledger, LedgerId id, SigningKey founder, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            Registration r = new Registration(RecordId.of(prefix + "-r" + i), id, T.plusSeconds(i), List.of(Bag.papers(
                    BagId.of(prefix + ".B" + i), BagKind.QUESTION_PAPER, "HN", "K01", "01", "S1", "ENG", "A", 30,
                    Secrecy.CONFIDENTIAL)), List.of(PersonId.of("P001")));
            ledger.append(SignedRecord.unsigned(r).signedBy(founder));
        }
    }

    record Result(int status, String out, String err) {}

    @Test
    void checkpointMakeWithATsa_thenExport_thenVerifyWithTheTsaCert_isIntact_andAnotherRootIsI08() throws Exception {
        org.custody.timestamp.TestPki pki = org.custody.timestamp.TestPki.generate("CLI");
        Path root = pki.writeRoot(dir.resolve("tsa-root.pem"));
        Path otherRoot = org.custody.timestamp.TestPki.generate("Other").writeRoot(dir.resolve("other-root.pem"));
        try (org.custody.timestamp.LocalTsa tsa = org.custody.timestamp.LocalTsa.start(pki.tsa(), java.time.Clock.systemUTC())) {
            Result made = run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(),
                    "--passphrase-file", passphrase.toString(), "--tsa", tsa.url());
            assertEquals(0, made.status(), made.err());
            assertTrue(made.err().contains("timestamped by " + tsa.url()), made.err());
            Path token = dir.resolve("token.der");
            Result show = run("checkpoint", "show", ledgerFile.toString(), "--token-out", token.toString());
            assertEquals(0, show.status(), show.err());
            assertTrue(show.err().contains("RFC 3161 time-stamp token"), show.err());
            assertTrue(Files.size(token) > 100);

            Path bundle = dir.resolve("ledger.bundle");
            Result e = run("export", ledgerFile.toString(), "-o", bundle.toString());
            assertTrue(e.out().contains("1 checkpoints (1 with a time-stamp token)"), e.out());
            Result ok = run("verify", bundle.toString(), "--tsa-cert", root.toString());
            assertEquals(0, ok.status(), ok.out() + ok.err());
            Result bad = run("verify", ledgerFile.toString(), "--tsa-cert", otherRoot.toString());
            assertEquals(3, bad.status(), bad.out() + bad.err());
            assertTrue(bad.out().contains("I08") && bad.out().contains("UNTRUSTED"), bad.out());
            Result missing = run("verify", ledgerFile.toString(), "--tsa-cert", dir.resolve("none.pem").toString());
            assertEquals(2, missing.status(), missing.out() + missing.err());
        }
    }

    @Test
    void checkpointMakeWithAFailingTsa_makesTheCheckpointWithoutAToken_andCheckpointTimestampAsksAgain() throws Exception {
        org.custody.timestamp.TestPki pki = org.custody.timestamp.TestPki.generate("CLI");
        try (org.custody.timestamp.LocalTsa tsa = org.custody.timestamp.LocalTsa.start(pki.tsa(), java.time.Clock.systemUTC())) {
            tsa.failing(true);
            Result made = run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(),
                    "--passphrase-file", passphrase.toString(), "--tsa", tsa.url());
            assertEquals(0, made.status(), made.err());
            assertTrue(made.out().startsWith("custody/ledger/CLI-TLOG\n7\n"), made.out());
            assertTrue(made.err().contains("made, without a trusted time") && made.err().contains("未取得可信时间戳"), made.err());
            assertTrue(run("checkpoint", "show", ledgerFile.toString()).err().contains("no RFC 3161 time-stamp token"));
            Result again = run("checkpoint", "timestamp", ledgerFile.toString(), "--tsa", tsa.url());
            assertEquals(2, again.status(), again.err());
            assertTrue(again.err().contains("stays without a token"), again.err());
            tsa.failing(false);
            again = run("checkpoint", "timestamp", ledgerFile.toString(), "--tsa", tsa.url());
            assertEquals(0, again.status(), again.err());
            assertTrue(run("checkpoint", "show", ledgerFile.toString()).err().contains("RFC 3161 time-stamp token (可信时间戳)"));
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void export_thenVerifyTheBundle_givesTheLedgersReport() {
        Path bundle = dir.resolve("ledger.bundle");
        Result e = run("export", ledgerFile.toString(), "-o", bundle.toString());
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("exported 7 entries, 0 tree tiles and 0 checkpoints to " + bundle), e.out());
        Result fromFile = run("verify", "--format", "json", ledgerFile.toString());
        Result fromBundle = run("verify", "--format", "json", bundle.toString());
        assertEquals(fromFile.status(), fromBundle.status());
        assertEquals(fromFile.out(), fromBundle.out());

        Result again = run("export", ledgerFile.toString(), "-o", bundle.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("exists already"), again.err());
    }

    @Test
    void verify_truncatedBundle_isAnIntegrityFindingNamingTheLine() throws Exception {
        Path bundle = dir.resolve("ledger.bundle");
        run("export", ledgerFile.toString(), "-o", bundle.toString());
        List<String> lines = Files.readAllLines(bundle);
        Files.write(bundle, lines.subList(0, lines.size() - 1));
        Result r = run("verify", bundle.toString());
        assertDamaged(r);
        assertTrue(r.err().contains("bundle line " + lines.size() + ": the bundle ends early"), r.err());
    }

    @Test
    void verify_reorderedOrExtendedBundle_isAnIntegrityFinding() throws Exception {
        Path bundle = dir.resolve("ledger.bundle");
        run("export", ledgerFile.toString(), "-o", bundle.toString());
        List<String> lines = Files.readAllLines(bundle);

        List<String> reordered = new java.util.ArrayList<>(lines);
        java.util.Collections.swap(reordered, 1, 2);
        Files.write(bundle, reordered);
        assertDamaged(run("verify", bundle.toString()));

        List<String> extended = new java.util.ArrayList<>(lines);
        extended.add("garbage after the end");
        Files.write(bundle, extended);
        assertDamaged(run("verify", bundle.toString()));
    }

    @Test
    void evidence_ofAFileThatIsNoEvidenceAtAll_isAUsageError() throws Exception {
        Path notEvidence = Files.writeString(dir.resolve("notes.txt"), "shopping list\n");
        Result r = run("evidence", notEvidence.toString(), "--log-key", "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("is this an export bundle or evidence file?"), r.err());
    }

    /** A damaged bundle is an integrity finding (exit 3), never a user's typing mistake. */
    private static void assertDamaged(Result r) {
        assertEquals(3, r.status(), r.toString());
        assertTrue(r.err().contains("I01") && r.err().contains("文件已损坏"), r.err());
        assertTrue(!r.err().contains("Correct the value"), r.err());
    }

    @Test
    void checkpoint_make_show_cosign_compare_andVerifyAgainstIt() throws Exception {
        Result made = run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(0, made.status(), made.err());
        assertTrue(made.out().startsWith("custody/ledger/CLI-TLOG\n7\n"), made.out());

        Path state = dir.resolve("witness.state");
        Result cosigned = run("checkpoint", "cosign", ledgerFile.toString(), "--key", inspectorKeyFile.toString(),
                "--passphrase-file", passphrase.toString(), "--name", "inspector.example/P003", "--state", state.toString(),
                "--new-state");
        assertEquals(0, cosigned.status(), cosigned.err());
        String inspectorVkey = cosigned.err().substring(cosigned.err().indexOf("verifier key ") + 13).trim();
        // this inspector's key is not enrolled in the ledger: the cosignature is listed, not trusted, not a finding
        Result listed = run("verify", ledgerFile.toString());
        assertEquals(0, listed.status(), listed.out());
        assertTrue(listed.out().contains("Cosignatures not trusted") && listed.out().contains("checkpoint 7  inspector.example/P003+"),
                listed.out());
        Result html = run("verify", ledgerFile.toString(), "--format", "html");
        assertTrue(html.out().contains("未采信的见证签名") && html.out().contains("inspector.example/P003+"), html.out());

        Result shown = run("checkpoint", "show", ledgerFile.toString());
        assertEquals(0, shown.status(), shown.err());
        assertEquals(cosigned.out(), shown.out());
        String logVkey = shown.err().lines().filter(l -> l.startsWith("  ")).findFirst().orElseThrow().trim();
        Path kept = dir.resolve("kept.note");
        Files.writeString(kept, shown.out());

        try (Ledger ledger = Ledger.open(ledgerFile)) {
            grow(ledger, "B", 20);
        }
        Result grew = run("checkpoint", "compare", ledgerFile.toString(), "--kept", kept.toString(), "--log-key", logVkey);
        assertEquals(0, grew.status(), grew.out() + grew.err());
        assertTrue(grew.out().contains("the ledger only grew: 7 -> 27 entries"), grew.out());

        Result verified = run("verify", ledgerFile.toString(), "--expect-checkpoint", kept.toString(), "--log-key", logVkey,
                "--inspector-key", inspectorVkey);
        assertEquals(0, verified.status(), verified.out() + verified.err());
        // the inspector verified yesterday and kept the checkpoint: today only the 20 new entries' signatures
        Result since = run("verify", ledgerFile.toString(), "--expect-checkpoint", kept.toString(), "--log-key", logVkey, "--skip-kept-signatures");
        assertEquals(0, since.status(), since.out() + since.err());
        assertTrue(since.out().contains("Signatures were checked from entry 7 on") && since.out().contains("签名仅核验第7条起的记录"),
                since.out());
        assertTrue(since.out().contains("intact: 27 entries (signatures checked from entry 7 on), no findings"), since.out());

        Result twoInspectors = run("verify", ledgerFile.toString(), "--expect-checkpoint", kept.toString(),
                "--inspector-key", inspectorVkey, "--inspector-key", "inspector.example/P007+" + inspectorVkey.split("\\+", 2)[1]
                        .replaceFirst("^[0-9a-f]{8}", "00000000"));
        assertEquals(2, twoInspectors.status(), twoInspectors.out());

        // the second cosignature needs a consistency proof from the first; the witness state makes it
        run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(), "--passphrase-file", passphrase.toString());
        Result second = run("checkpoint", "cosign", ledgerFile.toString(), "--key", inspectorKeyFile.toString(),
                "--passphrase-file", passphrase.toString(), "--name", "inspector.example/P003", "--state", state.toString());
        assertEquals(0, second.status(), second.err());
        assertTrue(second.out().startsWith("custody/ledger/CLI-TLOG\n27\n"), second.out());
    }

    @Test
    void compareAndVerify_afterHistoryWasRewritten_exit3WithI09() throws Exception {
        Path kept = keepCheckpoint();
        readLogVkey();
        // someone with the file drops the last two entries and appends others in their place
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + ledgerFile); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM entries WHERE seq >= 5");
            s.executeUpdate("DELETE FROM checkpoints");
            s.executeUpdate("DELETE FROM bag_links WHERE seq >= 5");
            s.executeUpdate("DELETE FROM entry_terms WHERE seq >= 5");
            s.executeUpdate("DELETE FROM bag_heads WHERE seq >= 5");
            s.executeUpdate("UPDATE head SET seq = 4, hash = (SELECT hash FROM entries WHERE seq = 4)");
        }
        try (Ledger ledger = Ledger.open(ledgerFile)) {
            grow(ledger, "C", 4);
        }
        assertBothFindI09(kept, 6);
    }

    /** The kept checkpoint of the ledger as it is now (7 entries), signed by its checkpoint key. */
    private Path keepCheckpoint() throws Exception {
        run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(), "--passphrase-file", passphrase.toString());
        Path kept = dir.resolve("kept.note");
        Files.writeString(kept, run("checkpoint", "show", ledgerFile.toString()).out());
        return kept;
    }

    /**
     * {@code checkpoint compare} and {@code verify --expect-checkpoint} reach the same verdict by the same code: exit 3,
     * and the same I09 finding (at entry {@code i09At}), with and without the kept verifier key, on the file and on its
     * export bundle.
     */
    private void assertBothFindI09(Path kept, long i09At) {
        Path bundle = dir.resolve("now.bundle");
        assertEquals(0, run("export", ledgerFile.toString(), "-o", bundle.toString()).status());
        for (Path target : List.of(ledgerFile, bundle)) {
            Result compared = run("checkpoint", "compare", target.toString(), "--kept", kept.toString());
            assertEquals(3, compared.status(), compared.out() + compared.err());
            assertTrue(compared.out().contains("I09 entry " + i09At + ": "), compared.out());
            assertTrue(compared.out().contains("the ledger did not only grow since the kept checkpoint of size 7"), compared.out());
            Result verified = run("verify", target.toString(), "--expect-checkpoint", kept.toString(), "--format", "json");
            assertEquals(3, verified.status(), verified.out() + verified.err());
            assertTrue(verified.out().replaceAll("\\s", "").contains("\"code\":\"I09\",\"class\":\"integrity\""), verified.out());
            assertTrue(verified.out().replaceAll("\\s", "").contains("\"seq\":" + i09At + ","), verified.out());
        }
        String logVkey = originalLogVkey;
        if (logVkey != null) {
            Result compared = run("checkpoint", "compare", ledgerFile.toString(), "--kept", kept.toString(), "--log-key", logVkey);
            assertEquals(3, compared.status(), compared.out() + compared.err());
            Result verified = run("verify", ledgerFile.toString(), "--expect-checkpoint", kept.toString(), "--log-key", logVkey);
            assertEquals(3, verified.status(), verified.out() + verified.err());
            assertTrue(verified.out().contains("I09"), verified.out());
        }
    }

    /** The verifier key of the ledger's checkpoint key as `checkpoint show` printed it, once read. */
    String originalLogVkey;

    private void readLogVkey() {
        originalLogVkey = run("checkpoint", "show", ledgerFile.toString()).err().lines().filter(l -> l.startsWith("  "))
                .findFirst().orElseThrow().trim();
    }

    @Test
    void compareAndVerify_afterAMiddleEntryWasDeleted_exit3WithI09() throws Exception {
        Path kept = keepCheckpoint();
        readLogVkey();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + ledgerFile); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM entries WHERE seq = 3");
        }
        assertBothFindI09(kept, 6);
    }

    @Test
    void compareAndVerify_afterARollback_exit3WithI09() throws Exception {
        Path kept = keepCheckpoint();
        readLogVkey();
        // a careful rollback to 5 entries: every table made to agree with the shorter ledger
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + ledgerFile); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM entries WHERE seq >= 5");
            s.executeUpdate("DELETE FROM checkpoints");
            s.executeUpdate("DELETE FROM bag_links WHERE seq >= 5");
            s.executeUpdate("DELETE FROM entry_terms WHERE seq >= 5");
            s.executeUpdate("DELETE FROM bag_heads WHERE seq >= 5");
            s.executeUpdate("UPDATE head SET seq = 4, hash = (SELECT hash FROM entries WHERE seq = 4)");
            s.executeUpdate("DELETE FROM rule_state"); // it reflects the longer ledger; a file without one is valid
            s.executeUpdate("DELETE FROM rule_state_at");
            s.executeUpdate("DELETE FROM findings");
            s.executeUpdate("DELETE FROM finding_bags");
        }
        Result alone = run("verify", ledgerFile.toString());
        assertEquals(0, alone.status(), "a consistent rollback is invisible without a kept checkpoint: " + alone.out());
        assertBothFindI09(kept, 5);
    }

    @Test
    void compareAndVerify_onAForkResignedWithAnotherCheckpointKey_exit3WithI09() throws Exception {
        Path kept = keepCheckpoint();
        readLogVkey();
        // the same ledger id and founder, another history and another checkpoint key, whose checkpoints verify
        Files.delete(ledgerFile);
        SigningKey otherLog = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person a = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        Genesis genesis = new Genesis(RecordId.of("g"), ID, T, Suite.ED25519_SHA256, List.of(new Founder(a, founder.publicKey())));
        try (Ledger ledger = Ledger.create(ledgerFile, SignedRecord.unsigned(genesis).signedBy(founder))) {
            Enrolment e = new Enrolment(RecordId.of("enrol-log"), ID, T, Person.of("LOG", "Checkpoint signer",
                    Role.CHECKPOINT_SIGNER), otherLog.publicKey(), a.id());
            ledger.append(SignedRecord.unsigned(e).signedBy(founder).signedBy(otherLog));
            grow(ledger, "F", 8);
            ledger.signCheckpoint(otherLog);
        }
        assertEquals(0, run("verify", ledgerFile.toString()).status(), "the fork is a valid ledger of its own");
        assertBothFindI09(kept, 6);
    }

    @Test
    void exportABagsEvidence_andVerifyItAlone() throws Exception {
        run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(), "--passphrase-file", passphrase.toString());
        Result cosigned = run("checkpoint", "cosign", ledgerFile.toString(), "--key", inspectorKeyFile.toString(),
                "--passphrase-file", passphrase.toString(), "--name", "inspector.example/P003",
                "--state", dir.resolve("w.state").toString(), "--new-state");
        String inspectorVkey = cosigned.err().substring(cosigned.err().indexOf("verifier key ") + 13).trim();
        String logVkey = run("checkpoint", "show", ledgerFile.toString()).err().lines().filter(l -> l.startsWith("  "))
                .findFirst().orElseThrow().trim();
        Path evidence = dir.resolve("A.B2.evidence");
        Result exported = run("export", ledgerFile.toString(), "--bag", "A.B2", "-o", evidence.toString());
        assertEquals(0, exported.status(), exported.err());
        assertTrue(exported.out().contains("exported the evidence of A.B2 (2 entries)"), exported.out());

        Result ok = run("evidence", evidence.toString(), "--log-key", logVkey, "--inspector-key", inspectorVkey);
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(ok.out().contains("the evidence holds: 1 entries of A.B2"), ok.out());

        Files.writeString(evidence, Files.readString(evidence).replace("\"copies\":30", "\"copies\":31"));
        Result bad = run("evidence", evidence.toString(), "--log-key", logVkey, "--inspector-key", inspectorVkey);
        assertEquals(3, bad.status(), bad.out() + bad.err());
        assertTrue(bad.out().contains("I08"), bad.out());

        // a checkpoint no trusted key signed vouches for nothing: the evidence does not hold (3), not a typing mistake
        Result untrusted = run("evidence", evidence.toString(), "--log-key", inspectorVkey);
        assertEquals(3, untrusted.status(), untrusted.out());
        assertTrue(untrusted.err().contains("not vouched for"), untrusted.err());
    }

    @Test
    void make_withAKeyThatIsNotTheCheckpointKey_exit2() {
        Result r = run("checkpoint", "make", ledgerFile.toString(), "--key", inspectorKeyFile.toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("checkpoint_signer"), r.err());
    }
}
