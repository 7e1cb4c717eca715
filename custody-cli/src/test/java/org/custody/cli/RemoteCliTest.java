package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
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
 * The CLI's --server mode against the real server on a loopback port, over a real ledger made with the CLI:
 * handoffs co-signed on separate "devices" (one CLI run and one key each), history, verify of the export,
 * checkpoint cosigning, and the failures a user meets (tokens, a server that is down).
 */
class RemoteCliTest {
    static final List<String> CAST = LifeCycleTest.CAST;
    static final String Q = LifeCycleTest.Q;
    static final Pattern DRAFT = Pattern.compile("^draft ([A-Za-z0-9_-]+)  signed by", Pattern.MULTILINE);

    @TempDir
    static Path shared;
    static Path keys;
    static Path template;

    @TempDir
    Path dir;
    Path ledger;
    Path officerToken;
    Path inspectorToken;
    String officerSecret;
    CustodyServer server;
    String url;

    /** One ledger made through the CLI (init, people, bags: 15 entries), copied for each test. */
    @BeforeAll
    static void makeLedger() throws Exception {
        keys = Files.createDirectory(shared.resolve("keys"));
        keyFiles(keys);
        template = Files.createDirectory(shared.resolve("template"));
        makeLedger(shared, keys, template.resolve("exam.db"), "HN-ZSB-2021");
    }

    /** A key file and passphrase file for each person of the cast, in {@code keys}. */
    static void keyFiles(Path keys) throws Exception {
        SecureRandom random = new SecureRandom();
        for (String p : CAST) {
            Cli.keyFile(keys, p, SignatureAlgorithm.ED25519, random);
        }
    }

