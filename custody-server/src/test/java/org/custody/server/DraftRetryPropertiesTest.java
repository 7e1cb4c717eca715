package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import org.custody.crypto.Signature;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.record.Registration;

/**
 * Whatever the order, repetition and concurrency of the signature posts, a draft is stored exactly
 * once, after its last party's signature, and every post is answered 200.
 */
class DraftRetryPropertiesTest {
    private static final List<String> PEOPLE = List.of("P010", "P011", "P001", "P002");
    private static final AtomicInteger BAGS = new AtomicInteger();
    private static Fixture f;
    private static Map<String, Device> devices;

    @BeforeContainer
    static void start() throws Exception {
        f = new Fixture(Files.createTempDirectory("custody-draft-props")).start();
        devices = Map.of("P010", f.device("P010", "officer-k01"), "P011", f.device("P011", "officer-k01"),
                "P001", f.device("P001", "officer-k01"), "P002", f.device("P002", "officer-k01"));
    }

    @AfterContainer
    static void stop() {
        f.close();
    }

    @Property(tries = 25)
    void anyOrderAndRepetitionOfPosts_storesTheRecordExactlyOnce(@ForAll @IntRange(min = 2, max = 4) int parties,
                                                                 @ForAll @IntRange(min = 0, max = 6) int repeats,
                                                                 @ForAll long seed) throws Exception {
        BagId bag = BagId.of("PROP.K01." + BAGS.incrementAndGet());
        f.ledger.append(f.sign(new Registration(RecordId.of("register-" + bag), Fixture.LEDGER, Fixture.T0,
                List.of(Bag.papers(bag, BagKind.QUESTION_PAPER, Fixture.EXAM, "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)),
                List.of(PersonId.of("P001"), PersonId.of("P003")))));
        List<String> who = PEOPLE.subList(0, parties);
        JsonNode draft = f.client("officer-k01").post("/api/v1/drafts",
                DraftsApiTest.draft("print", null, who.get(0), who.subList(1, parties), "2021-06-02T01:00:00Z", bag, Map.of())).json();
        String id = draft.get("id").asText();
        byte[] bytes = Device.signedBytes(draft);
        Random random = new Random(seed);
        List<String> posts = new ArrayList<>(who);
        for (int i = 0; i < repeats; i++) {
            posts.add(who.get(random.nextInt(parties)));
        }
        Collections.shuffle(posts, random);
        long size = f.ledger.head().size();
        List<Callable<Client.Response>> calls = new ArrayList<>();
        for (String p : posts) {
            Signature s = f.key(p).sign(bytes);
            calls.add(() -> devices.get(p).post(id, s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Client.Response> r : pool.invokeAll(calls)) {
                assertEquals(200, r.get().status(), r.get().body());
            }
        } finally {
            pool.shutdown();
        }
        JsonNode after = f.client("officer-k01").get("/api/v1/drafts/" + id).json();
        assertEquals("committed", after.get("state").asText(), after.toString());
        assertEquals(size + 1, f.ledger.head().size());
        assertEquals(2, f.ledger.history(bag).size());
        assertEquals(Instant.parse("2021-06-02T01:00:00Z"), f.ledger.history(bag).get(1).record().at());
    }
}
