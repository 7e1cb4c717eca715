package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The questions over many bags and entries through the real server (docs/server.md): the same answers as the library,
 * pages that join up, and what a token may not see refused rather than silently cut from a page.
 */
class QuestionsApiTest {
    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).start();
        Hash prev = f.ledger.bagHead(Fixture.Q1).orElseThrow();
        Handoff h = Records.handoff("print-q1", Step.PRINT, null, "P010", List.of("P011", "P001"),
                Fixture.T0.plusSeconds(3600), Records.move(Fixture.Q1, prev).count(30).seal("SN-1", org.custody.model.SealState.INTACT));
        assertEquals(201, f.client("officer-k01").post("/api/v1/records", Records.body(f.sign(h))).status());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void bags_pagesJoinUp_andAnswerAsTheLibrary() {
        List<String> paged = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = f.client("inspector").get("/api/v1/bags?limit=1" + (after == null ? "" : "&after=" + after)).json();
            page.get("items").forEach(b -> paged.add(b.get("bag").asText()));
            if (page.get("next").isNull()) {
                break;
            }
            after = page.get("next").asText();
        }
        List<String> library = f.ledger.bags(org.custody.store.BagQuery.ALL, null, 1000).items().stream()
                .map(p -> p.id().value()).toList();
        assertEquals(library, paged);
        JsonNode printed = f.client("inspector").get("/api/v1/bags?stage=print").json().get("items");
        assertEquals(1, printed.size(), printed.toString());
        assertEquals(Fixture.Q1.value(), printed.get(0).get("bag").asText());
        assertEquals("P010", printed.get(0).get("holder").asText());
        JsonNode counts = f.client("inspector").get("/api/v1/bags/counts").json().get("steps");
        assertEquals(1, counts.get("print").asInt());
        assertEquals(library.size() - 1, counts.get("registered").asInt());
    }

    @Test
    void anOfficer_asksOnlyAboutTheirOwnSites() {
        Client k01 = f.client("officer-k01");
        Client.Response all = k01.get("/api/v1/bags");
        assertEquals(403, all.status(), all.toString());
        assertTrue(all.body().contains("?site="), all.body());
        assertEquals(403, k01.get("/api/v1/bags?site=K02").status());
        assertEquals(403, k01.get("/api/v1/bags/counts?site=K02").status());
        JsonNode own = k01.get("/api/v1/bags?site=K01").json().get("items");
        own.forEach(b -> assertEquals("K01", b.get("site").asText()));
        assertTrue(own.size() > 0);
        assertEquals(403, k01.get("/api/v1/entries?person=P010").status(), "a person's entries name every site's bags");
        assertEquals(403, k01.get("/api/v1/findings/kept").status());
        assertEquals(401, f.client(null).get("/api/v1/bags?site=K01").status());
    }

    @Test
    void entriesAndFindings_answerThePersonSealAndCode() {
        Client inspector = f.client("inspector");
        JsonNode p010 = inspector.get("/api/v1/entries?person=P010").json().get("items");
        assertTrue(p010.size() >= 1, p010.toString());
        assertEquals("print", p010.get(p010.size() - 1).get("record").get("step").asText());
        assertEquals(1, inspector.get("/api/v1/entries?seal=SN-1").json().get("items").size());
        assertEquals(0, inspector.get("/api/v1/entries?seal=SN-404").json().get("items").size());
        assertEquals(200, inspector.get("/api/v1/findings/kept?code=R04").status());
        assertEquals(200, inspector.get("/api/v1/bags/late?at=2021-06-09T00:00:00Z").status());
    }

    @Test
    void badQuestions_areRefusedWithWhatWasWrong() {
        Client inspector = f.client("inspector");
        for (String bad : List.of("/api/v1/bags?limit=0", "/api/v1/bags?limit=ten", "/api/v1/bags?limit=99999999999",
                "/api/v1/bags?after=%3Cscript%3E", "/api/v1/entries", "/api/v1/entries?person=P010&seal=SN-1",
                "/api/v1/entries?person=P010&after=x", "/api/v1/findings/kept?code=R99", "/api/v1/findings/kept?after=1",
                "/api/v1/bags/late?at=yesterday")) {
            Client.Response r = inspector.get(bad);
            assertEquals(400, r.status(), bad + ": " + r);
            // JSON, never HTML: a script in a cursor comes back as a string a page must escape, like any other
            assertTrue(r.contentType().startsWith("application/problem+json"), bad + ": " + r);
            assertTrue(r.json().get("detail").asText().length() > 10, r.toString());
        }
    }
}
