package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.custody.audit.AuditReport;
import org.custody.crypto.Signature;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Head;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.RecordCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drafts co-signed by several people on their own devices, over real HTTP. */
class DraftsApiTest {
    static final Duration TTL = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    Fixture f;
    Client officer;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).start(TTL, 64 * 1024);
        officer = f.client("officer-k01");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static ObjectNode draft(String step, String from, String to, List<String> witnesses, String at, BagId bag, Map<String, Object> extra) {
        ObjectNode o = Client.JSON.createObjectNode();
        o.put("step", step);
        if (from != null) o.put("from", from);
        o.put("to", to);
        if (!witnesses.isEmpty()) {
            ArrayNode w = o.putArray("witnesses");
            witnesses.forEach(w::add);
        }
        o.put("at", at);
        o.putObject("place").put("id", "K01").put("name", "湘江学院考点");
        ObjectNode move = o.putArray("bags").addObject().put("bag", bag.value());
        extra.forEach((k, v) -> {
            if (v instanceof Integer i) move.put(k, i);
            else move.put(k, v.toString());
        });
        return o;
    }

    private JsonNode open(ObjectNode body) {
        Client.Response r = officer.post("/api/v1/drafts", body);
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    /** Each party signs on their own device; the record lands after the last one, with no findings. */
    @Test
    void lifeCycle_severalDevices_eachStepCommittedWhenAllHaveSigned() {
        Object[][] steps = {
                {"print", null, "P010", List.of("P011", "P001"), "2021-06-02T01:00:00Z", Map.of("count", 30)},
                {"seal", "P010", "P001", List.of("P011"), "2021-06-02T07:00:00Z", Map.of("count", 30, "seal", "SN-1", "sealState", "intact")},
                {"vault_in", "P001", "P002", List.of("P003"), "2021-06-02T10:30:00Z", Map.of("seal", "SN-1", "sealState", "intact")},
        };
        long size = f.ledger.head().size();
        for (Object[] s : steps) {
            @SuppressWarnings("unchecked")
            List<String> witnesses = (List<String>) s[3];
            @SuppressWarnings("unchecked")
            Map<String, Object> extra = (Map<String, Object>) s[5];
            JsonNode d = open(draft((String) s[0], (String) s[1], (String) s[2], witnesses, (String) s[4], Fixture.Q1, extra));
            String id = d.get("id").asText();
            assertEquals("open", d.get("state").asText());
            // the bytes in the view, the raw bytes served and the record's own signed bytes are the same
            byte[] served = officer.getBytes("/api/v1/drafts/" + id + "/signed-bytes");
            assertArrayEquals(served, Device.signedBytes(d));
            JsonNode parties = d.get("parties");
            for (int i = 0; i < parties.size(); i++) {
                String person = parties.get(i).get("person").asText();
                Client.Response r = f.device(person, "officer-k01").sign(id);
                assertEquals(200, r.status(), r.body());
                boolean last = i == parties.size() - 1;
                assertEquals(last ? "committed" : "open", r.json().get("state").asText(), r.body());
                assertEquals(size + (last ? 1 : 0), f.ledger.head().size(), "stored only after the last signature");
                if (last) {
                    assertEquals(0, r.json().get("findings").size(), r.body());
                    assertEquals(size, r.json().get("entry").get("seq").asLong());
                }
            }
            size++;
        }
        List<Entry> history = f.ledger.history(Fixture.Q1);
        assertEquals(4, history.size());
        Handoff last = (Handoff) history.get(3).record();
        assertEquals("vault_in", last.step().wire());
        assertEquals(3, history.get(3).signatures().size());
        AuditReport report = f.ledger.verify();
        assertTrue(report.intact(), report.summary());
    }

    @Test
    void sign_sameSignatureTwice_and_lastSignatureRetried_recordedOnce() {
        JsonNode d = open(draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        String id = d.get("id").asText();
        Device a = f.device("P010", "officer-k01");
        Device b = f.device("P011", "officer-k01");
        Signature sa = a.signatureFor(id);
        assertEquals(200, a.post(id, sa).status());
        Client.Response again = a.post(id, sa);
        assertEquals(200, again.status(), again.body());
        assertEquals(List.of("P011"), List.of(again.json().get("missing").get(0).asText()));
        long size = f.ledger.head().size();
        Signature sb = b.signatureFor(id);
        assertEquals("committed", b.post(id, sb).json().get("state").asText());
        Client.Response retry = b.post(id, sb);
        assertEquals(200, retry.status(), retry.body());
        assertEquals("committed", retry.json().get("state").asText());
        assertEquals(size + 1, f.ledger.head().size());
    }

    @Test
    void open_retriedWithSameIdAndBody_sameDraft_otherBody409() {
        ObjectNode body = draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30));
        body.put("id", "print-q1");
        JsonNode first = open(body);
        Client.Response retry = officer.post("/api/v1/drafts", body);
        assertEquals(200, retry.status(), retry.body());
        assertEquals(first.get("id").asText(), retry.json().get("id").asText());
        body.put("note", "changed");
        assertEquals(409, officer.post("/api/v1/drafts", body).status());
    }

    @Test
    void quorum_notReached_draftExpires_signaturesRefusedWith410_nothingStored() {
        JsonNode d = open(draft("print", null, "P010", List.of("P011", "P001"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        String id = d.get("id").asText();
        Head before = f.ledger.head();
        assertEquals(200, f.device("P010", "officer-k01").sign(id).status());
        assertEquals(200, f.device("P011", "officer-k01").sign(id).status());
        f.clock.advance(TTL.plusSeconds(1));
        Client.Response late = f.device("P001", "officer-k01").sign(id);
        assertEquals(410, late.status(), late.body());
        assertTrue(late.isProblem());
        assertEquals("expired", officer.get("/api/v1/drafts/" + id).json().get("state").asText());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void sign_badSignature_unknownKey_nonParty_refusedWithCodes() {
        JsonNode d = open(draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        String id = d.get("id").asText();
        Device p010 = f.device("P010", "officer-k01");
        byte[] bytes = Device.signedBytes(d);
        // a signature by P010's key over other bytes
        Signature wrongBytes = f.key("P010").sign("other bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Client.Response bad = p010.post(id, wrongBytes);
        assertEquals(422, bad.status(), bad.body());
        assertEquals("I03", bad.json().get("code").asText());
        Client.Response unknown = p010.post(id, SigningKey.generate(SignatureAlgorithm.ED25519).sign(bytes));
        assertEquals(422, unknown.status());
        assertEquals("I04", unknown.json().get("code").asText());
        Client.Response stranger = p010.post(id, f.key("P021").sign(bytes));
        assertEquals(422, stranger.status());
        assertEquals("I03", stranger.json().get("code").asText());
        assertTrue(stranger.json().get("detail").asText().contains("not a party"), stranger.body());
        JsonNode view = officer.get("/api/v1/drafts/" + id).json();
        assertEquals(2, view.get("missing").size());
    }

    @Test
    void strictExam_breach_refusedWithRuleCode_recordExamStoresWithFindings() {
        // an escort with no police officer among the signers (R03), straight after registration (R05): under a strict
        // policy the draft's preflight refuses it when it is opened, before anyone signs
        Map<String, Object> none = Map.of();
        Head before = f.ledger.head();
        Client.Response strict = officer.post("/api/v1/drafts",
                draft("escort", "P020", "P030", List.of("P001"), "2021-06-09T07:20:00Z", Fixture.S1, none));
        assertEquals(422, strict.status(), strict.body());
        String code = strict.json().get("code").asText();
        assertTrue(code.startsWith("R"), strict.body());
        assertTrue(strict.json().get("title").asText().contains(code));
        assertTrue(strict.json().get("detail").asText().contains("nothing was opened"), strict.body());
        assertEquals(before, f.ledger.head());
        Client.Response last = null;

        JsonNode lax = open(draft("escort", "P020", "P030", List.of("P001"), "2021-06-09T07:20:00Z", Fixture.Q1, none));
        for (JsonNode p : lax.get("parties")) {
            last = f.device(p.get("person").asText(), "officer-k01").sign(lax.get("id").asText());
        }
        assertEquals(200, last.status(), last.body());
        assertEquals("committed", last.json().get("state").asText());
        List<String> codes = last.json().get("findings").findValuesAsText("code");
        assertTrue(codes.contains("R03"), last.body());
        assertEquals(before.size() + 1, f.ledger.head().size());
        JsonNode report = f.client("inspector").get("/api/v1/findings").json();
        assertEquals("custody-audit-report/v1", report.get("schema").asText());
        assertTrue(report.get("counts").has("R03"), report.toString());
        assertTrue(report.get("intact").asBoolean());
    }

    /** A scanned label posted with a bag is checked by the core as at the vault door: a forged one refuses the draft (I10). */
    @Test
    void draftWithScannedLabel_checkedAgainstTheSealEntry() {
        for (Object[] s : new Object[][] {
                {"print", null, "P010", List.of("P011", "P001"), "2021-06-02T01:00:00Z", Map.of("count", 30)},
                {"seal", "P010", "P001", List.of("P011"), "2021-06-02T07:00:00Z", Map.of("count", 30, "seal", "SN-1", "sealState", "intact")}}) {
            @SuppressWarnings("unchecked")
            JsonNode d = open(draft((String) s[0], (String) s[1], (String) s[2], (List<String>) s[3], (String) s[4], Fixture.Q1,
                    (Map<String, Object>) s[5]));
            for (JsonNode p : d.get("parties")) {
                f.device(p.get("person").asText(), "officer-k01").sign(d.get("id").asText());
            }
        }
        org.custody.label.Label label = f.ledger.label(Fixture.Q1);
        org.custody.label.Label stale = new org.custody.label.Label(label.ledger(), label.bag(), label.seq() - 1, label.tag());
        Head before = f.ledger.head();

        Client.Response forged = officer.post("/api/v1/drafts", draft("vault_in", "P001", "P002", List.of("P003"),
                "2021-06-02T10:30:00Z", Fixture.Q1, Map.of("label", stale.payload())));
        assertEquals(422, forged.status(), forged.body());
        assertEquals("I10", forged.json().get("code").asText(), forged.body());

        Client.Response otherBag = officer.post("/api/v1/drafts", draft("vault_in", "P001", "P002", List.of("P003"),
                "2021-06-02T10:30:00Z", Fixture.Q2, Map.of("label", label.payload())));
        assertEquals(400, otherBag.status(), otherBag.body());
        assertTrue(otherBag.body().contains("names bag " + Fixture.Q1), otherBag.body());

        JsonNode good = open(draft("vault_in", "P001", "P002", List.of("P003"), "2021-06-02T10:30:00Z", Fixture.Q1,
                Map.of("label", label.payload())));
        assertEquals("open", good.get("state").asText());
        assertEquals(before, f.ledger.head());
    }

    @Test
    void concurrentDrafts_sameBag_firstCommitWins_otherRefusedI07() {
        JsonNode a = open(draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        JsonNode b = open(draft("print", null, "P010", List.of("P001"), "2021-06-02T01:05:00Z", Fixture.Q1, Map.of("count", 30)));
        assertEquals(a.get("record").get("bags").get(0).get("prev"), b.get("record").get("bags").get(0).get("prev"));
        for (String p : List.of("P010", "P011")) {
            f.device(p, "officer-k01").sign(a.get("id").asText());
        }
        f.device("P010", "officer-k01").sign(b.get("id").asText());
        Client.Response lost = f.device("P001", "officer-k01").sign(b.get("id").asText());
        assertEquals(409, lost.status(), lost.body());
        assertEquals("I07", lost.json().get("code").asText());
        assertEquals(2, f.ledger.history(Fixture.Q1).size());
    }

    @Test
    void drafts_otherSiteOfficer_cannotOpenSeeOrSign() {
        ObjectNode body = draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30));
        assertEquals(403, f.client("officer-k02").post("/api/v1/drafts", body).status());
        String id = open(body).get("id").asText();
        assertEquals(404, f.client("officer-k02").get("/api/v1/drafts/" + id).status());
        assertEquals(404, f.device("P010", "officer-k02").post(id, f.key("P010").sign(new byte[] {1})).status());
        assertEquals(200, f.client("inspector").get("/api/v1/drafts/" + id).status());
        assertEquals(403, f.client("inspector").delete("/api/v1/drafts/" + id).status());
        assertEquals("cancelled", officer.delete("/api/v1/drafts/" + id).json().get("state").asText());
        assertEquals(410, f.device("P010", "officer-k01").sign(id).status());
    }

    @Test
    void open_invalidDrafts_400or422_namingTheField() {
        Map<String, Object> none = Map.of();
        ObjectNode unknownField = draft("print", null, "P010", List.of(), "2021-06-02T01:00:00Z", Fixture.Q1, none);
        unknownField.put("colour", "red");
        Client.Response r = officer.post("/api/v1/drafts", unknownField);
        assertEquals(400, r.status());
        assertTrue(r.json().get("detail").asText().contains("colour"), r.body());
        Client.Response step = officer.post("/api/v1/drafts", draft("fly", null, "P010", List.of(), "2021-06-02T01:00:00Z", Fixture.Q1, none));
        assertEquals(400, step.status());
        assertTrue(step.json().get("detail").asText().contains("step"), step.body());
        Client.Response time = officer.post("/api/v1/drafts", draft("print", null, "P010", List.of(), "yesterday", Fixture.Q1, none));
        assertEquals(400, time.status());
        assertTrue(time.json().get("detail").asText().contains("at"), time.body());
        Client.Response count = officer.post("/api/v1/drafts", draft("print", null, "P010", List.of(), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", "many")));
        assertEquals(400, count.status());
        assertTrue(count.json().get("detail").asText().contains("bags[0].count"), count.body());
        Client.Response bag = officer.post("/api/v1/drafts", draft("print", null, "P010", List.of(), "2021-06-02T01:00:00Z", BagId.of("NOPE"), none));
        assertEquals(422, bag.status());
        assertEquals("I07", bag.json().get("code").asText());
        Client.Response twice = officer.post("/api/v1/drafts", draft("print", "P010", "P010", List.of(), "2021-06-02T01:00:00Z", Fixture.Q1, none));
        assertEquals(400, twice.status(), twice.body());
    }

    /** An SM2-SM3 ledger: devices sign with SM2 (randomised signatures), the server checks them the same way. */
    @Test
    void sm2Ledger_draftCoSignedWithSm2_committed() throws Exception {
        try (Fixture sm2 = new Fixture(java.nio.file.Files.createDirectories(dir.resolve("sm2")), org.custody.crypto.Suite.SM2_SM3)) {
            sm2.start(TTL, 64 * 1024);
            Client k01 = sm2.client("officer-k01");
            Client.Response opened = k01.post("/api/v1/drafts",
                    draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
            assertEquals(201, opened.status(), opened.body());
            String id = opened.json().get("id").asText();
            Device p010 = sm2.device("P010", "officer-k01");
            assertEquals(200, p010.sign(id).status());
            assertEquals(200, p010.sign(id).status(), "a second, different SM2 signature by the same key is a retry");
            Client.Response last = sm2.device("P011", "officer-k01").sign(id);
            assertEquals("committed", last.json().get("state").asText(), last.body());
            assertEquals("sm2-sm3", k01.get("/api/v1/health").json().get("suite").asText());
            assertTrue(sm2.ledger.verify().intact());
        }
    }

    /** A restart keeps open drafts and the signatures they collected; a draft signed in full is not stored twice. */
    @Test
    void restart_keepsOpenDraftsAndTheirSignatures() {
        JsonNode a = open(draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        String id = a.get("id").asText();
        assertEquals(200, f.device("P010", "officer-k01").sign(id).status());
        f.server.close();
        f.start(TTL, 64 * 1024);
        officer = f.client("officer-k01");
        JsonNode back = officer.get("/api/v1/drafts/" + id).json();
        assertEquals("open", back.get("state").asText(), back.toString());
        assertEquals(List.of("P011"), List.of(back.get("missing").get(0).asText()));
        assertArrayEquals(Device.signedBytes(a), Device.signedBytes(back));
        long size = f.ledger.head().size();
        Client.Response last = f.device("P011", "officer-k01").sign(id);
        assertEquals("committed", last.json().get("state").asText(), last.body());
        assertEquals(size + 1, f.ledger.head().size());
        f.server.close();
        f.start(TTL, 64 * 1024);
        // a finished draft is kept, with where its record landed, for another draft-ttl: across a restart too
        JsonNode finished = f.client("officer-k01").get("/api/v1/drafts/" + id).json();
        assertEquals("committed", finished.get("state").asText(), finished.toString());
        assertEquals(size, finished.get("entry").get("seq").asLong(), finished.toString());
        assertEquals(size + 1, f.ledger.head().size());
    }

    @Test
    void draftView_recordIsCanonicalRecordOfSignedBytes() throws Exception {
        JsonNode d = open(draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        byte[] canonical = org.custody.record.Canonical.bytes(d.get("record"));
        assertArrayEquals(RecordCodec.signedBytes(RecordCodec.decode(canonical)), Device.signedBytes(d));
    }
}
