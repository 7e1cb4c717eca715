package org.custody.cli;

import static org.custody.cli.RemoteCliTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.custody.ledger.Ledger;
import org.custody.server.ApiRole;
import org.custody.server.CustodyServer;
import org.custody.server.ServerConfig;
import org.custody.server.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's --server mode against one real server serving two exams (two ledger files made with the CLI): the exam named
 * with --exam or in the URL, the server's refusal of the routes of one ledger turned into a hint, and a token of one exam
 * kept out of the other.
 */
class RemoteExamsCliTest {
    static final String A = "HN-ZSB-2026";
    static final String B = "SH-ZSB-2026";
    static final String Q = LifeCycleTest.Q;
    /** Entries in each ledger as made (#0 to #15). */
    static final long BASE = 16;

    @TempDir
    static Path shared;
    static Path keys;
    static Path templateA;
    static Path templateB;

    @TempDir
    Path dir;
    Path ledgerA;
    Path ledgerB;
    Path officerToken;
    Path officerAToken;
    Path inspectorToken;
    CustodyServer server;
    String url;

    @BeforeAll
    static void makeLedgers() throws Exception {
        keys = Files.createDirectory(shared.resolve("keys"));
        RemoteCliTest.keyFiles(keys);
        templateA = Files.createDirectory(shared.resolve("a"));
        templateB = Files.createDirectory(shared.resolve("b"));
        RemoteCliTest.makeLedger(templateA, keys, templateA.resolve("exam.db"), A);
        RemoteCliTest.makeLedger(templateB, keys, templateB.resolve("exam.db"), B);
    }

