package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.custody.audit.AuditReport;
import org.custody.crypto.Hash;
import org.custody.crypto.Signature;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Head;
import org.custody.model.Person;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Step;
import org.custody.record.Enrolment;
import org.custody.record.Handoff;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fully signed records posted in one request: stored once, refused with their code, bodies checked. */
class RecordsApiTest {
    static final Instant AT = Instant.parse("2021-06-02T09:00:00Z");

    @TempDir
    Path dir;
    Fixture f;
    Client officer;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).start();
        officer = f.client("officer-k01");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private SignedRecord print(String id) {
        Hash prev = f.ledger.bagHead(Fixture.Q1).orElseThrow();
        Handoff h = Records.handoff(id, Step.PRINT, null, "P010", List.of("P011", "P001"), AT, Records.move(Fixture.Q1, prev).count(30));
        return f.sign(h);
    }

    @Test
    void post_fullySigned_storedOnce_retryAnswersAlreadyPresent() {
        SignedRecord signed = print("print-1");
        long before = f.ledger.head().size();
        Client.Response first = officer.post("/api/v1/records", Records.body(signed));
        assertEquals(201, first.status(), first.body());
        assertEquals(before, first.json().get("seq").asLong());
        assertFalse(first.json().get("alreadyPresent").asBoolean());
        Client.Response again = officer.post("/api/v1/records", Records.body(signed));
        assertEquals(200, again.status(), again.body());
        assertTrue(again.json().get("alreadyPresent").asBoolean());
        assertEquals(first.json().get("hash").asText(), again.json().get("hash").asText());
        assertEquals(before + 1, f.ledger.head().size());
    }

    @Test
    void aBagRegisteredByAnotherWriterAfterStart_isFound_andReadOnlyByItsSitesOfficers() {
        org.custody.model.BagId late = org.custody.model.BagId.of("HN-2021.K02.02.ENG.A");
        assertEquals(404, officer.get("/api/v1/bags/" + late + "/history").status());
        // another writer of the same file (as the CLI beside the server), not through the server
        try (org.custody.ledger.Ledger other = org.custody.ledger.Ledger.open(f.ledgerFile)) {
            other.append(f.sign(new org.custody.record.Registration(RecordId.of("register-late"), f.id, AT, List.of(
                    org.custody.model.Bag.papers(late, org.custody.model.BagKind.QUESTION_PAPER, Fixture.EXAM, "K02", "02",
                            "S1", "ENG", "A", 30, org.custody.model.Secrecy.CONFIDENTIAL)),
                    List.of(org.custody.model.PersonId.of("P001"), org.custody.model.PersonId.of("P003")))));
        }
        Client.Response ownSite = f.client("officer-k02").get("/api/v1/bags/" + late + "/history");
        assertEquals(200, ownSite.status(), ownSite.body());
        assertEquals(403, officer.get("/api/v1/bags/" + late + "/history").status(), "K01's officer may not read a K02 bag");
    }

    @Test
    void post_badSignature_422WithI03_nothingStored() {
        SignedRecord good = print("print-bad");
        Signature forged = SigningKey.generate(SignatureAlgorithm.ED25519).sign(good.signedBytes());
        List<Signature> sigs = new ArrayList<>(good.signatures());
        sigs.set(1, Signature.of(sigs.get(1).key(), forged.valueBytes()));
        Head before = f.ledger.head();
        Client.Response r = officer.post("/api/v1/records", Records.body(SignedRecord.of(good.record(), sigs)));
        assertEquals(422, r.status(), r.body());
        assertTrue(r.isProblem());
        assertEquals("I03", r.json().get("code").asText());
        assertEquals("urn:custody:finding:I03", r.json().get("type").asText());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void post_missingPartySignature_422_nothingStored() {
        SignedRecord good = print("print-missing");
        Head before = f.ledger.head();
        Client.Response r = officer.post("/api/v1/records", Records.body(SignedRecord.of(good.record(), good.signatures().subList(0, 2))));
        assertEquals(422, r.status(), r.body());
        assertEquals("I03", r.json().get("code").asText());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void post_officerOfAnotherSite_403_nothingStored() {
        Head before = f.ledger.head();
        Client.Response r = f.client("officer-k02").post("/api/v1/records", Records.body(print("print-k02")));
        assertEquals(403, r.status(), r.body());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void post_registrationOfPlaces_byAnOfficer_403NamingWhy_nothingStored() {
        Head before = f.ledger.head();
        org.custody.record.Registration places = new org.custody.record.Registration(RecordId.of("places"), Fixture.LEDGER, AT,
                List.of(), List.of(f.people.keySet().iterator().next()),
                List.of(org.custody.model.RegisteredPlace.vault("VAUL", null)));
        Client.Response r = officer.post("/api/v1/records", Records.body(f.sign(places)));
        assertEquals(403, r.status(), r.body());
        assertTrue(r.body().contains("registered by an admin"), r.body());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void post_enrolment_adminOnly() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        Enrolment e = new Enrolment(RecordId.of("enrol-P099"), Fixture.LEDGER, AT, Person.of("P099", "新人", Role.INVIGILATOR),
                key.publicKey(), f.people.keySet().iterator().next());
        SignedRecord signed = SignedRecord.unsigned(e).signedBy(f.key("P001")).signedBy(key);
        assertEquals(403, officer.post("/api/v1/records", Records.body(signed)).status());
        Client.Response r = f.client("admin").post("/api/v1/records", Records.body(signed));
        assertEquals(201, r.status(), r.body());
        JsonNode people = f.client("admin").get("/api/v1/people").json().get("people");
        assertEquals("P099", people.get(people.size() - 1).get("id").asText());
    }

    /** Many clients post different handoffs of the same bag from the same previous entry at once. */
    @Test
    void post_concurrentConflictingHandoffs_exactlyOneWins_chainNeverForks() throws Exception {
        Hash prev = f.ledger.bagHead(Fixture.Q1).orElseThrow();
        int n = 12;
        List<Callable<Client.Response>> posts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Handoff h = Records.handoff("print-race-" + i, Step.PRINT, null, "P010", List.of("P011", "P001"),
                    AT.plusSeconds(i), Records.move(Fixture.Q1, prev).count(30));
            ObjectNode body = Records.body(f.sign(h));
            posts.add(() -> f.client("officer-k01").post("/api/v1/records", body));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Client.Response> answers = new ArrayList<>();
        try {
            for (Future<Client.Response> fut : pool.invokeAll(posts)) {
                answers.add(fut.get());
            }
        } finally {
            pool.shutdown();
        }
        long won = answers.stream().filter(a -> a.status() == 201).count();
        List<Client.Response> lost = answers.stream().filter(a -> a.status() != 201).toList();
        assertEquals(1, won, answers.toString());
        for (Client.Response r : lost) {
            assertEquals(409, r.status(), r.body());
            assertEquals("I07", r.json().get("code").asText());
        }
        assertEquals(2, f.ledger.history(Fixture.Q1).size());
        AuditReport report = f.ledger.verify();
        assertTrue(report.intact(), report.summary());
    }

    /** A record in any key order and spacing is the same record: canonicalised, stored once, its retry recognised. */
    @Test
    void post_recordNotInCanonicalForm_storedAsTheCanonicalRecord() throws Exception {
        SignedRecord signed = print("print-reordered");
        ObjectNode body = Records.body(signed);
        ObjectNode record = (ObjectNode) body.get("record");
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        StringBuilder reversed = new StringBuilder("{ ");
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.append('"').append(names.get(i)).append("\" : ").append(record.get(names.get(i))).append(i > 0 ? " ,\n " : " }");
        }
        String text = "{\"signatures\": " + body.get("signatures") + ", \"record\":\t" + reversed + "}";
        Client.Response first = officer.post("/api/v1/records", text);
        assertEquals(201, first.status(), first.body());
        Client.Response canonical = officer.post("/api/v1/records", Records.body(signed));
        assertEquals(200, canonical.status(), canonical.body());
        assertEquals(first.json().get("hash").asText(), canonical.json().get("hash").asText());
        assertEquals(first.json().get("seq").asLong(), canonical.json().get("seq").asLong());
    }

    @Test
    void post_hostileBodies_clear4xx_nothingStored() {
        Head before = f.ledger.head();
        String valid = Records.body(print("print-hostile")).toString();
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String[][] cases = {
                {"", "400"},
                {"not json", "400"},
                {"[1,2,3]", "400"},
                {"{\"record\": {}, \"signatures\": []}", "400"},
                {"{\"record\": 1, \"signatures\": [{\"key\": \"x\", \"sig\": \"y\"}]}", "400"},
                {valid.replace("\"signatures\"", "\"extra\": 1, \"signatures\""), "400"},
                {"{\"record\": {\"a\": 1, \"a\": 2}, \"signatures\": []}", "400"},
                {"{\"record\": " + deep + "}", "400"},
                {valid + " trailing", "400"},
                {valid.replace("\"signatures\"", "\"record\": {}, \"signatures\""), "400"},
                {valid.replace("{\"record\":", "{\"record\": null, \"x\":"), "400"},
                {valid.replace("\"v\":1", "\"v\":2"), "400"},
                {valid.replace("\"step\":\"print\"", "\"step\":\"teleport\""), "400"},
                {valid.replace("\"count\":30", "\"count\":-1"), "400"},
                {valid.replace("\"count\":30", "\"count\":1e400"), "400"},
                {"{\"record\": \"\\ud800\", \"signatures\": []}", "400"},
        };
        for (String[] c : cases) {
            Client.Response r = officer.post("/api/v1/records", c[0]);
            assertEquals(Integer.parseInt(c[1]), r.status(), "body " + abbreviate(c[0]) + " -> " + r.body());
            assertTrue(r.isProblem(), r.toString());
            assertFalse(r.json().get("detail").asText().isBlank());
        }
        Client.Response malformedRecord = officer.post("/api/v1/records", valid.replace("\"v\":1", "\"v\":2"));
        assertEquals("I01", malformedRecord.json().get("code").asText(), malformedRecord.body());
        assertTrue(malformedRecord.json().get("detail").asText().contains("v"), malformedRecord.body());
        Client.Response badUtf8 = officer.post("/api/v1/records", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, "application/json");
        assertEquals(400, badUtf8.status(), badUtf8.body());
        Client.Response wrongType = officer.post("/api/v1/records", valid.getBytes(StandardCharsets.UTF_8), "text/plain");
        assertEquals(415, wrongType.status(), wrongType.body());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void post_oversizedBody_413_nothingStored() {
        Head before = f.ledger.head();
        String big = "{\"record\": {\"note\": \"" + "x".repeat(70 * 1024) + "\"}, \"signatures\": []}";
        Client.Response r = officer.post("/api/v1/records", big);
        assertEquals(413, r.status(), r.body());
        assertTrue(r.isProblem());
        // the same without a Content-Length: streamed in chunks, cut off at the limit
        java.net.http.HttpRequest chunked = officer.request("/api/v1/records").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
        Client.Response streamed = officer.send(chunked);
        assertEquals(413, streamed.status(), streamed.body());
        assertEquals(before, f.ledger.head());
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
