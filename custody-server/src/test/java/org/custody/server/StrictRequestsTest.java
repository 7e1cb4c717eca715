package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every request must be, over real HTTP: its real method (no override), HEAD guarded exactly as GET, the exact
 * media type in UTF-8, and bodies bound strictly (no nulls, no unknown fields, one time spelling, no duplicate keys).
 * Each refusal is a problem in English and Chinese and changes nothing stored.
 */
class StrictRequestsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    java.nio.file.Path dir;
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

    private static ObjectNode draft() {
        return DraftsApiTest.draft("print", null, "P010", List.of("P011", "P001"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30));
    }

    private String openDraft() {
        Client.Response r = officer.post("/api/v1/drafts", draft());
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    /** A refusal: the status, a problem in both languages, and a detail that names {@code mention}. */
    private static JsonNode problem(Client.Response r, int status, String mention) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.isProblem(), r.contentType());
        JsonNode p = r.json();
        assertEquals(status, p.get("status").asInt());
        assertTrue(p.get("detail").asText().contains(mention), "detail should name '" + mention + "': " + r.body());
        assertFalse(p.get("zh").get("title").asText().isBlank(), r.body());
        assertFalse(p.get("zh").get("detail").asText().isBlank(), r.body());
        return p;
    }

    private static HttpResponse<byte[]> raw(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    // ------------------------------------------------------------------------------------------ method override

    @Test
    void methodOverride_getWithOverrideHeaders_refused400AndDraftStaysOpen() {
        String id = openDraft();
        for (String header : Requests.OVERRIDE_HEADERS) {
            Client.Response r = officer.send(officer.request("/api/v1/drafts/" + id).header(header, "DELETE").GET().build());
            JsonNode p = problem(r, 400, header);
            assertTrue(p.get("zh").get("detail").asText().contains("不支持改写请求方法"), r.body());
        }
        problem(officer.get("/api/v1/drafts/" + id + "?_method=DELETE"), 400, "_method");
        Client.Response after = officer.get("/api/v1/drafts/" + id);
        assertEquals(200, after.status(), after.body());
        assertEquals("open", after.json().get("state").asText());
    }

    @Test
    void methodOverride_postNamingItsOwnMethod_stillRefused() {
        long size = f.ledger.head().size();
        Client.Response r = officer.send(officer.request("/api/v1/drafts").header("Content-Type", "application/json")
                .header("X-HTTP-Method-Override", "POST").POST(HttpRequest.BodyPublishers.ofString(draft().toString())).build());
        problem(r, 400, "X-HTTP-Method-Override");
        assertEquals(0, openDrafts());
        assertEquals(size, f.ledger.head().size());
    }

    private long openDrafts() {
        Client.Response m = f.client("inspector").get("/metrics");
        for (String line : m.body().split("\n")) {
            if (line.startsWith("custody_drafts_open{ledger=\"" + Fixture.LEDGER + "\"} ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no custody_drafts_open in " + m.body());
    }

    // ------------------------------------------------------------------------------------------ HEAD

    private String path(Route route, String draftId) {
        return route.path().replace("{ledger}", Fixture.LEDGER.value()).replace("{id}", draftId).replace("{bag}", Fixture.Q1.value()).replace("{size}", "1")
                + (route.path().endsWith("/inclusion") ? "?seq=0&size=1" : route.path().endsWith("/consistency") ? "?from=1&to=2" : "");
    }

    @Test
    void head_everyProtectedGetRoute_withoutToken401AsGet() throws Exception {
        String id = openDraft();
        int checked = 0;
        for (Route route : f.server.routes()) {
            if (!route.method().equals("GET") || route.access().open()) {
                continue;
            }
            Client anonymous = f.client(null);
            HttpResponse<byte[]> head = raw(anonymous.request(path(route, id)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(401, head.statusCode(), "HEAD " + route);
            assertEquals(0, head.body().length, "HEAD " + route + " has no body");
            assertTrue(head.headers().firstValue("WWW-Authenticate").isPresent(), "HEAD " + route);
            assertEquals(anonymous.get(path(route, id)).status(), head.statusCode(), "GET and HEAD " + route);
            checked++;
        }
        assertTrue(checked >= 10, "checked " + checked + " routes");
    }

    @Test
    void head_withToken_sameStatusAndHeadersAsGetWithoutBody() throws Exception {
        String id = openDraft();
        List<String> mismatches = new ArrayList<>();
        for (Route route : f.server.routes()) {
            if (!route.method().equals("GET")) {
                continue;
            }
            for (String token : List.of("officer-k01", "officer-k02", "inspector")) {
                Client c = f.client(token);
                HttpResponse<byte[]> get = raw(c.request(path(route, id)).GET().build());
                HttpResponse<byte[]> head = raw(c.request(path(route, id)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
                if (get.statusCode() != head.statusCode()
                        || !get.headers().firstValue("Content-Type").equals(head.headers().firstValue("Content-Type"))
                        || head.body().length != 0) {
                    mismatches.add(token + " " + route + ": GET " + get.statusCode() + " " + get.headers().firstValue("Content-Type")
                            + ", HEAD " + head.statusCode() + " " + head.headers().firstValue("Content-Type") + " " + head.body().length + " bytes");
                }
            }
        }
        assertEquals(List.of(), mismatches);
        // and the statuses differ by token where GET's do: an officer of another site is refused the bag
        HttpResponse<byte[]> other = raw(f.client("officer-k02").request("/api/v1/bags/" + Fixture.Q1 + "/history")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, other.statusCode());
        HttpResponse<byte[]> health = raw(f.client(null).request("/api/v1/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, health.statusCode());
    }

    // ------------------------------------------------------------------------------------------ Content-Type

    @Test
    void contentType_onlyApplicationJsonWithUtf8_othersRefused415() {
        byte[] body = draft().toString().getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("application/jsonx", "application/json; charset=utf-16", "text/plain", "application/json; charset=\"utf-8\"",
                "application/json; charset=utf-8; q=1", "application/json ; charset=utf-8", "application/json; boundary=x",
                "application/problem+json", "application/x-www-form-urlencoded")) {
            JsonNode p = problem(officer.post("/api/v1/drafts", body, type), 415, "application/json");
            assertTrue(p.get("zh").get("detail").asText().contains("内容类型"), p.toString());
        }
        Client.Response missing = officer.send(officer.request("/api/v1/drafts").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        problem(missing, 415, "no Content-Type");
        assertEquals(0, openDrafts(), "nothing was opened by a refused request");
        ObjectNode retried = draft().put("id", "ct-1");
        for (String type : List.of("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON")) {
            Client.Response r = officer.post("/api/v1/drafts", retried.toString().getBytes(StandardCharsets.UTF_8), type);
            assertTrue(r.status() == 201 || r.status() == 200, type + ": " + r);
        }
    }

    @Test
    void contentType_otherRoutes_signaturesRecordsAndCosignatures() {
        String id = openDraft();
        problem(officer.post("/api/v1/drafts/" + id + "/signatures", "{}".getBytes(StandardCharsets.UTF_8), "application/jsonx"), 415, "application/json");
        problem(officer.post("/api/v1/records", "{}".getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-16"), 415, "application/json");
        Client inspector = f.client("inspector");
        problem(inspector.post("/api/v1/checkpoints/cosignatures", "— a/b AAAA".getBytes(StandardCharsets.UTF_8), "text/plainx"), 415, "text/plain");
        problem(inspector.post("/api/v1/checkpoints/cosignatures", "— a/b AAAA".getBytes(StandardCharsets.UTF_8), "text/plain; charset=latin1"),
                415, "text/plain");
    }

    @Test
    void body_utf16OrByteOrderMark_refused400() {
        byte[] utf16 = draft().toString().getBytes(StandardCharsets.UTF_16LE);
        problem(officer.post("/api/v1/drafts", utf16, "application/json"), 400, "NUL");
        byte[] json = draft().toString().getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[json.length + 3];
        bom[0] = (byte) 0xef;
        bom[1] = (byte) 0xbb;
        bom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, bom, 3, json.length);
        problem(officer.post("/api/v1/drafts", bom, "application/json; charset=utf-8"), 400, "byte order mark");
        assertEquals(0, openDrafts());
    }

    // ------------------------------------------------------------------------------------------ strict bodies

    @Test
    void draftBody_nullsUnknownFieldsAndMissingFields_refusedNamingTheField() {
        long size = f.ledger.head().size();
        problem(officer.post("/api/v1/drafts", draft().putNull("at")), 400, "at is null");
        problem(officer.post("/api/v1/drafts", draft().putNull("note")), 400, "note is null");
        problem(officer.post("/api/v1/drafts", draft().putNull("from")), 400, "from is null");
        ObjectNode nullCount = draft();
        ((ObjectNode) nullCount.get("bags").get(0)).putNull("count");
        problem(officer.post("/api/v1/drafts", nullCount), 400, "bags[0].count is null");
        ObjectNode nullPlaceName = draft();
        ((ObjectNode) nullPlaceName.get("place")).putNull("name");
        problem(officer.post("/api/v1/drafts", nullPlaceName), 400, "place.name is null");
        ObjectNode nullWitness = draft();
        nullWitness.putArray("witnesses").add("P011").addNull();
        problem(officer.post("/api/v1/drafts", nullWitness), 400, "witnesses[1]");
        problem(officer.post("/api/v1/drafts", draft().put("colour", "red")), 400, "colour is not a known field");
        ObjectNode missing = draft();
        missing.remove("to");
        JsonNode p = problem(officer.post("/api/v1/drafts", missing), 400, "to is required");
        assertTrue(p.get("zh").get("detail").asText().contains("缺少必填字段 to"), p.toString());
        assertEquals(0, openDrafts());
        assertEquals(size, f.ledger.head().size());
    }

    @Test
    void draftBody_timeInAnyOtherSpelling_refusedWithTheCanonicalOne() {
        Map<String, String> spellings = Map.of(
                "2026-06-07T08:00:00+08:00", "2026-06-07T00:00:00Z",
                "2026-06-07T00:00:00.000Z", "2026-06-07T00:00:00Z",
                "2026-06-07T00:00:00.250000Z", "2026-06-07T00:00:00.250Z",
                "2026-06-07T00:00:00+00:00", "2026-06-07T00:00:00Z");
        spellings.forEach((given, canonical) -> {
            JsonNode p = problem(officer.post("/api/v1/drafts", draft().put("at", given)), 400, "expected " + canonical);
            assertTrue(p.get("zh").get("detail").asText().contains(canonical), p.toString());
        });
        for (String notATime : List.of("2026-06-07T00:00Z", "2026-06-07 00:00:00Z", "2026-06-07", "1780790400", "")) {
            problem(officer.post("/api/v1/drafts", draft().put("at", notATime)), 400, "at");
        }
        problem(officer.post("/api/v1/drafts", draft().put("at", 1780790400)), 400, "at must be a string");
        assertEquals(0, openDrafts());
        Client.Response ok = officer.post("/api/v1/drafts", draft().put("at", "2026-06-07T00:00:00.250Z"));
        assertEquals(201, ok.status(), ok.body());
        assertEquals("2026-06-07T00:00:00.250Z", ok.json().get("record").get("at").asText());
    }

    @Test
    void body_duplicateKeys_refused400() {
        String json = draft().toString();
        String twice = "{\"step\":\"seal\"," + json.substring(1);
        problem(officer.post("/api/v1/drafts", twice), 400, "step");
        String id = openDraft();
        problem(officer.post("/api/v1/drafts/" + id + "/signatures", "{\"key\":\"00\",\"key\":\"01\",\"sig\":\"AA==\"}"), 400, "key");
        assertEquals(1, openDrafts());
    }

    @Test
    void signatureBody_nullOrUnknownField_refused() {
        String id = openDraft();
        problem(officer.post("/api/v1/drafts/" + id + "/signatures", "{\"key\":null,\"sig\":\"AA==\"}"), 400, "key is null");
        problem(officer.post("/api/v1/drafts/" + id + "/signatures", "{\"key\":\"" + f.key("P010").id().hex()
                + "\",\"sig\":\"AA==\",\"alg\":\"ed25519\"}"), 400, "alg is not a known field");
        assertEquals("open", officer.get("/api/v1/drafts/" + id).json().get("state").asText());
    }

    @Test
    void problem_everyRefusal_sameShapeInBothLanguages() {
        for (Client.Response r : List.of(f.client(null).get("/api/v1/people"), f.client("officer-k01").get("/api/v1/findings"),
                f.client(null).get("/api/v1/nothing"), f.client(null).delete("/api/v1/health"),
                f.client("inspector").get("/api/v1/bags/NOPE/history"))) {
            JsonNode p = r.json();
            assertTrue(r.isProblem(), r.toString());
            for (String member : List.of("type", "title", "status", "detail", "instance", "zh")) {
                assertTrue(p.has(member), member + " in " + r);
            }
            assertEquals(r.status(), p.get("status").asInt());
            assertTrue(p.get("zh").get("title").asText().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                    r.toString());
        }
    }
}
