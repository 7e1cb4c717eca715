package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.InclusionProof;
import org.custody.merkle.ProofVerifier;
import org.custody.merkle.TreeHasher;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints, proofs, cosignatures and the export over HTTP, each answer checked with the core's own verifiers
 * (NoteVerifier, ProofVerifier, Bundle.verify), against a real ledger file and the real server on loopback.
 */
class TransparencyApiTest {
    static final String INSPECTOR_NAME = "inspector.example/P003";

    @TempDir
    Path dir;
    Fixture f;
    SigningKey logKey;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir);
        logKey = f.enrol("P090", Role.CHECKPOINT_SIGNER);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private SignedNote checkpointNow() {
        return f.ledger.signCheckpoint(logKey);
    }

    private void grow(String id) {
        f.enrol(id, Role.ESCORT);
    }

    private List<NoteKey> logKeys(long size) {
        return f.ledger.checkpointKeys(size);
    }

    private static SignedNote note(Client.Response r) {
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        return SignedNote.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void problem(Client.Response r, int status, String detailContains) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.isProblem(), r.contentType());
        assertTrue(r.json().get("detail").asText().contains(detailContains), r.body());
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    @Test
    void latestCheckpoint_isTheSignedNote_verifiesWithTheLedgersKey() {
        f.start();
        problem(f.client("inspector").get("/api/v1/checkpoints/latest"), 404, "no signed checkpoint");
        checkpointNow();
        grow("P100");
        SignedNote stored = checkpointNow();
        for (String token : List.of("inspector", "admin", "officer-k01")) {
            SignedNote served = note(f.client(token).get("/api/v1/checkpoints/latest"));
            assertEquals(stored, served, token);
            Checkpoint cp = NoteVerifier.of(logKeys(f.ledger.head().size())).verify(served)
                    .requireSignatures(1, List.of(f.ledger.origin())).checkpoint();
            assertEquals(f.ledger.head().size(), cp.size());
            assertEquals(f.ledger.root(cp.size()), cp.root());
        }
    }

    @Test
    void checkpointOfSize_servesThatOne_errorsSayWhy() {
        f.start();
        SignedNote first = checkpointNow();
        long size1 = Checkpoint.parse(first.text()).size();
        grow("P100");
        checkpointNow();
        SignedNote served = note(f.client("officer-k02").get("/api/v1/checkpoints/" + size1));
        assertEquals(first, served);
        NoteVerifier.of(logKeys(size1)).verify(served).requireSignatures(1, List.of(f.ledger.origin()));

        problem(f.client("inspector").get("/api/v1/checkpoints/" + (size1 - 1)), 404, "no checkpoint of size " + (size1 - 1));
        problem(f.client("inspector").get("/api/v1/checkpoints/" + (f.ledger.head().size() + 1)), 400, "beyond the ledger");
        for (String bad : List.of("abc", "-1", "01", "1.5", "99999999999999999999")) {
            Client.Response r = f.client("inspector").get("/api/v1/checkpoints/" + bad);
            assertEquals(400, r.status(), bad + ": " + r.body());
            assertTrue(r.json().get("detail").asText().contains("size"), r.body());
        }
        problem(f.client("inspector").get("/api/v1/checkpoints/latest?size=3"), 400, "unknown query parameter 'size'");
        assertEquals(401, f.client(null).get("/api/v1/checkpoints/latest").status());
    }

    // ------------------------------------------------------------------------------------------ proofs

    @Test
    void inclusionProofs_ofEveryEntry_verifyAgainstTheSignedRoot() {
        f.start();
        grow("P100");
        grow("P101");
        SignedNote note = checkpointNow();
        Checkpoint cp = NoteVerifier.of(logKeys(f.ledger.head().size())).verify(note).checkpoint();
        ProofVerifier verifier = ProofVerifier.of(f.ledger.suite().hash());
        TreeHasher hasher = TreeHasher.of(f.ledger.suite().hash());
        for (long seq = 0; seq < cp.size(); seq++) {
            Client.Response r = f.client("officer-k01").get("/api/v1/proofs/inclusion?seq=" + seq + "&size=" + cp.size());
            assertEquals(200, r.status(), r.body());
            JsonNode body = r.json();
            Hash leaf = hasher.leafHash(f.ledger.entry(seq).orElseThrow().canonicalBytes());
            assertEquals(leaf.hex(), body.get("leafHash").asText());
            assertEquals(cp.root().hex(), body.get("root").asText());
            verifier.verifyInclusion(new InclusionProof(seq, cp.size(), hashes(body)), leaf, cp.root());
        }
        // a smaller tree too: the proof is against that tree's root, not the latest
        Client.Response r = f.client("inspector").get("/api/v1/proofs/inclusion?seq=2&size=5");
        verifier.verifyInclusion(new InclusionProof(2, 5, hashes(r.json())),
                hasher.leafHash(f.ledger.entry(2).orElseThrow().canonicalBytes()), f.ledger.root(5));
    }

    @Test
    void inclusionProof_badParameters_400() {
        f.start();
        long size = f.ledger.head().size();
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=" + size + "&size=" + size), 400, "not in the tree of size");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=0&size=" + (size + 1)), 400, "beyond the ledger");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=0&size=0"), 400, "not in the tree of size 0");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?size=3"), 400, "seq is required");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=x&size=3"), 400, "seq must be a whole number");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=-1&size=3"), 400, "seq must be a whole number");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=1&seq=2&size=3"), 400, "given 2 times");
        problem(f.client("inspector").get("/api/v1/proofs/inclusion?seq=1&size=3&leaf=x"), 400, "unknown query parameter 'leaf'");
        assertEquals(401, f.client(null).get("/api/v1/proofs/inclusion?seq=0&size=1").status());
    }

    @Test
    void consistencyProof_betweenTwoSignedCheckpoints_verifies_andBadRangesAre400() {
        f.start();
        Checkpoint old = Checkpoint.parse(checkpointNow().text());
        grow("P100");
        grow("P101");
        grow("P102");
        SignedNote newer = checkpointNow();
        Checkpoint now = NoteVerifier.of(logKeys(f.ledger.head().size())).verify(newer).checkpoint();
        Client.Response r = f.client("officer-k01").get("/api/v1/proofs/consistency?from=" + old.size() + "&to=" + now.size());
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        assertEquals(old.root().hex(), body.get("fromRoot").asText());
        assertEquals(now.root().hex(), body.get("toRoot").asText());
        ProofVerifier.of(f.ledger.suite().hash()).verifyConsistency(new ConsistencyProof(old.size(), now.size(), hashes(body)),
                old.root(), now.root());
        // equal sizes: an empty proof
        JsonNode same = f.client("inspector").get("/api/v1/proofs/consistency?from=" + now.size() + "&to=" + now.size()).json();
        assertEquals(0, same.get("hashes").size());

        long size = f.ledger.head().size();
        problem(f.client("inspector").get("/api/v1/proofs/consistency?from=5&to=4"), 400, "from 5 is larger than to 4");
        problem(f.client("inspector").get("/api/v1/proofs/consistency?from=1&to=" + (size + 1)), 400, "beyond the ledger");
        problem(f.client("inspector").get("/api/v1/proofs/consistency?from=0&to=3"), 400, "empty tree");
        problem(f.client("inspector").get("/api/v1/proofs/consistency?from=1"), 400, "to is required");
        problem(f.client("inspector").get("/api/v1/proofs/consistency?from=1&to=03"), 400, "leading zeros");
    }

    private static List<Hash> hashes(JsonNode body) {
        List<Hash> out = new ArrayList<>();
        body.get("hashes").forEach(h -> out.add(Hash.fromHex(h.asText())));
        return out;
    }

    // ------------------------------------------------------------------------------------------ cosignatures

    private Witness witness(String name, SigningKey key) {
        return Witness.create(dir.resolve("witness-" + name.replace('/', '_')), name, key, logKeys(f.ledger.head().size()),
                Clock.systemUTC());
    }

    /** The cosignature line {@code witness} adds to {@code note}. */
    private static String line(Witness witness, SignedNote note) {
        SignedNote cosigned = witness.cosign(note.bytes(), null);
        for (NoteSignature s : cosigned.signatures()) {
            if (s.name().equals(witness.key().name())) {
                return s.line();
            }
        }
        throw new AssertionError("no line by " + witness.key().name());
    }

    private static Client.Response postLine(Client c, String path, String line) {
        return c.post(path, (line + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    @Test
    void cosignature_ofAnEnrolledInspector_isStored_andTheNoteVerifiesWithIt() {
        f.start();
        SignedNote latest = checkpointNow();
        try (Witness w = witness(INSPECTOR_NAME, f.key("P003"))) {
            String line = line(w, latest);
            SignedNote stored = note(postLine(f.client("inspector"), "/api/v1/checkpoints/cosignatures", line));
            assertEquals(latest.text(), stored.text());
            assertEquals(2, stored.signatures().size());
            List<NoteKey> keys = new ArrayList<>(logKeys(f.ledger.head().size()));
            keys.add(w.key());
            NoteVerifier.of(keys).verify(note(f.client("officer-k01").get("/api/v1/checkpoints/latest")))
                    .requireSignatures(1, List.of(f.ledger.origin()))
                    .requireCosignatures(1, List.of(INSPECTOR_NAME), Instant.now().minusSeconds(60));
            assertEquals(stored, f.ledger.latestCheckpoint().orElseThrow());
            // posting it again changes nothing
            assertEquals(stored, note(postLine(f.client("inspector"), "/api/v1/checkpoints/cosignatures", line)));
        }
    }

    @Test
    void cosignature_ofAnEarlierCheckpoint_needsItsSize() {
        f.start();
        SignedNote earlier = checkpointNow();
        long size = Checkpoint.parse(earlier.text()).size();
        try (Witness w = witness(INSPECTOR_NAME, f.key("P003"))) {
            String line = line(w, earlier);
            grow("P100");
            checkpointNow();
            Client.Response r = postLine(f.client("inspector"), "/api/v1/checkpoints/cosignatures", line);
            problem(r, 422, "?size=");
            assertEquals("I03", r.json().get("code").asText());
            SignedNote stored = note(postLine(f.client("inspector"), "/api/v1/checkpoints/cosignatures?size=" + size, line));
            assertEquals(2, stored.signatures().size());
            assertEquals(1, f.ledger.latestCheckpoint().orElseThrow().signatures().size());
        }
    }

    @Test
    void cosignature_thatDoesNotVerify_orByAKeyNotAnInspectors_is422_andNothingStored() {
        f.start();
        SignedNote latest = checkpointNow();
        String path = "/api/v1/checkpoints/cosignatures";
        Client inspector = f.client("inspector");
        try (Witness good = witness(INSPECTOR_NAME, f.key("P003"));
             Witness officer = witness("officer.example/P001", f.key("P001"));
             Witness stranger = witness("stranger.example/X", SigningKey.generate(f.suite.signature()))) {
            String line = line(good, latest);
            byte[] payload = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
            payload[payload.length - 1] ^= 1;
            String forged = line.substring(0, line.lastIndexOf(' ') + 1) + Base64.getEncoder().encodeToString(payload);
            Client.Response r = postLine(inspector, path, forged);
            problem(r, 422, "does not verify");
            assertEquals("I03", r.json().get("code").asText());

            problem(postLine(inspector, path, line(officer, latest)), 422, "nor a discipline inspector");

            r = postLine(inspector, path, line(stranger, latest));
            problem(r, 422, "no key enrolled");
            assertEquals("I04", r.json().get("code").asText());

            // the inspector's key under another name is another cosignature key: unknown
            problem(postLine(inspector, path, line.replace(INSPECTOR_NAME, "other.example/P003")), 422, "no key enrolled");
        }
        assertEquals(latest, f.ledger.latestCheckpoint().orElseThrow(), "nothing was stored");
    }

    @Test
    void cosignature_malformedOrWrongRole_refused() {
        f.start();
        String path = "/api/v1/checkpoints/cosignatures";
        problem(postLine(f.client("inspector"), path, "— a/b AAAA"), 404, "no signed checkpoint to cosign");
        SignedNote latest = checkpointNow();
        problem(postLine(f.client("inspector"), path, "not a signature line"), 400, "not a signature line");
        problem(postLine(f.client("inspector"), path, "— a/b AAAA\n— a/c AAAA"), 400, "more than one line");
        problem(f.client("inspector").post(path, new byte[0], "text/plain"), 400, "empty");
        problem(f.client("inspector").post(path, new byte[] {(byte) 0xff, '\n'}, "text/plain"), 400, "not UTF-8");
        problem(f.client("inspector").post(path, "{}"), 415, "text/plain");
        problem(f.client("inspector").post(path + "?size=x", "— a/b AAAA".getBytes(StandardCharsets.UTF_8), "text/plain"), 400, "size");
        problem(f.client("inspector").post(path + "?size=" + (latest.text().length() + 1000),
                "— a/b AAAA".getBytes(StandardCharsets.UTF_8), "text/plain"), 404, "no checkpoint of size");
        problem(f.client("inspector").post(path, new byte[70_000], "text/plain"), 413, "at most");
        try (Witness w = witness(INSPECTOR_NAME, f.key("P003"))) {
            String line = line(w, latest);
            assertEquals(403, postLine(f.client("officer-k01"), path, line).status());
            assertEquals(403, postLine(f.client("admin"), path, line).status());
            assertEquals(401, postLine(f.client(null), path, line).status());
        }
        assertEquals(latest, f.ledger.latestCheckpoint().orElseThrow(), "nothing was stored");
    }

    // ------------------------------------------------------------------------------------------ export

    @Test
    void export_streamsTheBundle_whichVerifiesOfflineLikeTheFile() throws Exception {
        // one large entry (about 70 KB), so the bundle is larger than the server's output buffers
        List<Bag> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            many.add(Bag.papers(BagId.of(String.format("HN-2021.K01.%03d.MAT.B", i)), BagKind.QUESTION_PAPER, Fixture.EXAM, "K01",
                    "02", "S2", "MAT", "B", 30, Secrecy.CONFIDENTIAL));
        }
        f.ledger.append(f.sign(new Registration(RecordId.of("register-many"), Fixture.LEDGER, Fixture.T0.plusSeconds(20), many,
                List.of(PersonId.of("P001"), PersonId.of("P003")))));
        SignedNote cp = checkpointNow();
        f.start();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(f.client("inspector").request("/api/v1/export").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(r.headers().firstValue("Content-Length").isEmpty(), "streamed, not buffered: " + r.headers().map());
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("SERVER-TEST.bundle"));
        assertTrue(r.body().length > 64 * 1024, "bundle of " + r.body().length + " bytes");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith(Bundle.MAGIC + "\n"), text.substring(0, 40));

        Path work = Files.createDirectories(dir.resolve("work"));
        AuditReport fromBundle = Bundle.verify(new ByteArrayInputStream(r.body()), work, LedgerVerifier.Options.defaults(),
                Checkpoint.parse(cp.text()));
        AuditReport fromFile = f.ledger.verify();
        assertEquals(f.ledger.head().size(), fromBundle.entries());
        assertEquals(fromFile.head(), fromBundle.head());
        assertEquals(fromFile.findings(), fromBundle.findings());
        assertTrue(fromBundle.intact(), fromBundle.findings().toString());
        assertTrue(text.contains("\nc " + Checkpoint.parse(cp.text()).size() + " "), "the checkpoint is in the bundle");
    }

    @Test
    void export_roles_andNoParameters() {
        f.start();
        assertEquals(200, f.client("admin").get("/api/v1/export").status());
        problem(f.client("officer-k01").get("/api/v1/export"), 403, "inspector");
        assertEquals(401, f.client(null).get("/api/v1/export").status());
        problem(f.client("inspector").get("/api/v1/export?bag=X"), 400, "unknown query parameter 'bag'");
    }

    // ------------------------------------------------------------------------------------------ checkpointer

    @Test
    void checkpointer_configured_signsWhileTheLedgerGrows() throws Exception {
        Path keyFile = dir.resolve("checkpoint-key.pem");
        Path passFile = dir.resolve("checkpoint-passphrase");
        KeyFiles.write(keyFile, logKey, Fixture.PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        org.custody.files.OwnerOnly.replace(passFile, (new String(Fixture.PASSPHRASE) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        f.start(c -> c.withCheckpointKey(keyFile, passFile, Duration.ofMillis(50)));
        for (String id : List.of("P100", "P101", "P102")) {
            grow(id);
            long size = f.ledger.head().size();
            SignedNote served = awaitCheckpoint(size);
            Checkpoint cp = NoteVerifier.of(logKeys(size)).verify(served).requireSignatures(1, List.of(f.ledger.origin())).checkpoint();
            assertEquals(f.ledger.root(size), cp.root());
        }
        SigningKey held = f.server.checkpointKey();
        assertFalse(held.isDestroyed());
        f.server.close();
        assertTrue(held.isDestroyed(), "the server wipes its checkpoint key when it stops");
    }

    @Test
    void checkpointer_withATsa_timestampsTheCheckpointsItSigns_andTheExportCarriesTheTokens() throws Exception {
        Path keyFile = dir.resolve("checkpoint-key.pem");
        Path passFile = dir.resolve("checkpoint-passphrase");
        KeyFiles.write(keyFile, logKey, Fixture.PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        org.custody.files.OwnerOnly.replace(passFile, (new String(Fixture.PASSPHRASE) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.custody.timestamp.TestPki pki = org.custody.timestamp.TestPki.generate("Server");
        try (org.custody.timestamp.LocalTsa tsa = org.custody.timestamp.LocalTsa.start(pki.tsa(), java.time.Clock.systemUTC())) {
            f.start(c -> c.withCheckpointKey(keyFile, passFile, Duration.ofMillis(50)).withTsa(tsa.url()));
            grow("P100");
            long size = f.ledger.head().size();
            awaitCheckpoint(size);
            for (int i = 0; i < 400 && f.ledger.timestamp(size).isEmpty(); i++) {
                Thread.sleep(25);
            }
            assertTrue(f.ledger.timestamp(size).isPresent(), "the checkpoint of size " + size + " got a token");
            Client.Response export = f.client("inspector").get("/api/v1/export");
            assertEquals(200, export.status());
            assertTrue(export.body().contains("\ns " + size + " "), "the export carries the token");
        }
    }

    /** Polls the latest checkpoint until it covers {@code size} entries (the checkpointer ticks every 50 ms). */
    private SignedNote awaitCheckpoint(long size) throws InterruptedException {
        Client.Response last = null;
        for (int i = 0; i < 400; i++) {
            last = f.client("inspector").get("/api/v1/checkpoints/latest");
            if (last.status() == 200 && Checkpoint.parse(note(last).text()).size() == size) {
                return note(last);
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no checkpoint of size " + size + " was signed; last answer " + last);
    }

    @Test
    void checkpointer_withAKeyTheLedgerDoesNotEnrol_doesNotStart() throws Exception {
        Path keyFile = dir.resolve("other-key.pem");
        Path passFile = dir.resolve("pass");
        KeyFiles.write(keyFile, SigningKey.generate(f.suite.signature()), Fixture.PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        org.custody.files.OwnerOnly.replace(passFile, (new String(Fixture.PASSPHRASE) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.start(c -> c.withCheckpointKey(keyFile, passFile, Duration.ofSeconds(1))));
        assertTrue(e.getMessage().contains("may not sign checkpoints"), e.getMessage());
        f.server = null;
        org.custody.files.OwnerOnly.replace(passFile, "Kq7-not-the-passphrase\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path enrolled = dir.resolve("enrolled-key.pem");
        KeyFiles.write(enrolled, logKey, Fixture.PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        e = assertThrows(IllegalArgumentException.class, () -> f.start(c -> c.withCheckpointKey(enrolled, passFile, null)));
        assertTrue(e.getMessage().startsWith("checkpoint-key:"), e.getMessage());
        assertFalse(e.getMessage().contains("Kq7-not"), "the passphrase is never shown");
        f.server = null;
    }
}
