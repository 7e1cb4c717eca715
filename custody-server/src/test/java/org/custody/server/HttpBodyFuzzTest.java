package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.custody.checkpoint.SignedNote;
import org.custody.model.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets of the server's request bodies over real HTTP (docs/fuzzing.md): the {@link Fixture} ledger, with a
 * signed checkpoint, behind the real server on a loopback port, and any bytes posted as {@code application/json} to
 * {@code /api/v1/records} (strict JSON, then {@code RecordCodec} on the record's bytes, then the gate),
 * {@code /api/v1/drafts} ({@link DraftRequest} binding) and {@code /api/v1/drafts/{id}/signatures}
 * ({@link SignatureRequest} binding), or as {@code text/plain} to {@code /api/v1/checkpoints/cosignatures} (an
 * inspector's cosignature line). Every answer is a success or a 4xx problem+json (a malformed body, a refusal), never
 * a 5xx; a record or signature that is not a success stores nothing (the ledger has not grown), nor does a refused
 * cosignature (the latest checkpoint is as it was). A draft that a body opens is cancelled again. Seeds: bodies the
 * API tests send, records of the golden ledger, cosignature lines of the checkpoint vectors.
 */
class HttpBodyFuzzTest {
    private static Path dir;
    private static Fixture f;
    private static Client officer;
    private static Client inspector;
    private static String draft;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("http-body-fuzz");
        f = new Fixture(dir);
        f.ledger.signCheckpoint(f.enrol("P090", Role.CHECKPOINT_SIGNER));
        f.start();
        officer = f.client("officer-k01");
        inspector = f.client("inspector");
        Client.Response open = officer.post("/api/v1/drafts", DraftsApiTest.draft("print", null, "P010", List.of("P011"),
                "2021-06-02T01:00:00Z", Fixture.Q1, java.util.Map.of("count", 30)));
        assertEquals(201, open.status(), open.body());
        draft = open.json().get("id").asText();
    }

    @AfterAll
    static void stop() throws IOException {
        f.close();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Client.Response post(String path, byte[] body) {
        return check(officer.post(path, body, "application/json"));
    }

    private static Client.Response check(Client.Response r) {
        assertTrue(r.status() < 500, "a body made the server fail: " + r);
        if (r.status() >= 400) {
            assertTrue(r.isProblem(), "a refusal is problem+json: " + r);
        }
        return r;
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void records(byte[] body) {
        long before = f.ledger.head().size();
        Client.Response r = post("/api/v1/records", body);
        if (r.status() >= 300) {
            assertEquals(before, f.ledger.head().size(), "a refused record was stored: " + r);
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void drafts(byte[] body) {
        Client.Response r = post("/api/v1/drafts", body);
        if (r.status() == 201) {
            // a draft the body opened is cancelled, so that inputs never fill the server's open drafts
            Client.Response cancel = officer.delete("/api/v1/drafts/" + r.json().get("id").asText());
            assertTrue(cancel.status() < 300, "cannot cancel the draft just opened: " + cancel);
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void signatures(byte[] body) {
        long before = f.ledger.head().size();
        Client.Response r = post("/api/v1/drafts/" + draft + "/signatures", body);
        if (r.status() >= 300) {
            assertEquals(before, f.ledger.head().size(), "a refused signature stored something: " + r);
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void cosignatures(byte[] body) {
        Optional<SignedNote> before = f.ledger.latestCheckpoint();
        Client.Response r = check(inspector.post("/api/v1/checkpoints/cosignatures", body, "text/plain"));
        if (r.status() >= 300) {
            assertEquals(before, f.ledger.latestCheckpoint(), "a refused cosignature was stored: " + r);
        }
    }
}
