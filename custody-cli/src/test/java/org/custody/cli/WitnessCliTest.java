package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.custody.cli.TransparencyCliTest.Result;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Witness cosigning keys enrolled with their own role (witness_cosigner), and a reader's witness quorum: {@code custody
 * verify --witness VKEY --witness-quorum N}, on real ledger and key files.
 */
class WitnessCliTest {
    static final LedgerId ID = LedgerId.of("CLI-WIT");
    static final Instant T = Instant.parse("2021-06-09T00:30:00Z");
    static final String PASS = "correct horse battery";

    @TempDir
    Path dir;
    Path ledgerFile;
    Path logKeyFile;
    Path passphrase;
    SigningKey founder;
    SigningKey logKey;
    final SigningKey w1 = SigningKey.generate(SignatureAlgorithm.ED25519);
    final SigningKey w2 = SigningKey.generate(SignatureAlgorithm.ED25519);

    @BeforeEach
    void createLedger() throws Exception {
        founder = SigningKey.generate(SignatureAlgorithm.ED25519);
        logKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person a = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        ledgerFile = dir.resolve("ledger.db");
        Genesis genesis = new Genesis(RecordId.of("g"), ID, T, Suite.ED25519_SHA256, List.of(new Founder(a, founder.publicKey())));
        try (Ledger ledger = Ledger.create(ledgerFile, SignedRecord.unsigned(genesis).signedBy(founder))) {
            enrol(ledger, "enrol-log", Person.of("LOG", "Checkpoint signer", Role.CHECKPOINT_SIGNER), logKey);
            enrol(ledger, "enrol-w1", Person.of("W1", "省考试院见证节点 witness 1", Role.WITNESS_COSIGNER), w1);
            enrol(ledger, "enrol-w2", Person.of("W2", "纪委见证节点 witness 2", Role.WITNESS_COSIGNER), w2);
            grow(ledger, "A", 4);
        }
        passphrase = dir.resolve("pass.txt");
        Cli.secret(passphrase, PASS + "\n");
        logKeyFile = keyFile("log.key", logKey);
    }

    private void enrol(Ledger ledger, String id, Person person, SigningKey key) {
        Enrolment e = new Enrolment(RecordId.of(id), ID, T, person, key.publicKey(), PersonId.of("P001"));
        ledger.append(SignedRecord.unsigned(e).signedBy(founder).signedBy(key));
    }

    Path keyFile(String name, SigningKey key) throws Exception {
        Path f = dir.resolve(name);
        KeyFiles.write(f, key, PASS.toCharArray(), KeyFiles.MIN_ITERATIONS);
        return f;
    }

    void grow(Ledger ledger, String prefix, int n) {
        TransparencyCliTest.grow(ledger, ID, founder, prefix, n);
    }

    /** Cosigns the ledger's latest checkpoint as witness {@code name}; returns its verifier key. */
    String cosign(String keyName, SigningKey key, String name) throws Exception {
        Path state = dir.resolve(keyName + ".state");
        Result r = TransparencyCliTest.run("checkpoint", "cosign", ledgerFile.toString(), "--key", keyFile(keyName, key).toString(),
                "--passphrase-file", passphrase.toString(), "--name", name, "--state", state.toString(), "--new-state");
        assertEquals(0, r.status(), r.err());
        return r.err().substring(r.err().indexOf("verifier key ") + 13).trim();
    }

