package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API skeleton: health, problem details, authentication and roles, the OpenAPI document, metrics. */
class CustodyServerTest {
    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void health_isPublic_reportsLedgerAndHead() {
        Client.Response r = f.client(null).get("/api/v1/health");
        assertEquals(200, r.status());
        JsonNode body = r.json();
        assertEquals("ok", body.get("status").asText());
        assertEquals("SERVER-TEST", body.get("ledger").asText());
        assertEquals(f.ledger.head().size(), body.get("size").asLong());
        assertEquals(f.ledger.head().hash().hex(), body.get("head").asText());
    }

    @Test
    void history_knownBag_returnsCanonicalEntriesAndHead() {
        Client.Response r = f.client("inspector").get("/api/v1/bags/" + Fixture.Q1 + "/history");
        assertEquals(200, r.status(), r.body());
        JsonNode entries = r.json().get("entries");
        assertEquals(1, entries.size());
        assertEquals("register", entries.get(0).get("record").get("type").asText());
        assertEquals(f.ledger.bagHead(Fixture.Q1).orElseThrow().hex(), r.json().get("head").asText());
    }

    @Test
    void history_officerOfAnotherSite_forbidden() {
        Client.Response r = f.client("officer-k02").get("/api/v1/bags/" + Fixture.Q1 + "/history");
        assertEquals(403, r.status(), r.body());
        assertTrue(r.isProblem());
        assertTrue(r.json().get("detail").asText().contains("K01"), r.body());
        assertEquals(200, f.client("officer-k01").get("/api/v1/bags/" + Fixture.Q1 + "/history").status());
    }

    @Test
    void history_unknownBag_problemJson404() {
        Client.Response r = f.client("inspector").get("/api/v1/bags/NOPE/history");
        assertEquals(404, r.status());
        assertTrue(r.isProblem());
        assertEquals("unknown bag", r.json().get("title").asText());
    }

    @Test
    void history_invalidBagId_problemJson400() {
        Client.Response r = f.client("inspector").get("/api/v1/bags/%2Dbad/history");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("detail").asText().contains("bag id"), r.body());
    }

    @Test
    void unknownPath_problemJson404() {
        Client.Response r = f.client(null).get("/api/v1/nothing");
        assertEquals(404, r.status());
        assertTrue(r.isProblem());
        assertEquals(404, r.json().get("status").asInt());
    }

    @Test
    void protectedRoutes_withoutToken_401WithChallenge() {
        for (Route route : f.server.routes()) {
            if (route.access().open()) {
                continue;
            }
            String path = route.path().replace("{ledger}", Fixture.LEDGER.value()).replace("{id}", "d-0").replace("{bag}", Fixture.Q1.value()).replace("{size}", "1");
            Client.Response r = f.client(null).send(f.client(null).request(path)
                    .method(route.method(), java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build());
            assertEquals(401, r.status(), route + " " + r.body());
            assertTrue(r.isProblem(), route.toString());
        }
    }

    @Test
    void unknownToken_401() {
        Client.Response r = new Client(f.server.port(), Tokens.newToken()).get("/api/v1/people");
        assertEquals(401, r.status());
        assertEquals("the bearer token is not known to this server", r.json().get("detail").asText());
    }

    @Test
    void wrongRole_403() {
        assertEquals(403, f.client("officer-k01").get("/api/v1/findings").status());
        assertEquals(403, f.client("officer-k01").get("/metrics").status());
        assertEquals(403, f.client("inspector").post("/api/v1/drafts", "{}").status());
        assertEquals(403, f.client("inspector").post("/api/v1/records", "{}").status());
        assertEquals(403, f.client("admin").post("/api/v1/drafts/d-0/signatures", "{}").status());
    }

    @Test
    void people_officerSeesNoSecretDetails_inspectorSeesKeys() {
        JsonNode people = f.client("officer-k01").get("/api/v1/people").json().get("people");
        assertEquals(f.people.size(), people.size());
        JsonNode first = people.get(0);
        assertEquals("P001", first.get("id").asText());
        assertEquals(f.key("P001").id().hex(), first.get("keys").get(0).get("id").asText());
        assertFalse(first.has("recusals"));
    }

    @Test
    void openApi_documentsEveryRouteExactly() {
        JsonNode doc = f.client(null).get("/openapi.json").json();
        JsonNode paths = doc.get("paths");
        List<String> documented = new ArrayList<>();
        Iterator<String> names = paths.fieldNames();
        while (names.hasNext()) {
            String path = names.next();
            Iterator<String> methods = paths.get(path).fieldNames();
            while (methods.hasNext()) {
                String m = methods.next();
                if (!m.equals("parameters")) {
                    documented.add(m.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        List<String> served = f.server.routes().stream().map(r -> r.method() + " " + r.path()).sorted().toList();
        assertEquals(served, documented.stream().sorted().toList());
        for (Route r : f.server.routes()) {
            JsonNode op = paths.get(r.path()).get(r.method().toLowerCase(Locale.ROOT));
            assertEquals(r.access().open(), op.get("security").isEmpty(), "security of " + r);
        }
    }

    @Test
    void metrics_inspector_prometheusText() {
        f.client(null).get("/api/v1/health");
        Client.Response r = f.client("inspector").get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        assertTrue(r.body().contains("custody_http_requests_total{ledger=\"" + Fixture.LEDGER
                + "\",method=\"GET\",route=\"/api/v1/health\",status=\"200\"}"), r.body());
        assertTrue(r.body().contains("custody_ledger_entries{ledger=\"" + Fixture.LEDGER + "\"} " + f.ledger.head().size() + ".0"), r.body());
    }

    @Test
    void wrongMethod_problem405() {
        Client.Response r = f.client(null).delete("/api/v1/health");
        assertEquals(405, r.status(), r.body());
        assertTrue(r.isProblem());
    }
}
