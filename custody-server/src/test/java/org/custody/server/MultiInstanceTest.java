package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.custody.audit.AuditReport;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerLocation;
import org.custody.ledger.Migration;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.custody.record.Record;
import org.custody.record.RecordCodec;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server instances on loopback ports over one PostgreSQL ledger (the test database of
 * {@code tools/build/test-postgres.sh}; these tests fail, never skip, without it): drafts shared through the store,
 * concurrent handoffs through both that never fork the chain, one checkpointer at a time. The kill test with a real
 * process is {@link KilledInstanceTest}.
 */
class MultiInstanceTest {
    static final int BAGS = 16;

    @TempDir
    Path dir;
    private Fixture f;
    private String url;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void copyTheFixtureLedgerIntoPostgres() throws Exception {
        f = new Fixture(dir);
        f.ledger.append(f.sign(moreBags(f)));
        url = TestDatabase.freshSchema();
        Migration.copy(LedgerLocation.of(f.ledgerFile), LedgerLocation.parse(url), n -> { });
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(opened);
        for (AutoCloseable c : opened) {
            c.close();
        }
        f.close();
        TestDatabase.drop(url);
    }

    /** {@value #BAGS} more question-paper bags at site K01, {@code HN-2021.K01.1n.ENG.A}. */
    static Registration moreBags(Fixture f) {
        List<Bag> bags = new ArrayList<>();
        for (int i = 0; i < BAGS; i++) {
            bags.add(Bag.papers(bag(i), BagKind.QUESTION_PAPER, Fixture.EXAM, "K01", String.valueOf(10 + i), "S1", "ENG", "A", 30,
                    Secrecy.CONFIDENTIAL));
        }
        return new Registration(RecordId.of("register-more"), f.id, Fixture.T0.plusSeconds(6), bags,
                List.of(PersonId.of("P001"), PersonId.of("P003")));
    }

    static BagId bag(int i) {
        return BagId.of("HN-2021.K01." + (10 + i) + ".ENG.A");
    }

    /** A server instance over its own connection to the PostgreSQL ledger. */
    private CustodyServer instance(java.util.function.UnaryOperator<ServerConfig> tweak) {
        Ledger ledger = Ledger.open(LedgerLocation.parse(url));
        opened.add(ledger);
        ServerConfig config = tweak.apply(new ServerConfig(f.ledgerFile, "127.0.0.1", 0, f.tokenFile, Duration.ofMinutes(15),
                64 * 1024, 100, false));
        CustodyServer server = CustodyServer.start(ledger, config, Clock.systemUTC());
        opened.add(server);
        return server;
    }

    private Client client(CustodyServer server, String token) {
        return new Client(server.port(), f.tokens.get(token));
    }

    /** The print handoff of {@code bag} from its head in {@code ledger}, signed by every party: the body of POST /records. */
    static ObjectNode printed(Fixture f, Ledger ledger, BagId bag, String id) throws Exception {
        return printed(f, ledger, bag, id, null);
    }

    static ObjectNode printed(Fixture f, Ledger ledger, BagId bag, String id, String note) throws Exception {
        Handoff handoff = Handoff.builder(Step.PRINT).id(RecordId.of(id)).ledger(f.id).at(Instant.parse("2021-06-02T01:00:00Z"))
                .to(PersonId.of("P010")).witness(PersonId.of("P011")).place(Place.of("K01", "湘江学院考点"))
                .bag(ledger.move(bag).count(30)).note(note).build();
        return body(f.sign(handoff));
    }