    @BeforeEach
    void start() throws Exception {
        ledgerA = copy(templateA, Files.createDirectory(dir.resolve("a")));
        ledgerB = copy(templateB, Files.createDirectory(dir.resolve("b")));
        String officer = Tokens.newToken();
        String officerA = Tokens.newToken();
        String inspector = Tokens.newToken();
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(
                Tokens.line(officer, EnumSet.of(ApiRole.OFFICER), "desk", Set.of("*"), Set.of(A, B)),
                Tokens.line(officerA, EnumSet.of(ApiRole.OFFICER), "desk-a", Set.of("*"), Set.of(A)),
                Tokens.line(inspector, EnumSet.of(ApiRole.INSPECTOR), "inspectors", Set.of(), Set.of("*"))));
        officerToken = secret(dir.resolve("officer.token"), officer);
        officerAToken = secret(dir.resolve("officer-a.token"), officerA);
        inspectorToken = secret(dir.resolve("inspector.token"), inspector);
        server = CustodyServer.start(new ServerConfig(ledgerA, "127.0.0.1", 0, tokens, Duration.ofMinutes(15), 1 << 20, 100, false)
                .withLedgers(List.of(ledgerA, ledgerB)));
        url = "http://127.0.0.1:" + server.port();
    }

    private static Path copy(Path template, Path to) throws Exception {
        try (var files = Files.list(template)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to.resolve("exam.db");
    }

    private static Path secret(Path file, String token) throws Exception {
        Files.writeString(file, token + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Cli.Result run(String... args) {
        return Cli.run("", args);
    }

    private String key(String person) {
        return keys.resolve(person + ".key").toString();
    }

    private String pass(String person) {
        return keys.resolve(person + ".pass").toString();
    }

    private static long size(Path ledger) {
        try (Ledger l = Ledger.open(ledger)) {
            return l.head().size();
        }
    }

    @Test
    void withoutExam_onTwoExams_refusedNamingTheExamsAndTheOption() {
        Cli.Result r = run("history", "--server", url, "--token-file", officerToken.toString(), Q);
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--exam"), r.err());
        assertTrue(r.err().contains(A) && r.err().contains(B), r.err());
        assertTrue(r.err().contains("多场考试"), r.err());
    }

    @Test
    void handoff_withExam_storedInThatExamsLedgerOnly_historyAndVerifyToo() {
        Cli.Result r = ok(run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--exam", A,
                "--token-file", officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006",
                "--place", "PRINTER", "--bag", Q, "--count", "30", "--at", "2021-06-08 09:00")));
        assertTrue(r.out().startsWith("recorded entry #16 "), r.out());
        assertEquals(BASE + 1, size(ledgerA));
        assertEquals(BASE, size(ledgerB));

        Cli.Result historyA = ok(run("history", "--server", url, "--exam", A, "--token-file", officerToken.toString(), Q, "--no-findings"));
        assertTrue(historyA.out().contains("#16  print 印制"), historyA.out());
        // the exam named in the URL instead
        Cli.Result historyB = ok(run("history", "--server", url + "/api/v1/ledgers/" + B, "--token-file", officerToken.toString(), Q,
                "--no-findings"));
        assertFalse(historyB.out().contains("#16"), historyB.out());

        ok(run("verify", "--server", url, "--exam", B, "--token-file", inspectorToken.toString()));
        Path saved = dir.resolve("a.bundle");
        ok(run("verify", "--server", url, "--exam", A, "--token-file", inspectorToken.toString(), "--save", saved.toString()));
        ok(run("verify", saved.toString()));
    }

    @Test
    void draftOnSecondExam_othersSignWithTheSameExam_recordedThere() {
        Cli.Result opened = ok(run("handoff", "--server", url, "--exam", B, "--token-file", officerToken.toString(), "--step", "print",
                "--to", "P001", "--witness", "P003", "--witness", "P006", "--place", "PRINTER", "--bag", Q, "--count", "30",
                "--at", "2021-06-08 09:00", "--key", "P001=" + key("P001"), "--passphrase-file", "P001=" + pass("P001")));
        Matcher m = RemoteCliTest.DRAFT.matcher(opened.out());
        assertTrue(m.find(), opened.toString());
        String draft = m.group(1);
        assertTrue(opened.err().contains("custody sign --server " + url + " --exam " + B + " " + draft), opened.err());
        ok(run("sign", "--server", url, "--exam", B, "--token-file", officerToken.toString(), draft, "--key", key("P003"),
                "--passphrase-file", pass("P003"), "--yes"));
        Cli.Result last = ok(run("sign", "--server", url, "--exam", B, "--token-file", officerToken.toString(), draft, "--key",
                key("P006"), "--passphrase-file", pass("P006"), "--yes"));
        assertTrue(last.out().startsWith("recorded entry #16 "), last.out());
        assertEquals(BASE, size(ledgerA));
        assertEquals(BASE + 1, size(ledgerB));
        // the draft is B's: under exam A it does not exist
        Cli.Result wrong = run("sign", "--server", url, "--exam", A, "--token-file", officerToken.toString(), draft, "--key",
                key("P003"), "--passphrase-file", pass("P003"), "--yes");
        assertTrue(wrong.status() != 0, wrong.toString());
    }

    @Test
    void tokenOfOneExam_onTheOther_refusedAsNoSuchLedger_nothingStored() {
        Cli.Result r = run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--exam", B,
                "--token-file", officerAToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006",
                "--place", "PRINTER", "--bag", Q, "--count", "30", "--at", "2021-06-08 09:00"));
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("404") && r.err().contains("no such ledger") && r.err().contains("--exam " + B), r.err());
        assertEquals(BASE, size(ledgerB));
        ok(run("history", "--server", url, "--exam", A, "--token-file", officerAToken.toString(), Q, "--no-findings"));
    }

    @Test
    void checkpointCosign_ofTheNamedExam() throws Exception {
        Path ledgerPass = templateB.resolve("ledger.pass");
        ok(run("checkpoint", "make", ledgerB.toString(), "--key", ledgerB + ".ledger.key", "--passphrase-file", ledgerPass.toString()));
        Cli.Result r = ok(run("checkpoint", "cosign", "--server", url, "--exam", B, "--token-file", inspectorToken.toString(), "--key",
                key("P009"), "--passphrase-file", pass("P009"), "--name", "inspectors.example/P009", "--state",
                dir.resolve("P009.witness").toString(), "--new-state"));
        assertTrue(r.out().contains("custody/ledger/" + B) || r.out().contains(B), r.out());
        assertTrue(r.out().contains("\n— inspectors.example/P009 "), r.out());
        // exam A has no checkpoint: nothing to cosign there
        Cli.Result none = run("checkpoint", "cosign", "--server", url, "--exam", A, "--token-file", inspectorToken.toString(), "--key",
                key("P009"), "--passphrase-file", pass("P009"), "--name", "inspectors.example/P009", "--state",
                dir.resolve("P009-a.witness").toString(), "--new-state");
        assertTrue(none.status() != 0, none.toString());
    }

    @Test
    void examWithoutServer_orTwoDifferentExams_usageError() {
        Cli.Result r = run("history", "--ledger", ledgerA.toString(), "--exam", A, Q);
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--exam"), r.err());
        Cli.Result two = run("history", "--server", url + "/api/v1/ledgers/" + A, "--exam", B, "--token-file", officerToken.toString(), Q);
        assertEquals(2, two.status(), two.toString());
        assertTrue(two.err().contains("give one of them") && two.err().contains("不一致"), two.err());
        Cli.Result bad = run("history", "--server", url, "--exam", "-bad", "--token-file", officerToken.toString(), Q);
        assertEquals(2, bad.status(), bad.toString());
    }
}
