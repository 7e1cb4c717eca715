package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.ledger.LedgerLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration sources and their precedence, the token file, and the launcher's command line. */
class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void load_precedence_defaultsFileEnvironmentOptions() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "ledger=/from/file.db\nport=7000\nhost=0.0.0.0\ndraft-ttl=5m\n");
        ServerConfig c = ServerConfig.load(Map.of("config", file.toString(), "port", "9000"),
                Map.of("CUSTODY_HOST", "10.0.0.1", "CUSTODY_DRAFT_TTL", "PT2M", "CUSTODY_PORT", "8000"));
        assertEquals(LedgerLocation.of(Path.of("/from/file.db")), c.ledger());
        assertEquals(9000, c.port());
        assertEquals("10.0.0.1", c.host());
        assertEquals(Duration.ofMinutes(2), c.draftTtl());
        assertEquals(1 << 20, c.maxBodyBytes());
        assertNull(c.tokens());
        assertFalse(c.metricsPublic());
    }

    @Test
    void load_severalLedgers_commaListInFileOrEnvironment_repeatedOptionOnTheCommandLine() throws Exception {
        Path file = dir.resolve("multi.properties");
        Files.writeString(file, "ledger=/srv/HN-2026.db, /srv/SH-2026.db\n");
        ServerConfig c = ServerConfig.load(Map.of("config", file.toString()), Map.of());
        assertEquals(List.of(file("/srv/HN-2026.db"), file("/srv/SH-2026.db")), c.ledgers());
        assertEquals(file("/srv/HN-2026.db"), c.ledger());
        ServerConfig env = ServerConfig.load(Map.of(), Map.of("CUSTODY_LEDGER", "a.db,b.db"));
        assertEquals(List.of(file("a.db"), file("b.db")), env.ledgers());
        ServerConfig one = ServerConfig.load(Map.of("ledger", "x.db"), Map.of("CUSTODY_LEDGER", "a.db,b.db"));
        assertEquals(List.of(file("x.db")), one.ledgers());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of(), Map.of("CUSTODY_LEDGER", "a.db,,b.db")))
                .getMessage().contains("empty file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults(Path.of("a.db"))
                .withLedgers(List.of(Path.of("a.db"), Path.of("./a.db")))).getMessage().contains("given twice"));
        // the launcher takes --ledger once per exam
        List<LedgerLocation> ledgers = new java.util.ArrayList<>();
        Map<String, String> options = Launcher.options(new String[] {"--ledger", "a.db", "--port", "0", "--ledger", "b.db"}, 0, ledgers);
        assertEquals(List.of(file("a.db"), file("b.db")), ledgers);
        assertEquals("a.db", options.get("ledger"));
        assertThrows(IllegalArgumentException.class, () -> Launcher.options(new String[] {"--port", "1", "--port", "2"}, 0, ledgers));
        // with the old meaning kept: one ledger, the list of one
        assertEquals(List.of(file("l.db")), ServerConfig.defaults(Path.of("l.db")).ledgers());
        // a PostgreSQL ledger by its URL, beside a file; the same URL twice is refused
        ServerConfig pg = ServerConfig.load(Map.of("ledger", "postgresql://clerk@db.example/custody?schema=hn_2026,a.db"), Map.of());
        assertEquals(List.of(LedgerLocation.parse("postgresql://clerk@db.example/custody?schema=hn_2026").toString(), "a.db"),
                pg.ledgers().stream().map(Object::toString).toList());
        assertTrue(pg.ledger() instanceof LedgerLocation.Database);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger",
                "postgresql://clerk@db.example/custody?schema=x,postgresql://clerk@db.example/custody?schema=x"), Map.of()))
                .getMessage().contains("given twice"));
    }

    private static LedgerLocation file(String name) {
        return LedgerLocation.of(Path.of(name));
    }

    @Test
    void load_configFileFromEnvironment_andDurations() throws Exception {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "ledger=l.db\ntokens=t\nmetrics-public=true\nmax-body-bytes=2048\n");
        ServerConfig c = ServerConfig.load(Map.of(), Map.of("CUSTODY_CONFIG", file.toString()));
        assertEquals(Path.of("t"), c.tokens());
        assertTrue(c.metricsPublic());
        assertEquals(2048, c.maxBodyBytes());
        assertEquals(Duration.ofSeconds(90), ServerConfig.duration("90s"));
        assertEquals(Duration.ofHours(2), ServerConfig.duration("2h"));
    }

    @Test
    void load_mistakes_sayWhatAndWhere() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "ledger=l.db\nprot=80\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("config", file.toString()), Map.of()))
                .getMessage().contains("unknown key 'prot'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of(), Map.of()))
                .getMessage().contains("ledger file is required"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "x", "port", "http"), Map.of()))
                .getMessage().contains("port must be a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "x", "draft-ttl", "soon"), Map.of()))
                .getMessage().contains("draft-ttl"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "x", "colour", "red"), Map.of()))
                .getMessage().contains("--colour"));
    }

    @Test
    void load_witnesses_urlAndVerifierKeyPairs_needACheckpointKey() {
        String w1 = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519,
                org.custody.crypto.SigningKey.generate(org.custody.crypto.SignatureAlgorithm.ED25519).publicKey()).toString();
        String w2 = w1.replace("witness.example/w1", "witness.example/w2").replaceFirst("\\+[0-9a-f]{8}\\+", "+"
                + org.custody.checkpoint.NoteKey.parse(w1).id() + "+");
        ServerConfig c = ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-key", "k", "checkpoint-passphrase-file", "p",
                "witnesses", "http://127.0.0.1:8380 " + w1 + " ; https://w.example/witness  " + w1), Map.of());
        assertEquals(2, c.witnesses().size());
        assertEquals("https://w.example/witness", c.witnesses().get(1).prefix().toString());
        assertEquals(w1, c.witnesses().get(0).key().toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "l.db",
                "witnesses", "http://127.0.0.1:8380 " + w1), Map.of())).getMessage().contains("give checkpoint-key too"));
        for (String bad : List.of("http://127.0.0.1:8380", "ftp://x " + w1, "http://x " + w2, "http://x " + w1.replace("+", "-"))) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-key",
                    "k", "checkpoint-passphrase-file", "p", "witnesses", bad), Map.of())).getMessage().contains("见证节点配置格式错误"), bad);
        }
    }

    @Test
    void load_checkpointKeys_fromEnvironment_andTheyGoTogether() {
        ServerConfig c = ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-interval", "250ms"),
                Map.of("CUSTODY_CHECKPOINT_KEY", "log.pem", "CUSTODY_CHECKPOINT_PASSPHRASE_FILE", "pass"));
        assertEquals(Path.of("log.pem"), c.checkpointKey());
        assertEquals(Path.of("pass"), c.checkpointPassphraseFile());
        assertEquals(Duration.ofMillis(250), c.checkpointInterval());
        assertEquals(ServerConfig.MAX_CHECKPOINT_INTERVAL, ServerConfig.load(Map.of("ledger", "l.db"), Map.of()).checkpointInterval());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-key", "k"), Map.of()))
                .getMessage().contains("give both or neither"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-interval", "5s"), Map.of()))
                .getMessage().contains("checkpoint-interval must be 10 ms to 1 s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-interval", "often"), Map.of()))
                .getMessage().contains("checkpoint-interval must be like"));
    }

    @Test
    void tokens_roundTrip_hashOnly_constantTimeLookup() {
        String token = Tokens.newToken();
        assertTrue(token.startsWith("cust_") && token.length() >= 40, token);
        String line = Tokens.line(token, Set.of(ApiRole.OFFICER, ApiRole.INSPECTOR), "k01", Set.of("K01", "K02"));
        assertFalse(line.contains(token.substring(5)), "the token itself is never written");
        Tokens tokens = Tokens.parse(List.of("# comment", "", line), "test");
        Caller c = tokens.authenticate(token).orElseThrow();
        assertEquals("k01", c.name());
        assertEquals(Set.of(ApiRole.OFFICER, ApiRole.INSPECTOR), c.roles());
        assertEquals(Set.of("K01", "K02"), c.sites());
        assertTrue(tokens.authenticate(token + "x").isEmpty());
        assertTrue(tokens.authenticate("").isEmpty());
    }

    @Test
    void tokens_badLines_nameTheLine() {
        String hash = "sha256:" + "ab".repeat(32);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokens.parse(List.of("cust_plaintext officer a K01"), "f"))
                .getMessage().startsWith("f line 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokens.parse(List.of("", hash + " officer a"), "f"))
                .getMessage().contains("f line 2: an officer token needs its sites"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokens.parse(List.of(hash + " root a"), "f"))
                .getMessage().contains("not a role"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tokens.parse(List.of(hash + " admin a", hash + " admin a"), "f"))
                .getMessage().contains("used twice"));
    }

    @Test
    void launcher_newToken_printsTokenAndLine_andBadArgumentsExit2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Launcher.run(new String[] {"new-token", "--roles", "officer", "--name", "k01", "--sites", "K01"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        String token = lines[1].strip();
        Tokens parsed = Tokens.parse(List.of(lines[3].strip()), "out");
        assertEquals("k01", parsed.authenticate(token).orElseThrow().name());

        ByteArrayOutputStream scoped = new ByteArrayOutputStream();
        assertEquals(0, Launcher.run(new String[] {"new-token", "--roles", "inspector", "--name", "hn", "--exams", "SH-2026,HN-2026"},
                Map.of(), new PrintStream(scoped, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        String[] scopedLines = scoped.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(scopedLines[3].strip().endsWith(" inspector hn exams=HN-2026,SH-2026"), scopedLines[3]);
        assertEquals(Set.of("HN-2026", "SH-2026"), Tokens.parse(List.of(scopedLines[3].strip()), "out")
                .authenticate(scopedLines[1].strip()).orElseThrow().exams());

        int bad = Launcher.run(new String[] {"--port", "80"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, bad);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ledger file is required"));
        assertEquals(2, Launcher.run(new String[] {"--ledger", dir.resolve("missing.db").toString()}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no ledger at"));
    }

    @Test
    void launcher_options_parseAndRejectDuplicates() {
        assertEquals(Map.of("ledger", "a", "port", "1"), Launcher.options(new String[] {"--ledger", "a", "--port=1"}, 0));
        assertThrows(IllegalArgumentException.class, () -> Launcher.options(new String[] {"--ledger"}, 0));
        assertThrows(IllegalArgumentException.class, () -> Launcher.options(new String[] {"--port", "1", "--port", "2"}, 0));
        assertThrows(IllegalArgumentException.class, () -> Launcher.options(new String[] {"ledger"}, 0));
    }

    @Test
    void checkpointKey_passphraseFileOthersMayRead_isRefusedNamingChmod600() throws Exception {
        Path key = dir.resolve("log.pem");
        org.custody.crypto.KeyFiles.write(key, org.custody.crypto.SigningKey.generate(org.custody.crypto.SignatureAlgorithm.ED25519),
                "a long passphrase".toCharArray(), 100_000);
        Path pass = Files.writeString(dir.resolve("log.pass"), "a long passphrase\n");
        Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        ServerConfig config = ServerConfig.load(Map.of("ledger", "l.db", "checkpoint-key", key.toString(),
                "checkpoint-passphrase-file", pass.toString()), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.readCheckpointKey(config));
        assertTrue(e.getMessage().contains("chmod 600 " + pass), e.getMessage());
        Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(org.custody.crypto.SignatureAlgorithm.ED25519, ServerConfig.readCheckpointKey(config).publicKey().algorithm());
    }
}