    @Test
    void enrolledWitnessCosignatures_areTrusted_andTheReadersQuorumIsRequired() throws Exception {
        Result made = TransparencyCliTest.run("checkpoint", "make", ledgerFile.toString(), "--key", logKeyFile.toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(0, made.status(), made.err());
        String w1Vkey = cosign("w1.key", w1, "witness.example/w1");
        String w2Vkey = "witness.example/w2+" + org.custody.checkpoint.NoteKey.of("witness.example/w2",
                org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519, w2.publicKey()).toString().split("\\+", 2)[1];

        // an enrolled witness_cosigner's line is checked and trusted, not listed as untrusted
        Result plain = TransparencyCliTest.run("verify", ledgerFile.toString());
        assertEquals(0, plain.status(), plain.out());
        assertTrue(!plain.out().contains("Cosignatures not trusted"), plain.out());

        // the reader names two witnesses and requires both: only one cosigned, I08, exit 3
        Result both = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness", w2Vkey);
        assertEquals(3, both.status(), both.out());
        assertTrue(both.out().contains("I08") && both.out().contains("not cosigned by the witnesses required")
                && both.out().contains("witness.example/w2"), both.out());
        // one of the two is enough: intact; the key may be given in a file
        Path w2File = dir.resolve("w2.vkey");
        Files.writeString(w2File, w2Vkey + "\n");
        Result one = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness", w2File.toString(),
                "--witness-quorum", "1");
        assertEquals(0, one.status(), one.out() + one.err());
        // now the second witness cosigns too: the quorum of two is met
        cosign("w2.key", w2, "witness.example/w2");
        Result met = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness", w2File.toString());
        assertEquals(0, met.status(), met.out() + met.err());

        // a witness key that is not the reader's named one: another key under w1's name does not count
        String forged = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519,
                SigningKey.generate(SignatureAlgorithm.ED25519).publicKey()).toString();
        Result other = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", forged);
        assertEquals(3, other.status(), other.out());
        assertTrue(other.out().contains("I08"), other.out());
    }

    @Test
    void aQuorumWithoutACheckpoint_orOfALogKey_orTooLarge_isRefused() throws Exception {
        String w1Vkey = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519,
                w1.publicKey()).toString();
        Result none = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey);
        assertEquals(3, none.status(), none.out());
        assertTrue(none.out().contains("keeps no signed checkpoint"), none.out());

        String logVkey = org.custody.checkpoint.NoteKey.of("witness.example/w1", org.custody.checkpoint.NoteKeyType.ED25519,
                w1.publicKey()).toString();
        Result logKey = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", logVkey);
        assertEquals(2, logKey.status(), logKey.err());
        assertTrue(logKey.err().contains("not a cosignature key"), logKey.err());

        Result tooMany = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", w1Vkey, "--witness-quorum", "2");
        assertEquals(2, tooMany.status(), tooMany.err());
        Result noKeys = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness-quorum", "1");
        assertEquals(2, noKeys.status(), noKeys.err());
        Result garbage = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", "not-a-key");
        assertEquals(2, garbage.status(), garbage.err());
        assertTrue(garbage.err().contains("见证公钥格式错误"), garbage.err());
    }

    @Test
    void aWitnessCosignerHoldsThatRoleAlone() {
        MalformedInputException e = assertThrows(MalformedInputException.class,
                () -> new Person(PersonId.of("W9"), "both", java.util.Set.of(Role.WITNESS_COSIGNER, Role.DISCIPLINE_INSPECTOR),
                        null, null, List.of()));
        assertTrue(e.getMessage().contains("witness_cosigner"), e.getMessage());
        assertThrows(MalformedInputException.class, () -> new org.custody.model.Quorum.Group(java.util.Set.of(Role.WITNESS_COSIGNER), 1));
    }

    // ------------------------------------------------------------------ tlog-witness, both ways

    /** {@code custody witness serve} running in this process until {@link #stop}. */
    private final class Served implements AutoCloseable {
        final java.io.StringWriter out = new java.io.StringWriter();
        final java.io.StringWriter err = new java.io.StringWriter();
        final picocli.CommandLine cl = Custody.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        final int[] status = {-1};
        final Thread thread;
        final String url;

        Served(String... args) throws Exception {
            thread = new Thread(() -> status[0] = cl.execute(args), "witness-serve-test");
            thread.start();
            String line = null;
            while (line == null) {
                line = out.toString().lines().filter(l -> l.contains("listening on ")).findFirst().orElse(null);
                if (line == null && !thread.isAlive()) {
                    throw new AssertionError("witness serve ended with " + status[0] + ": " + err);
                }
                Thread.sleep(20);
            }
            url = line.substring(line.indexOf("http://"));
        }

        @Override
        public void close() {
            ((WitnessCommand.Serve) cl.getSubcommands().get("witness").getSubcommands().get("serve").getCommand()).stop.countDown();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the witness stopped", e);
            }
        }
    }

    record Answer(int status, String type, String body) {}

    static Answer post(String url, byte[] body) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    @Test
    void witnessServe_cosignsALogWrittenFromTheSpec_andRefusesWhatTheProtocolRefuses() throws Exception {
        SpecTlog.Log log = new SpecTlog.Log("log.example/spec-log", SpecTlog.Ed25519.generate());
        String logVkey = log.key().vkey(log.origin(), 1);
        Path logKeys = dir.resolve("logs.txt");
        Files.writeString(logKeys, logVkey + "\n");
        Path state = dir.resolve("served.state");
        Path wKey = keyFile("served.key", w1);
        String[] args = {"witness", "serve", "--key", wKey.toString(), "--passphrase-file", passphrase.toString(),
                "--name", "witness.example/w1", "--state", state.toString(), "--log-key", logKeys.toString(),
                "--listen", "127.0.0.1:0"};
        String[] first = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--new-state"))
                .toArray(String[]::new);
        byte[] raw = w1.publicKey().encoded();
        try (Served w = new Served(first)) {
            assertTrue(w.out.toString().contains("verifier key witness.example/w1+"), w.out.toString());
            Answer a = post(w.url, log.request(0, List.of(), log.note(2)));
            assertEquals(200, a.status(), a.body());
            long t = SpecTlog.checkCosignature(a.body().strip(), "witness.example/w1", raw, log.body(2));
            assertTrue(Math.abs(t - Instant.now().getEpochSecond()) < 3600, "timestamp " + t);

            // a client that does not know the witness's size learns it: 409, text/x.tlog.size
            Answer stale = post(w.url, log.request(0, List.of(), log.note(5)));
            assertEquals(409, stale.status());
            assertEquals("text/x.tlog.size", stale.type());
            assertEquals("2\n", stale.body());
            Answer grown = post(w.url, log.request(2, SpecTlog.proof(2, 5), log.note(5)));
            assertEquals(200, grown.status(), grown.body());
            SpecTlog.checkCosignature(grown.body().strip(), "witness.example/w1", raw, log.body(5));

            assertEquals(422, post(w.url, log.request(5, SpecTlog.proof(3, 8), log.note(8))).status());
            assertEquals(400, post(w.url, log.request(9, List.of(), log.note(8))).status());
            assertEquals(400, post(w.url, SpecTlog.utf8("old 5\nnot base64\n\n" + log.note(8))).status());
            SpecTlog.Log unknown = new SpecTlog.Log("log.example/unknown", SpecTlog.Ed25519.generate());
            assertEquals(404, post(w.url, unknown.request(0, List.of(), unknown.note(3))).status());
            SpecTlog.Log impostor = new SpecTlog.Log(log.origin(), SpecTlog.Ed25519.generate());
            assertEquals(403, post(w.url, impostor.request(5, SpecTlog.proof(5, 8), impostor.note(8))).status());
            var get = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(w.url)).GET()
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
            assertTrue(w.err.toString().contains("refused log.example/spec-log (422)"), w.err.toString());
        }
        assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(state));
        // restarted on its state file: what it cosigned holds, a rollback to 2 is refused with its size
        try (Served again = new Served(args)) {
            Answer rollback = post(again.url, log.request(5, List.of(), log.note(2)));
            assertEquals(400, rollback.status());
            Answer fromZero = post(again.url, log.request(0, List.of(), log.note(2)));
            assertEquals(409, fromZero.status());
            assertEquals("5\n", fromZero.body());
            assertEquals(200, post(again.url, log.request(5, SpecTlog.proof(5, 9), log.note(9))).status());
        }
        // a missing state file is not silently a fresh start
        Files.delete(state);
        Result lost = TransparencyCliTest.run(args);
        assertEquals(2, lost.status(), lost.err());
        assertTrue(lost.err().contains("--new-state"), lost.err());
    }

    @Test
    void theLedgerPushesItsCheckpoints_toAWitnessWrittenFromTheSpec_andTheReaderRequiresIt() throws Exception {
        SpecTlog.Witness spec;
        org.custody.ledger.WitnessPush.Endpoint endpoint;
        try (Ledger ledger = Ledger.open(ledgerFile)) {
            ledger.signCheckpoint(logKey);
            byte[] logRaw = logKey.publicKey().encoded();
            spec = new SpecTlog.Witness("witness.example/spec", ledger.origin(), logRaw);
            endpoint = new org.custody.ledger.WitnessPush.Endpoint(java.net.URI.create(spec.url()),
                    org.custody.checkpoint.NoteKey.parse(spec.key.vkey(spec.name, 4)));
            var stored = new org.custody.ledger.WitnessPush(ledger).push(endpoint);
            String line = stored.signatures().stream().filter(l -> l.name().equals(spec.name)).findFirst().orElseThrow().line();
            SpecTlog.checkCosignature(line, spec.name, spec.key.raw(), stored.text());

            grow(ledger, "B", 3);
            ledger.signCheckpoint(logKey);
            // a new pusher does not know the witness's size: old 0, 409, then from the size the witness gave
            var pusher = new org.custody.ledger.WitnessPush(ledger);
            var second = pusher.push(endpoint);
            assertTrue(second.text().startsWith(ledger.origin() + "\n11\n"), second.text());
            assertEquals(List.of(0L, 0L, 8L), spec.oldSizes);
            // the same pusher remembers: no conflict the next time
            pusher.push(endpoint);
            assertEquals(List.of(0L, 0L, 8L, 11L), spec.oldSizes);

            // a witness that cosigned more than this ledger holds: the ledger was rolled back or forked
            synchronized (spec) {
                spec.size = 99;
            }
            var e = assertThrows(org.custody.ledger.WitnessPush.PushException.class,
                    () -> new org.custody.ledger.WitnessPush(ledger).push(endpoint));
            assertTrue(e.getMessage().contains("I09"), e.getMessage());
        } finally {
            // the witness's HTTP server stays up until here only
        }
        try (spec) {
            String vkey = spec.key.vkey(spec.name, 4);
            Result ok = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", vkey);
            assertEquals(0, ok.status(), ok.out() + ok.err());
            // it is listed as not enrolled in the ledger, and still counts for the reader who named it
            assertTrue(ok.out().contains("Cosignatures not trusted") && ok.out().contains(spec.name), ok.out());
        }
    }

    @Test
    void theServer_sendsItsCheckpoints_toTheConfiguredWitnesses() throws Exception {
        Path pass = dir.resolve("checkpoint-pass");
        org.custody.files.OwnerOnly.replace(pass, (PASS + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String origin = "custody/ledger/" + ID.value();
        try (SpecTlog.Witness spec = new SpecTlog.Witness("witness.example/spec", origin, logKey.publicKey().encoded())) {
            var endpoint = new org.custody.ledger.WitnessPush.Endpoint(java.net.URI.create(spec.url()),
                    org.custody.checkpoint.NoteKey.parse(spec.key.vkey(spec.name, 4)));
            var config = new org.custody.server.ServerConfig(ledgerFile, "127.0.0.1", 0, null, java.time.Duration.ofMinutes(15),
                    1 << 20, 100, false).withCheckpointKey(logKeyFile, pass, java.time.Duration.ofMillis(50))
                    .withWitnesses(List.of(endpoint));
            var server = org.custody.server.CustodyServer.start(config);
            try {
                // the checkpointer signs the 8 entries at once; the witness is asked on the witness thread
                for (int i = 0; i < 400 && witnessed(spec) < 8; i++) {
                    Thread.sleep(25);
                }
                assertEquals(8, witnessed(spec));
            } finally {
                server.close();
            }
            String vkey = spec.key.vkey(spec.name, 4);
            Result ok = TransparencyCliTest.run("verify", ledgerFile.toString(), "--witness", vkey);
            assertEquals(0, ok.status(), ok.out() + ok.err());
        }
    }

    private static long witnessed(SpecTlog.Witness spec) {
        synchronized (spec) {
            return spec.size;
        }
    }
}