    static ObjectNode body(SignedRecord signed) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("record", Json.MAPPER.readTree(RecordCodec.canonicalBytes(signed.record())));
        var sigs = body.putArray("signatures");
        for (var s : signed.signatures()) {
            sigs.addObject().put("key", s.key().hex()).put("sig", s.base64());
        }
        return body;
    }

    @Test
    void draftOpenedOnOneInstance_isSignedOnBoth_andCommittedOnTheOther_andBothSeeTheEntry() throws Exception {
        CustodyServer a = instance(c -> c);
        CustodyServer b = instance(c -> c);
        Client onA = client(a, "officer-k01");
        Client onB = client(b, "officer-k01");
        Client.Response opened = onA.post("/api/v1/drafts", DraftsApiTest.draft("print", null, "P010", List.of("P011"),
                "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        assertEquals(201, opened.status(), opened.body());
        String id = opened.json().get("id").asText();
        // B reads the draft A opened, and the exact bytes to sign
        assertEquals(opened.json().get("signedBytes"), onB.get("/api/v1/drafts/" + id).json().get("signedBytes"));
        Client.Response first = f.device("P010", onA).sign(id);
        assertEquals("open", first.json().get("state").asText(), first.body());
        Client.Response seen = onB.get("/api/v1/drafts/" + id);
        assertEquals("[\"P011\"]", seen.json().get("missing").toString(), "B sees the signature A took: " + seen.body());
        Client.Response last = f.device("P011", onB).sign(id);
        assertEquals(200, last.status(), last.body());
        assertEquals("committed", last.json().get("state").asText(), last.body());
        long seq = last.json().get("entry").get("seq").asLong();
        // A, whose copy of the draft was open, reads how it ended on B
        JsonNode onAafter = onA.get("/api/v1/drafts/" + id).json();
        assertEquals("committed", onAafter.get("state").asText(), onAafter.toString());
        assertEquals(seq, onAafter.get("entry").get("seq").asLong());
        // each instance reads the entry the other stored
        for (Client c : List.of(onA, onB)) {
            JsonNode history = c.get("/api/v1/bags/" + Fixture.Q1.value() + "/history").json();
            assertTrue(history.toString().contains("\"seq\":" + seq), history.toString());
        }
        // a record id opened on A is in use on B too
        ObjectNode withId = DraftsApiTest.draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q2,
                Map.of("count", 30));
        withId.put("id", "print-q2");
        Client.Response onK02 = client(a, "officer-k02").post("/api/v1/drafts", withId);
        assertEquals(201, onK02.status(), onK02.body());
        Client.Response retried = client(b, "officer-k02").post("/api/v1/drafts", withId);
        assertEquals(200, retried.status(), "a retried open on the other instance finds the same draft: " + retried.body());
        assertEquals(onK02.json().get("id"), retried.json().get("id"));
        withId.put("note", "another handoff");
        assertEquals(409, client(b, "officer-k02").post("/api/v1/drafts", withId).status());
        // cancelled on B, gone for signatures on A
        String other = onK02.json().get("id").asText();
        assertEquals("cancelled", client(b, "officer-k02").delete("/api/v1/drafts/" + other).json().get("state").asText());
        assertEquals(410, f.device("P010", client(a, "officer-k02")).sign(other).status());
        assertTrue(Ledger.verify(LedgerLocation.parse(url), org.custody.ledger.verify.LedgerVerifier.Options.defaults(), null).intact());
    }

    @Test
    void concurrentHandoffsThroughBoth_neverFork_andOfTwoConflictingHandoffsOneWins_theOtherToldWhichEntryRecordedIt()
            throws Exception {
        CustodyServer a = instance(c -> c);
        CustodyServer b = instance(c -> c);
        Ledger reader = Ledger.open(LedgerLocation.parse(url));
        opened.add(reader);
        long before = reader.head().size();
        // every bag handed over at once, half through each instance
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Client.Response>> posts = new ArrayList<>();
        try {
            for (int i = 0; i < BAGS; i++) {
                ObjectNode body = printed(f, reader, bag(i), "print-" + i);
                Client c = client(i % 2 == 0 ? a : b, "officer-k01");
                posts.add(pool.submit(() -> {
                    go.await();
                    return c.post("/api/v1/records", body);
                }));
            }
            go.countDown();
            for (Future<Client.Response> p : posts) {
                Client.Response r = p.get(60, TimeUnit.SECONDS);
                assertEquals(201, r.status(), r.body());
            }
            assertEquals(before + BAGS, reader.head().size());
            // two handoffs of one bag from the same entry, one through each instance, at once: one wins
            ObjectNode first = printed(f, reader, Fixture.Q1, "race-a");
            ObjectNode second = printed(f, reader, Fixture.Q1, "race-b", "the other one");
            CountDownLatch race = new CountDownLatch(1);
            ObjectNode x = first;
            ObjectNode y = second;
            Future<Client.Response> ra = pool.submit(() -> {
                race.await();
                return client(a, "officer-k01").post("/api/v1/records", x);
            });
            Future<Client.Response> rb = pool.submit(() -> {
                race.await();
                return client(b, "officer-k01").post("/api/v1/records", y);
            });
            race.countDown();
            List<Client.Response> answers = List.of(ra.get(60, TimeUnit.SECONDS), rb.get(60, TimeUnit.SECONDS));
            List<Client.Response> won = answers.stream().filter(r -> r.status() == 201).toList();
            List<Client.Response> lost = answers.stream().filter(r -> r.status() == 409).toList();
            assertEquals(1, won.size(), answers.toString());
            assertEquals(1, lost.size(), answers.toString());
            long winner = won.get(0).json().get("seq").asLong();
            JsonNode problem = lost.get(0).json();
            assertEquals("I07", problem.get("code").asText(), problem.toString());
            assertTrue(problem.get("detail").asText().contains("bag " + Fixture.Q1 + " was recorded meanwhile by entry " + winner),
                    problem.toString());
            assertTrue(problem.toString().contains("已由第 " + winner + " 条记录交接"), problem.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + BAGS + 1, reader.head().size());
        assertEquals(2, reader.history(Fixture.Q1).size(), "the bag's chain did not fork");
        AuditReport report = Ledger.verify(LedgerLocation.parse(url), org.custody.ledger.verify.LedgerVerifier.Options.defaults(), null);
        assertTrue(report.intact(), report.summary());
    }

    @Test
    void oneCheckpointerAtATime_theOtherTakesOverWhenTheFirstStops() throws Exception {
        SigningKey key;
        try (Ledger ledger = Ledger.open(LedgerLocation.parse(url))) {
            key = SigningKey.generate(f.suite.signature());
            f.keys.put(PersonId.of("P900"), key);
            ledger.append(f.sign(new org.custody.record.Enrolment(RecordId.of("enrol-P900"), f.id, Fixture.T0.plusSeconds(10),
                    org.custody.model.Person.of("P900", "检查点 P900", Role.CHECKPOINT_SIGNER), key.publicKey(), PersonId.of("P001"))));
        }
        Path keyFile = dir.resolve("checkpoint-key.pem");
        Path passFile = dir.resolve("checkpoint-passphrase");
        KeyFiles.write(keyFile, key, Fixture.PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        org.custody.files.OwnerOnly.replace(passFile, (new String(Fixture.PASSPHRASE) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CustodyServer a = instance(c -> c.withCheckpointKey(keyFile, passFile, Duration.ofMillis(50)));
        awaitHolding(a);
        CustodyServer b = instance(c -> c.withCheckpointKey(keyFile, passFile, Duration.ofMillis(50)));
        Ledger reader = Ledger.open(LedgerLocation.parse(url));
        opened.add(reader);
        for (int i = 0; i < 3; i++) {
            assertEquals(201, client(b, "officer-k01").post("/api/v1/records", printed(f, reader, bag(i), "print-" + i)).status());
            awaitCheckpoint(reader);
            assertTrue(checkpointer(a).holding(), "the first instance checkpoints");
            assertFalse(checkpointer(b).holding(), "the second waits while the first holds the lock");
        }
        a.close();
        awaitHolding(b);
        assertEquals(201, client(b, "officer-k01").post("/api/v1/records", printed(f, reader, bag(5), "print-5")).status());
        awaitCheckpoint(reader);
    }

    static org.custody.ledger.Checkpointer checkpointer(CustodyServer server) {
        return server.exams().get(0).checkpointer;
    }

    static void awaitHolding(CustodyServer server) throws InterruptedException {
        for (int i = 0; i < 600 && !checkpointer(server).holding(); i++) {
            Thread.sleep(50);
        }
        assertTrue(checkpointer(server).holding(), "the instance took the checkpointer's lock");
    }

    /** Polls until a checkpoint covers the whole ledger. */
    static void awaitCheckpoint(Ledger ledger) throws InterruptedException {
        long size = ledger.head().size();
        for (int i = 0; i < 600; i++) {
            if (ledger.latestCheckpoint().map(n -> org.custody.checkpoint.Checkpoint.parse(n.text()).size()).orElse(0L) == size) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint of size " + size + " was signed");
    }
}
