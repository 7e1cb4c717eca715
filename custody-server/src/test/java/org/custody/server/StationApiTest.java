package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.RegisteredPlace;
import org.custody.record.Canonical;
import org.custody.record.Handoff;
import org.custody.record.RecordCodec;
import org.custody.record.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a station ({@code custody station --server}) asks of the server, over real HTTP: a handoff's preflight without
 * opening a draft, a container's contents, the registered places and the policy, each as the token's scope allows.
 */
class StationApiTest {
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

    @Test
    void preflight_goodHandoff_recordLinkedAndBytesToSign_nothingOpenedOrStored() {
        long size = f.ledger.head().size();
        ObjectNode body = DraftsApiTest.draft("print", null, "P010", List.of("P011", "P001"), "2021-06-02T01:00:00Z", Fixture.Q1,
                Map.of("count", 30));
        body.put("id", "station-print-1");
        Client.Response r = officer.post("/api/v1/drafts/preflight", body);
        assertEquals(200, r.status(), r.body());
        JsonNode answer = r.json();
        assertEquals(0, answer.get("refusals").size(), r.body());
        Handoff h = (Handoff) RecordCodec.decode(Canonical.bytes(answer.get("record")));
        assertEquals("station-print-1", h.id().value());
        // linked to the bag's registration, and the bytes to sign are the record's own
        assertEquals(f.ledger.move(Fixture.Q1).prev(), h.bags().get(0).prev());
        assertArrayEquals(RecordCodec.signedBytes(h), Base64.getDecoder().decode(answer.get("signedBytes").asText()));
        assertEquals(size, f.ledger.head().size(), "a preflight stores nothing");
        // nothing was opened: the same record id opens a draft afterwards
        assertEquals(201, officer.post("/api/v1/drafts", body).status());
    }

    @Test
    void preflight_strictExamBreach_refusalsListedWithTheRule_notAnError() {
        ObjectNode body = DraftsApiTest.draft("print", null, "P010", List.of(), "2021-06-02T01:00:00Z", Fixture.S1, Map.of("count", 30));
        Client.Response r = officer.post("/api/v1/drafts/preflight", body);
        assertEquals(200, r.status(), r.body());
        List<String> codes = new ArrayList<>();
        r.json().get("refusals").forEach(x -> codes.add(x.get("code").asText()));
        assertTrue(codes.contains("R01"), r.body());
        assertTrue(r.json().get("refusals").get(0).get("message").has("zh"), r.body());
    }

    @Test
    void preflight_recordModeBreach_warningNotRefusal() {
        ObjectNode body = DraftsApiTest.draft("print", null, "P010", List.of(), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30));
        Client.Response r = officer.post("/api/v1/drafts/preflight", body);
        assertEquals(200, r.status(), r.body());
        assertEquals(0, r.json().get("refusals").size(), r.body());
        assertTrue(r.json().get("warnings").size() > 0, r.body());
    }

    @Test
    void preflight_onlyOfficersOfTheBagsSites() {
        ObjectNode body = DraftsApiTest.draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30));
        assertEquals(403, f.client("officer-k02").post("/api/v1/drafts/preflight", body).status());
        assertEquals(403, f.client("inspector").post("/api/v1/drafts/preflight", body).status());
        assertEquals(401, f.client(null).post("/api/v1/drafts/preflight", body).status());
        body.put("surprise", 1);
        assertEquals(400, officer.post("/api/v1/drafts/preflight", body).status(), "bound strictly, as an open is");
    }

    @Test
    void contents_ofABoxAfterPacking_scopedToTheBoxsSite() {
        // print and seal Q1 into the box, the way a station records it
        Handoff print = Handoff.builder(org.custody.model.Step.PRINT).id(RecordId.of("p")).ledger(f.id)
                .at(java.time.Instant.parse("2021-06-02T01:00:00Z")).to(PersonId.of("P010")).witness(PersonId.of("P011"))
                .place(org.custody.model.Place.of("K01", null)).bag(f.ledger.move(Fixture.Q1).count(30)).build();
        f.ledger.append(f.sign(print));
        Handoff seal = Handoff.builder(org.custody.model.Step.SEAL).id(RecordId.of("s")).ledger(f.id)
                .at(java.time.Instant.parse("2021-06-02T07:00:00Z")).from(PersonId.of("P010")).to(PersonId.of("P001"))
                .witness(PersonId.of("P011")).place(org.custody.model.Place.of("K01", null))
                .bag(f.ledger.move(Fixture.BOX)).bag(f.ledger.move(Fixture.Q1).count(30).seal("SN-1", org.custody.model.SealState.INTACT).inside(Fixture.BOX)).build();
        f.ledger.append(f.sign(seal));
        assertEquals(List.of(Fixture.Q1), f.ledger.contents(Fixture.BOX));
        Client.Response r = officer.get("/api/v1/bags/" + Fixture.BOX.value() + "/contents");
        assertEquals(200, r.status(), r.body());
        assertEquals(Fixture.Q1.value(), r.json().get("contents").get(0).asText());
        assertEquals(0, officer.get("/api/v1/bags/" + Fixture.Q1.value() + "/contents").json().get("contents").size());
        assertEquals(403, f.client("officer-k02").get("/api/v1/bags/" + Fixture.BOX.value() + "/contents").status());
        assertEquals(404, officer.get("/api/v1/bags/HN-2021.NONE.01.ENG.A/contents").status());
    }

    @Test
    void places_officerSeesVaultsAndItsOwnSitesRooms_inspectorSeesAll() {
        f.ledger.append(f.sign(new Registration(RecordId.of("places"), f.id, Fixture.T0.plusSeconds(20), List.of(),
                List.of(PersonId.of("P001"), PersonId.of("P003")),
                List.of(RegisteredPlace.vault("VAULT", "保密室"), RegisteredPlace.room("K01", "01"), RegisteredPlace.room("K02", "01")))));
        List<String> seen = new ArrayList<>();
        officer.get("/api/v1/places").json().get("places").forEach(p -> seen.add(p.get("id").asText() + ":" + p.get("kind").asText()));
        assertEquals(List.of("K01-01:room", "VAULT:vault"), seen);
        assertEquals(3, f.client("inspector").get("/api/v1/places").json().get("places").size());
        assertEquals("保密室", f.client("inspector").get("/api/v1/places").json().get("places").get(2).get("name").asText());
    }

    @Test
    void policy_eachExamsModeAndIdleTime_andTheShortest() {
        JsonNode p = officer.get("/api/v1/policy").json();
        assertEquals(600, p.get("stationIdleSeconds").asLong(), p.toString());
        List<String> exams = new ArrayList<>();
        p.get("exams").forEach(e -> exams.add(e.get("exam").asText() + ":" + e.get("mode").asText()));
        assertTrue(exams.contains(Fixture.STRICT_EXAM + ":strict"), exams.toString());
        assertEquals(401, f.client(null).get("/api/v1/policy").status());
    }
}