    /**
     * A ledger {@code id} in {@code file} for the sample exam HN-ZSB-2021 (strict), made through the CLI: init (its
     * checkpoint key beside it, passphrase in {@code work/ledger.pass}), the roster's people and the plan's bags (15 entries).
     */
    static void makeLedger(Path work, Path keys, Path file, String id) throws Exception {
        Path roster = Cli.resource(work, "roster.csv");
        Path plan = Cli.resource(work, "plan.csv");
        Path ledgerPass = work.resolve("ledger.pass");
        Cli.secret(ledgerPass, "ledger key passphrase\n");
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "init", "--ledger", file.toString(), "--id", id,
                "--exam", "HN-ZSB-2021", "--roster", roster.toString(), "--founder", "P006", "--founder", "P009", "--at", "2021-06-01 09:00", "--mode", "strict",
                "--ledger-key-passphrase-file", ledgerPass.toString())));
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, CAST.toArray(String[]::new)), "people", "import", "--ledger", file.toString(),
                "--roster", roster.toString(), "--sponsor", "P006", "--at", "2021-06-01 10:00")));
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "bags", "import", "--ledger", file.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P009", "--at", "2021-06-01 11:00")));
    }

    @BeforeEach
    void start() throws Exception {
        try (var files = Files.list(template)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        ledger = dir.resolve("exam.db");
        Path ledgerPass = shared.resolve("ledger.pass");
        officerSecret = Tokens.newToken();
        String inspectorSecret = Tokens.newToken();
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(Tokens.line(officerSecret, EnumSet.of(ApiRole.OFFICER), "desk", Set.of("*")),
                Tokens.line(inspectorSecret, EnumSet.of(ApiRole.INSPECTOR), "inspectors", Set.of())));
        officerToken = privateFile(dir.resolve("officer.token"), officerSecret + "\n");
        inspectorToken = privateFile(dir.resolve("inspector.token"), inspectorSecret + "\n");
        server = CustodyServer.start(new ServerConfig(ledger, "127.0.0.1", 0, tokens, Duration.ofMinutes(15), 1 << 20, 100, false)
                .withCheckpointKey(Path.of(ledger + ".ledger.key"), ledgerPass, Duration.ofMillis(50)));
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    private Cli.Result run(String... args) {
        return Cli.run("", args);
    }

    private String key(String person) {
        return keys.resolve(person + ".key").toString();
    }

    private String pass(String person) {
        return keys.resolve(person + ".pass").toString();
    }

    /** The print of Q opened by P001's device, which signs for P001 only; P003 and P006 sign later on their own. */
    private String openPrint() {
        Cli.Result opened = ok(run("handoff", "--server", url, "--token-file", officerToken.toString(), "--step", "print",
                "--to", "P001", "--witness", "P003", "--witness", "P006", "--place", "PRINTER", "--bag", Q, "--count", "30",
                "--at", "2021-06-08 09:00", "--key", "P001=" + key("P001"), "--passphrase-file", "P001=" + pass("P001")));
        Matcher m = DRAFT.matcher(opened.out());
        assertTrue(m.find(), opened.toString());
        assertTrue(opened.out().contains("signed by P001 于涵敏; still to sign: P003 杨丹, P006 郝桂兰"), opened.out());
        assertTrue(opened.err().contains("custody sign --server " + url + " " + m.group(1)), opened.err());
        return m.group(1);
    }

    private Cli.Result sign(String draft, String person, String... more) {
        List<String> args = new ArrayList<>(List.of("sign", "--server", url, "--token-file", officerToken.toString(), draft,
                "--key", key(person), "--passphrase-file", pass(person)));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void handoff_signedOnThreeDevices_isStoredOnceWithItsEntry() {
        String draft = openPrint();

        Cli.Result second = ok(sign(draft, "P003", "--yes"));
        assertTrue(second.err().contains("print 印制 at PRINTER"), second.err());
        assertTrue(second.err().contains("bag     " + Q + "  count 30"), second.err());
        assertTrue(second.err().contains("time    2021-06-08 09:00 Asia/Shanghai"), second.err());
        assertTrue(second.out().contains("still to sign: P006 郝桂兰"), second.out());

        // a retried post of the same signature is answered like the first, and records nothing twice
        Cli.Result retry = ok(sign(draft, "P003", "--yes"));
        assertTrue(retry.out().contains("still to sign: P006 郝桂兰"), retry.out());

        Cli.Result last = ok(sign(draft, "P006", "--yes"));
        assertTrue(last.out().matches("(?s)recorded entry #16 [0-9a-f]{16}  print 印制  1 bag  signed by P001 于涵敏, P003 杨丹, P006 郝桂兰\n  "
                + Pattern.quote(Q) + "\n"), last.out());

        // after the commit, signing again only reports where it is
        Cli.Result after = ok(sign(draft, "P003", "--yes"));
        assertTrue(after.err().contains("is committed"), after.err());
        assertTrue(after.out().startsWith("recorded entry #16 "), after.out());

        Cli.Result history = ok(run("history", "--ledger", ledger.toString(), Q, "--no-findings"));
        assertTrue(history.out().contains("#16  print 印制") && !history.out().contains("#17"), history.out());
    }

    @Test
    void handoff_scannedLabels_checkedAgainstTheServersHistory() {
        Label good;
        try (Ledger l = Ledger.open(ledger)) {
            good = l.label(BagId.of(Q));
        }
        Label forged = Label.bind(HashAlgorithm.SHA_256, good.ledger(), good.bag(), good.seq(), Hash.ZERO);
        Cli.Result refused = run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--token-file",
                officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006", "--place",
                "PRINTER", "--bag", forged.payload(), "--count", "30", "--at", "2021-06-08 09:00"));
        assertEquals(3, refused.status(), refused.toString());
        assertTrue(refused.err().contains("I10"), refused.err());

        Cli.Result r = ok(Cli.run(good.payload() + "\n\n", Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server",
                url, "--token-file", officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness",
                "P006", "--place", "PRINTER", "--count", "30", "--at", "2021-06-08 09:00")));
        assertTrue(r.out().startsWith("recorded entry #16 ") && r.out().contains("  " + Q + "\n"), r.out());
    }

    @Test
    void sign_declinedOrNotAParty_postsNothing() {
        String draft = openPrint();
        Cli.Result declined = Cli.run("n\n", "sign", "--server", url, "--token-file", officerToken.toString(), draft,
                "--key", key("P003"), "--passphrase-file", pass("P003"));
        assertEquals(2, declined.status(), declined.toString());
        assertTrue(declined.err().contains("not signed; nothing was posted"), declined.err());

        Cli.Result stranger = sign(draft, "P007", "--yes");
        assertEquals(2, stranger.status(), stranger.toString());
        assertTrue(stranger.err().contains("P007 (key ") && stranger.err().contains("is not a party to draft " + draft), stranger.err());

        Cli.Result still = ok(sign(draft, "P003", "--yes"));
        assertTrue(still.out().contains("signed by P001 于涵敏, P003 杨丹; still to sign: P006 郝桂兰"), still.out());
    }

    @Test
    void handoff_allKeysAtHand_isStoredAtOnce() {
        Cli.Result r = ok(run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--token-file",
                officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006", "--place",
                "PRINTER", "--bag", Q, "--count", "30", "--at", "2021-06-08 09:00")));
        assertTrue(r.out().startsWith("recorded entry #16 "), r.out());
    }

    @Test
    void handoff_breakingARuleUnderStrictPolicy_refusedWithItsCode_exit4() {
        // an escort straight after registration: no print, seal or vault entries, and no police present
        Cli.Result r = run(Cli.args(Cli.signerArgs(keys, "P011", "P015", "P006"), "handoff", "--server", url, "--token-file",
                officerToken.toString(), "--step", "escort", "--from", "P011", "--to", "P015", "--witness", "P006", "--place", "K01",
                "--bag", Q, "--at", "2021-06-09 07:20"));
        assertEquals(4, r.status(), r.toString());
        assertTrue(r.err().matches("(?s).*refused.*\\(R\\d\\d\\).*"), r.err());
    }

    @Test
    void history_fromTheServer_isTheLocalHistory_textAndJson() {
        ok(run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--token-file",
                officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006", "--place",
                "PRINTER", "--bag", Q, "--count", "30", "--at", "2021-06-08 09:00")));
        for (String format : List.of("text", "json")) {
            Cli.Result local = ok(run("history", "--ledger", ledger.toString(), Q, "--format", format));
            Cli.Result remote = ok(run("history", "--server", url, "--token-file", inspectorToken.toString(), Q, "--format", format));
            // the server's checkpointer may sign a newer checkpoint between the two reads: compare all but that line
            assertEquals(withoutCheckpoint(local.out()), withoutCheckpoint(remote.out()));
            assertTrue(remote.out().contains("latest checkpoint") || remote.out().contains("\"checkpoint\""), remote.out());
        }
        // an officer's token may not read the findings: said clearly, and --no-findings works
        Cli.Result officer = run("history", "--server", url, "--token-file", officerToken.toString(), Q);
        assertEquals(2, officer.status(), officer.toString());
        assertTrue(officer.err().contains("--no-findings"), officer.err());
        Cli.Result noFindings = ok(run("history", "--server", url, "--token-file", officerToken.toString(), Q, "--no-findings"));
        assertEquals(ok(run("history", "--ledger", ledger.toString(), Q, "--no-findings")).out(), noFindings.out());

        Cli.Result unknown = run("history", "--server", url, "--token-file", inspectorToken.toString(), "HN-ZSB-2021.NOPE");
        assertEquals(2, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("bag HN-ZSB-2021.NOPE is not in ledger HN-ZSB-2021"), unknown.err());
    }

    @Test
    void questions_fromTheServer_areTheLocalAnswers_textAndJson() {
        ok(run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--token-file",
                officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006", "--place",
                "PRINTER", "--bag", Q, "--count", "30", "--at", "2021-06-08 09:00")));
        List<List<String>> questions = List.of(
                List.of("bags", "list"),
                List.of("bags", "list", "--site", "K01", "--kind", "answer_sheet"),
                List.of("bags", "list", "--stage", "print"),
                List.of("bags", "list", "--step", "registered", "--limit", "3"),
                List.of("bags", "list", "--limit", "2", "--after", Q),
                List.of("bags", "list", "--count"),
                List.of("bags", "late", "--at", "2021-06-09 09:00"),
                List.of("bags", "late", "--at", "2021-06-09 09:01"),
                List.of("entries", "--person", "P001"),
                List.of("entries", "--place", "PRINTER"),
                List.of("findings"),
                List.of("findings", "--code", "R04"));
        for (List<String> question : questions) {
            for (String format : List.of("text", "json")) {
                List<String> local = new ArrayList<>(question);
                local.addAll(List.of("--ledger", ledger.toString(), "--format", format));
                List<String> remote = new ArrayList<>(question);
                remote.addAll(List.of("--server", url, "--token-file", inspectorToken.toString(), "--format", format));
                Cli.Result here = ok(run(local.toArray(String[]::new)));
                assertEquals(here.out(), ok(run(remote.toArray(String[]::new))).out(), question + " " + format);
                assertFalse(here.out().isBlank(), question.toString());
            }
        }
        Cli.Result printed = ok(run("bags", "list", "--ledger", ledger.toString(), "--stage", "print"));
        assertTrue(printed.out().startsWith(Q) && printed.out().contains("print 印制, held by P001"), printed.out());
        Cli.Result p001 = ok(run("entries", "--ledger", ledger.toString(), "--person", "P001"));
        assertTrue(p001.out().contains("handoff print 印制  → P001 at PRINTER  1 bag: " + Q), p001.out());
        Cli.Result page = ok(run("bags", "list", "--ledger", ledger.toString(), "--limit", "2"));
        assertTrue(page.out().contains("… more: --after "), page.out());
        // a person's entries name other sites' bags: an officer's token may not ask
        Cli.Result officer = run("entries", "--server", url, "--token-file", officerToken.toString(), "--person", "P001");
        assertTrue(officer.status() != 0 && officer.err().contains("403"), officer.toString());
        Cli.Result both = run("entries", "--ledger", ledger.toString(), "--person", "P001", "--seal", "S1");
        assertEquals(2, both.status(), both.toString());
        Cli.Result inBox = run("bags", "list", "--ledger", ledger.toString(), "--in", "HN-ZSB-2021.BOX.K01.S1", "--limit", "2");
        assertEquals(2, inBox.status(), inBox.toString());
        assertTrue(inBox.err().contains("--in lists all the bags in the box"), inBox.err());
    }

    @Test
    void verify_downloadedExport_isClean_andSavedWhereAsked() {
        Path saved = dir.resolve("export.bundle");
        Cli.Result r = ok(run("verify", "--server", url, "--token-file", inspectorToken.toString(), "--save", saved.toString()));
        assertTrue(r.out().contains("intact: 16 entries, no findings"), r.out());
        assertTrue(r.err().contains("downloaded "), r.err());
        Cli.Result again = ok(run("verify", saved.toString()));
        assertEquals(r.out(), again.out());

        Cli.Result json = ok(run("verify", "--server", url, "--token-file", inspectorToken.toString(), "--format", "json"));
        assertTrue(json.out().contains("\"exitStatus\" : 0") || json.out().contains("\"exitStatus\":0"), json.out());

        Cli.Result officer = run("verify", "--server", url, "--token-file", officerToken.toString());
        assertEquals(2, officer.status(), officer.toString());
        assertTrue(officer.err().contains("403"), officer.err());
    }

    @Test
    void checkpointCosign_checksAndPostsOneLine_visibleOnTheServer() throws Exception {
        Path state = dir.resolve("P009.witness");
        long size = awaitCheckpointOfWholeLedger();
        Cli.Result first = ok(run("checkpoint", "cosign", "--server", url, "--token-file", inspectorToken.toString(), "--key", key("P009"),
                "--passphrase-file", pass("P009"), "--name", "inspectors.example/P009", "--state", state.toString(), "--new-state"));
        assertTrue(first.err().contains("trusting the checkpoint keys the server lists"), first.err());
        String served = get("/api/v1/checkpoints/" + size);
        assertTrue(served.contains("\n— inspectors.example/P009 "), served);
        assertEquals(served, first.out());

        // the ledger grows; the next cosignature checks a consistency proof from what P009 cosigned before
        ok(run(Cli.args(Cli.signerArgs(keys, "P001", "P003", "P006"), "handoff", "--server", url, "--token-file",
                officerToken.toString(), "--step", "print", "--to", "P001", "--witness", "P003", "--witness", "P006", "--place",
                "PRINTER", "--bag", Q, "--count", "30", "--at", "2021-06-08 09:00")));
        long grown = awaitCheckpointOfWholeLedger();
        assertTrue(grown > size);
        Cli.Result second = ok(run("checkpoint", "cosign", "--server", url, "--token-file", inspectorToken.toString(), "--key", key("P009"),
                "--passphrase-file", pass("P009"), "--name", "inspectors.example/P009", "--state", state.toString()));
        assertTrue(second.err().contains("extends the checkpoint of " + size + " entries"), second.err());
        assertTrue(get("/api/v1/checkpoints/" + grown).contains("\n— inspectors.example/P009 "));

        // a ledger key the inspector holds that is not the server's: the checkpoint cannot be checked, nothing cosigned
        Cli.Result wrongKey = run("checkpoint", "cosign", "--server", url, "--token-file", inspectorToken.toString(), "--key", key("P009"),
                "--passphrase-file", pass("P009"), "--name", "inspectors.example/P009", "--state", state.toString(), "--log-key",
                "custody/ledger/HN-ZSB-2021+00000000+AQ" + "A".repeat(42) + "=");
        assertTrue(wrongKey.status() == 2 || wrongKey.status() == 3, wrongKey.toString());
    }

    @Test
    void token_missingOrWrong_clearError_exit2_neverPrinted() throws Exception {
        Cli.Result none = run("history", "--server", url, Q, "--no-findings");
        assertEquals(2, none.status(), none.toString());
        assertTrue(none.err().contains("401") && none.err().contains("--token-file"), none.err());

        Path wrong = privateFile(dir.resolve("wrong.token"), "cust_not-a-token-this-server-knows\n");
        Cli.Result bad = run("verify", "--server", url, "--token-file", wrong.toString());
        assertEquals(2, bad.status(), bad.toString());
        assertTrue(bad.err().contains("401") && bad.err().contains("not known to this server"), bad.err());
        assertFalse(bad.err().contains("cust_not-a-token"), bad.err());

        // a token is never sent in clear to another machine
        Cli.Result plain = run("history", "--server", "http://custody.example.org", "--token-file", officerToken.toString(), Q);
        assertEquals(2, plain.status(), plain.toString());
        assertTrue(plain.err().contains("https://"), plain.err());
        assertFalse(plain.err().contains(officerSecret) || plain.out().contains(officerSecret));
    }

    /** A bearer token is a password: a token file others may read is refused before anything is sent, and the token is not shown. */
    @Test
    void tokenFile_readableByOthers_refused_exit2() throws Exception {
        Path open = Files.writeString(dir.resolve("open.token"), officerSecret + "\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Result r = run("history", "--server", url, "--token-file", open.toString(), Q, "--no-findings");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("may be read or changed by other users") && r.err().contains("chmod 600 " + open)
                && r.err().contains("CUSTODY_TOKEN"), r.err());
        assertFalse(r.err().contains(officerSecret) || r.out().contains(officerSecret));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-------"));
        ok(run("history", "--server", url, "--token-file", open.toString(), Q, "--no-findings"));
    }

    /** Writes {@code text} to {@code file} readable by its owner only, as a token file must be. */
    private static Path privateFile(Path file, String text) throws java.io.IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void serverDown_clearError_exit2() {
        server.close();
        server = null;
        Cli.Result r = run("history", "--server", url, "--token-file", officerToken.toString(), Q, "--no-findings");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("cannot reach the Custody server at " + url), r.err());
        Cli.Result s = sign("abc", "P003", "--yes");
        assertEquals(2, s.status(), s.toString());
        assertTrue(s.err().contains("cannot reach"), s.err());
    }

    @Test
    void ledgerOrServer_bothOrNeither_usageError() {
        Cli.Result both = run("history", "--ledger", ledger.toString(), "--server", url, Q);
        assertEquals(2, both.status(), both.toString());
        assertTrue(both.err().contains("not both"), both.err());
        Cli.Result neither = run("history", Q);
        assertEquals(2, neither.status(), neither.toString());
        assertTrue(neither.err().contains("--ledger FILE, or --server URL"), neither.err());
    }

    private long awaitCheckpointOfWholeLedger() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            long size = Api.JSON.readTree(get("/api/v1/health")).path("size").asLong();
            String latest = get("/api/v1/checkpoints/latest");
            long checkpointed = Long.parseLong(latest.split("\n")[1]);
            if (checkpointed == size) {
                return size;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint of " + size + " entries; latest is of " + checkpointed);
            }
            Thread.sleep(50);
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + Files.readString(inspectorToken).strip()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** A history without its latest-checkpoint line (text) or member (JSON). */
    private static String withoutCheckpoint(String history) {
        return history.replaceAll("(?m)^latest checkpoint.*\n", "").replaceAll("(?s),\\s*\"checkpoint\"\\s*:\\s*\\{[^}]*\\}", "");
    }
}
