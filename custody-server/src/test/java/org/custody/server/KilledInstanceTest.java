package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.audit.AuditReport;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerLocation;
import org.custody.ledger.Migration;
import org.custody.model.Role;
import org.custody.record.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code custody-server} process on a PostgreSQL ledger, killed with {@code kill -9} while it takes handoffs,
 * beside a second instance in this JVM: every handoff and signature the killed one acknowledged is in the store
 * afterwards, the second instance finishes the draft the killed one took a signature for, takes over the checkpointer,
 * and the ledger verifies. Needs the test PostgreSQL ({@code tools/build/test-postgres.sh}); fails, never skips, without.
 */
class KilledInstanceTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

    @TempDir
    Path dir;
    private Fixture f;
    private String url;
    private Process process;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        java.util.Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
        if (f != null) {
            f.close();
        }
        if (url != null) {
            TestDatabase.drop(url);
        }
    }

    @Test
    void killMinus9_midLoad_nothingAcknowledgedIsLost_theOtherInstanceFinishesTheDraftAndTakesOverTheCheckpointer()
            throws Exception {
        f = new Fixture(dir);
        f.ledger.append(f.sign(MultiInstanceTest.moreBags(f)));
        SigningKey key = f.enrol("P900", Role.CHECKPOINT_SIGNER);
        url = TestDatabase.freshSchema();
        Migration.copy(LedgerLocation.of(f.ledgerFile), LedgerLocation.parse(url), n -> { });
        Path keyFile = dir.resolve("checkpoint-key.pem");
        Path passFile = dir.resolve("checkpoint-passphrase");
        KeyFiles.write(keyFile, key, Fixture.PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        org.custody.files.OwnerOnly.replace(passFile, (new String(Fixture.PASSPHRASE) + "\n").getBytes(StandardCharsets.UTF_8));
        Ledger reader = Ledger.open(LedgerLocation.parse(url));
        opened.add(reader);

        // instance A: a real process, the first to take the checkpointer's lock
        int portA = startProcess(keyFile, passFile);
        MultiInstanceTest.awaitCheckpoint(reader);
        // instance B: in this JVM, with the same checkpoint key
        Ledger ledgerB = Ledger.open(LedgerLocation.parse(url));
        opened.add(ledgerB);
        CustodyServer b = CustodyServer.start(ledgerB, new ServerConfig(f.ledgerFile, "127.0.0.1", 0, f.tokenFile, Duration.ofMinutes(15),
                64 * 1024, 100, false).withCheckpointKey(keyFile, passFile, Duration.ofMillis(50)), Clock.systemUTC());
        opened.add(b);
        Client onA = new Client(portA, f.tokens.get("officer-k01"));
        Client onB = new Client(b.port(), f.tokens.get("officer-k01"));

        // a draft opened on A, one of its two signatures acknowledged by A
        Client.Response draft = onA.post("/api/v1/drafts", DraftsApiTest.draft("print", null, "P010", List.of("P011"),
                "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        assertEquals(201, draft.status(), draft.body());
        String id = draft.json().get("id").asText();
        assertEquals(200, f.device("P010", onA).sign(id).status());
        assertFalse(MultiInstanceTest.checkpointer(b).holding(), "A holds the checkpointer's lock");

        // load on A: handoffs posted one after another; A is killed once a few were acknowledged
        List<long[]> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> acknowledgedIds = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < MultiInstanceTest.BAGS; i++) {
                Client.Response r;
                try {
                    r = onA.post("/api/v1/records", MultiInstanceTest.printed(f, reader, MultiInstanceTest.bag(i), "print-" + i));
                } catch (Exception e) {
                    return; // A is gone: this one was not acknowledged
                }
                if (r.status() != 201) {
                    throw new AssertionError(r.toString());
                }
                acknowledged.add(new long[] {r.json().get("seq").asLong()});
                acknowledgedIds.add("print-" + i);
            }
        });
        while (acknowledged.size() < 4 && !load.isDone()) {
            Thread.sleep(10);
        }
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -9 " + process.pid());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        load.get(60, TimeUnit.SECONDS);
        assertTrue(acknowledged.size() >= 4, acknowledged.size() + " acknowledged before the kill");

        // nothing A acknowledged is lost
        for (int i = 0; i < acknowledged.size(); i++) {
            long seq = acknowledged.get(i)[0];
            Entry entry = reader.entry(seq).orElseThrow(() -> new AssertionError("acknowledged entry " + seq + " is missing"));
            assertEquals(acknowledgedIds.get(i), entry.record().id().value());
        }
        // B finishes the draft A took a signature for
        Client.Response onBDraft = onB.get("/api/v1/drafts/" + id);
        assertEquals("[\"P011\"]", onBDraft.json().get("missing").toString(), onBDraft.body());
        Client.Response last = f.device("P011", onB).sign(id);
        assertEquals("committed", last.json().get("state").asText(), last.body());
        // B takes over the checkpointer: A's session, and its advisory lock, died with it
        MultiInstanceTest.awaitHolding(b);
        assertEquals(201, onB.post("/api/v1/records", MultiInstanceTest.printed(f, reader, MultiInstanceTest.bag(MultiInstanceTest.BAGS - 1),
                "after-the-kill")).status());
        MultiInstanceTest.awaitCheckpoint(reader);
        AuditReport report = Ledger.verify(LedgerLocation.parse(url), org.custody.ledger.verify.LedgerVerifier.Options.defaults(), null);
        assertTrue(report.intact(), report.summary());
    }

    /** Starts {@code custody-server} on the PostgreSQL ledger, on a free port; returns the port it listens on. */
    private int startProcess(Path keyFile, Path passFile) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CustodyServer.class.getName(),
                "--ledger", url, "--port", "0", "--tokens", f.tokenFile.toString(), "--checkpoint-key", keyFile.toString(),
                "--checkpoint-passphrase-file", passFile.toString(), "--checkpoint-interval", "50ms")
                .redirectError(dir.resolve("instance-a.log").toFile());
        process = pb.start();
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new AssertionError("the server process ended without listening; see " + dir.resolve("instance-a.log"));
        });
        return port.get(120, TimeUnit.SECONDS);
    }
}
