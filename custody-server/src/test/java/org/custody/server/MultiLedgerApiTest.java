package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.model.LedgerId;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server, two exams: two real ledger files under {@code /api/v1/ledgers/{ledger}/...}, tokens scoped to exams,
 * the old routes refusing clearly, metrics per ledger (docs/server.md, "Many exams on one server").
 */
class MultiLedgerApiTest {
    static final LedgerId A = LedgerId.of("HN-2026");
    static final LedgerId B = LedgerId.of("SH-2026");
    static final Instant AT = Instant.parse("2021-06-02T01:00:00Z");

    @TempDir
    Path dir;
    Fixture a;
    Fixture b;
    final Map<String, String> tokens = new java.util.LinkedHashMap<>();
    CustodyServer server;

    @BeforeEach
    void start() throws Exception {
        a = new Fixture(Files.createDirectory(dir.resolve("a")), Suite.ED25519_SHA256, A);
        b = new Fixture(Files.createDirectory(dir.resolve("b")), Suite.ED25519_SHA256, B);
        List<String> lines = new ArrayList<>();
        token(lines, "officer-a", Set.of(ApiRole.OFFICER), Set.of("K01"), Set.of(A.value()));
        token(lines, "inspector-a", Set.of(ApiRole.INSPECTOR), Set.of(), Set.of(A.value()));
        token(lines, "admin-a", Set.of(ApiRole.ADMIN), Set.of(), Set.of(A.value()));
        token(lines, "officer-b", Set.of(ApiRole.OFFICER), Set.of("K01"), Set.of(B.value()));
        token(lines, "inspector-all", Set.of(ApiRole.INSPECTOR), Set.of(), Set.of("*"));
        token(lines, "inspector-unscoped", Set.of(ApiRole.INSPECTOR), Set.of(), Set.of());
        Path tokenFile = dir.resolve("tokens");
        Files.write(tokenFile, lines);
        ServerConfig config = new ServerConfig(a.ledgerFile, "127.0.0.1", 0, tokenFile, Duration.ofMinutes(15), 64 * 1024, 100, false)
                .withLedgers(List.of(a.ledgerFile, b.ledgerFile));
        server = CustodyServer.start(List.of(a.ledger, b.ledger), config, a.clock);
    }

    private void token(List<String> lines, String name, Set<ApiRole> roles, Set<String> sites, Set<String> exams) {
        String token = Tokens.newToken();
        tokens.put(name, token);
        lines.add(Tokens.line(token, EnumSet.copyOf(roles), name, sites, exams));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        a.close();
        b.close();
    }

    Client client(String name) {
        return new Client(server.port(), name == null ? null : tokens.get(name));
    }

    static String at(LedgerId ledger, String rest) {
        return "/api/v1/ledgers/" + ledger + rest;
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.get("id").asText() : n.asText()));
        return out;
    }

    /** A print handoff of Q1 in {@code f}'s ledger, signed by its three parties. */
    private SignedRecord print(Fixture f, String id) {
        Hash prev = f.ledger.bagHead(Fixture.Q1).orElseThrow();
        Handoff h = Records.handoff(f.id, id, Step.PRINT, null, "P010", List.of("P011", "P001"), AT,
                Records.move(Fixture.Q1, prev).count(30));
        return f.sign(h);
    }

    private String openDraft(Fixture f, String officer) {
        Client.Response r = client(officer).post(at(f.id, "/drafts"), DraftsApiTest.draft("print", null, "P010",
                List.of("P011", "P001"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30)));
        assertEquals(201, r.status(), r.body());
        return r.json().get("id").asText();
    }

    // ------------------------------------------------------------------------------------------ listing and routes

    @Test
    void listing_showsOnlyTheLedgersTheTokenMayUse() {
        Client.Response all = client("inspector-all").get("/api/v1/ledgers");
        assertEquals(200, all.status(), all.body());
        assertEquals(List.of(A.value(), B.value()), ids(all.json().get("ledgers")));
        JsonNode first = all.json().get("ledgers").get(0);
        assertEquals(a.ledger.head().size(), first.get("size").asLong());
        assertEquals(a.ledger.head().hash().hex(), first.get("head").asText());
        assertEquals(List.of(A.value()), ids(client("inspector-a").get("/api/v1/ledgers").json().get("ledgers")));
        assertEquals(List.of(B.value()), ids(client("officer-b").get("/api/v1/ledgers").json().get("ledgers")));
        assertEquals(List.of(), ids(client("inspector-unscoped").get("/api/v1/ledgers").json().get("ledgers")));
        assertFalse(client("inspector-a").get("/api/v1/ledgers").body().contains(B.value()));
        assertEquals(401, client(null).get("/api/v1/ledgers").status());
    }

    @Test
    void prefixedRoutes_serveEachLedger_draftsAndRecordsLandInTheirOwnLedger() {
        for (Fixture f : List.of(a, b)) {
            Fixture other = f == a ? b : a;
            String officer = f == a ? "officer-a" : "officer-b";
            Client.Response health = client("inspector-all").get(at(f.id, "/health"));
            assertEquals(200, health.status(), health.body());
            assertEquals(f.id.value(), health.json().get("ledger").asText());
            Client.Response history = client("inspector-all").get(at(f.id, "/bags/" + Fixture.Q1 + "/history"));
            assertEquals(200, history.status(), history.body());
            assertEquals(f.ledger.bagHead(Fixture.Q1).orElseThrow().hex(), history.json().get("head").asText());
            assertEquals(f.people.size(), client(officer).get(at(f.id, "/people")).json().get("people").size());
            assertEquals(200, client("inspector-all").get(at(f.id, "/findings")).status());
            assertEquals(200, client("inspector-all").get(at(f.id, "/proofs/consistency?from=1&to=2")).status());
            assertEquals(200, client("inspector-all").get(at(f.id, "/export")).status());

            // a draft co-signed through the ledger's own routes lands in that ledger only
            long size = f.ledger.head().size();
            long otherSize = other.ledger.head().size();
            String id = openDraft(f, officer);
            Client c = client(officer);
            byte[] bytes = c.getBytes(at(f.id, "/drafts/" + id + "/signed-bytes"));
            Client.Response last = null;
            for (String p : List.of("P010", "P011", "P001")) {
                org.custody.crypto.Signature s = f.key(p).sign(bytes);
                last = c.post(at(f.id, "/drafts/" + id + "/signatures"), Map.of("key", s.key().hex(), "sig", s.base64()));
                assertTrue(last.status() / 100 == 2, last.body());
            }
            assertEquals("committed", c.get(at(f.id, "/drafts/" + id)).json().get("state").asText(), last.body());
            assertEquals(size + 1, f.ledger.head().size());
            assertEquals(otherSize, other.ledger.head().size());

            // a fully signed record posted to the ledger's records route
            SignedRecord again = f.sign(Records.handoff(f.id, "seal-" + f.id, Step.SEAL, "P010", "P001", List.of("P011"),
                    AT.plusSeconds(3600), Records.move(Fixture.Q1, f.ledger.bagHead(Fixture.Q1).orElseThrow()).count(30)
                            .seal("SN-1", org.custody.model.SealState.INTACT)));
            Client.Response posted = c.post(at(f.id, "/records"), Records.body(again));
            assertEquals(201, posted.status(), posted.body());
            assertEquals(size + 2, f.ledger.head().size());
            assertEquals(otherSize, other.ledger.head().size());
        }
    }

    @Test
    void recordOfOneLedger_postedToTheOther_isRefused() {
        long sizeA = a.ledger.head().size();
        long sizeB = b.ledger.head().size();
        Client.Response r = client("officer-b").post(at(B, "/records"), Records.body(print(a, "print-a")));
        assertTrue(r.status() == 400 || r.status() == 422, r.body());
        assertEquals(sizeA, a.ledger.head().size());
        assertEquals(sizeB, b.ledger.head().size());
    }

    // ------------------------------------------------------------------------------------------ scope

    /** Every route of B, every method, with each token of exam A: 404, the same problem as a ledger that does not exist. */
    @Test
    void tokenOfExamA_everyRouteOfB_404LikeAnUnknownLedger() {
        String draftOfB = openDraft(b, "officer-b");
        long sizeB = b.ledger.head().size();
        byte[] bytes = client("officer-b").getBytes(at(B, "/drafts/" + draftOfB + "/signed-bytes"));
        org.custody.crypto.Signature sig = b.key("P010").sign(bytes);
        Map<String, String> bodies = Map.of(
                "/drafts", DraftsApiTest.draft("print", null, "P010", List.of("P011", "P001"), "2021-06-02T01:00:00Z",
                        Fixture.Q1, Map.of("count", 30)).toString(),
                "/drafts/{id}/signatures", "{\"key\":\"" + sig.key().hex() + "\",\"sig\":\"" + sig.base64() + "\"}",
                "/records", Records.body(print(b, "print-b")).toString());
        int checked = 0;
        for (Route route : server.routes()) {
            if (!route.path().startsWith(AppFactory.LEDGER)) {
                continue;
            }
            String rest = route.path().substring(AppFactory.LEDGER.length());
            String path = rest.replace("{id}", draftOfB).replace("{bag}", Fixture.Q1.value()).replace("{size}", "1")
                    + (rest.endsWith("/inclusion") ? "?seq=0&size=1" : rest.endsWith("/consistency") ? "?from=1&to=2" : "");
            String body = bodies.getOrDefault(rest, "{}");
            String type = rest.equals("/checkpoints/cosignatures") ? "text/plain" : "application/json";
            for (String token : List.of("officer-a", "inspector-a", "admin-a")) {
                Client c = client(token);
                Client.Response r = send(c, route.method(), at(B, path), body, type);
                Client.Response unknown = send(c, route.method(), at(LedgerId.of("NO-SUCH-EXAM"), path), body, type);
                assertEquals(404, r.status(), token + " " + route + " " + r.body());
                assertTrue(r.isProblem(), token + " " + route);
                assertEquals("no such ledger", r.json().get("title").asText(), token + " " + route);
                assertEquals(unknown.status(), r.status(), token + " " + route);
                assertEquals(unknown.json().get("detail").asText().replace("NO-SUCH-EXAM", B.value()), r.json().get("detail").asText());
                assertEquals(unknown.json().get("zh").get("detail").asText().replace("NO-SUCH-EXAM", B.value()),
                        r.json().get("zh").get("detail").asText());
                if (route.method().equals("GET")) {
                    Client.Response head = c.send(c.request(at(B, path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
                    assertEquals(404, head.status(), "HEAD " + route);
                }
                checked++;
            }
        }
        assertTrue(checked >= 3 * 17, "checked " + checked);
        // nothing of B changed: the draft is still open with no signature, nothing was stored
        assertEquals(sizeB, b.ledger.head().size());
        JsonNode draft = client("officer-b").get(at(B, "/drafts/" + draftOfB)).json();
        assertEquals("open", draft.get("state").asText(), draft.toString());
        // and B's own officer still works on it
        assertEquals(200, client("officer-b").delete(at(B, "/drafts/" + draftOfB)).status());
    }

    private static Client.Response send(Client c, String method, String path, String body, String type) {
        HttpRequest.BodyPublisher publisher = method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        HttpRequest.Builder r = c.request(path).method(method, publisher);
        if (!method.equals("GET")) {
            r.header("Content-Type", type);
        }
        return c.send(r.build());
    }

    @Test
    void tokenNamingNoExam_onASeveralLedgerServer_403WhateverTheId() {
        for (LedgerId id : List.of(A, B, LedgerId.of("NO-SUCH-EXAM"))) {
            Client.Response r = client("inspector-unscoped").get(at(id, "/people"));
            assertEquals(403, r.status(), r.body());
            assertTrue(r.json().get("detail").asText().contains("exams="), r.body());
            assertTrue(r.json().get("zh").get("detail").asText().contains("未限定考试"), r.body());
        }
    }

    @Test
    void wrongRole_inItsOwnLedger_still403() {
        assertEquals(403, client("officer-a").get(at(A, "/findings")).status());
        assertEquals(403, client("inspector-a").post(at(A, "/drafts"), "{}").status());
        assertEquals(401, client(null).get(at(A, "/health")).status());
    }

    // ------------------------------------------------------------------------------------------ the routes of one ledger

    @Test
    void singleLedgerRoutes_withTwoLedgers_400NamingTheLedgersAndTheNewRoute() {
        Client.Response r = client("inspector-a").get("/api/v1/bags/" + Fixture.Q1 + "/history");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.isProblem());
        assertEquals(List.of(A.value()), ids(r.json().get("ledgers")));
        String detail = r.json().get("detail").asText();
        assertTrue(detail.contains("/api/v1/ledgers/{ledger}/bags/" + Fixture.Q1 + "/history"), detail);
        assertTrue(detail.contains("/api/v1/ledgers/HN-2026/bags/"), detail);
        assertFalse(detail.contains(B.value()), detail);
        assertTrue(r.json().get("zh").get("detail").asText().contains("多个账本"), r.body());

        Client.Response all = client("inspector-all").get("/api/v1/people");
        assertEquals(400, all.status());
        assertEquals(List.of(A.value(), B.value()), ids(all.json().get("ledgers")));
        Client.Response post = client("officer-a").post("/api/v1/drafts", "{}");
        assertEquals(400, post.status(), post.body());
        assertEquals(401, client(null).get("/api/v1/people").status());

        // health stays public and up, naming no ledger
        JsonNode health = client(null).get("/api/v1/health").json();
        assertEquals("ok", health.get("status").asText());
        assertEquals(2, health.get("ledgers").asInt());
        assertFalse(health.toString().contains(A.value()) || health.toString().contains(B.value()), health.toString());
    }

    /** A server of one ledger: the old routes as before for every token that may use it, the prefixed ones too. */
    @Test
    void oneLedger_oldAndPrefixedRoutes_tokensWithoutExamAsBefore() throws Exception {
        try (Fixture one = new Fixture(Files.createDirectory(dir.resolve("one")), Suite.ED25519_SHA256, A);
             CustodyServer single = CustodyServer.start(one.ledger, new ServerConfig(one.ledgerFile, "127.0.0.1", 0,
                     dir.resolve("tokens"), Duration.ofMinutes(15), 64 * 1024, 100, false), one.clock)) {
            for (String token : List.of("inspector-unscoped", "inspector-a", "inspector-all")) {
                Client c = new Client(single.port(), tokens.get(token));
                assertEquals(200, c.get("/api/v1/people").status(), token);
                assertEquals(200, c.get(at(A, "/people")).status(), token);
                assertEquals(List.of(A.value()), ids(c.get("/api/v1/ledgers").json().get("ledgers")), token);
            }
            // a token of another exam may use nothing here: the same 404 on the old routes as on the prefixed ones
            Client other = new Client(single.port(), tokens.get("officer-b"));
            Client.Response old = other.get("/api/v1/bags/" + Fixture.Q1 + "/history");
            assertEquals(404, old.status(), old.body());
            assertEquals("no such ledger", old.json().get("title").asText());
            assertEquals(404, other.get(at(A, "/bags/" + Fixture.Q1 + "/history")).status());
            assertEquals(List.of(), ids(other.get("/api/v1/ledgers").json().get("ledgers")));
            JsonNode health = new Client(single.port(), null).get("/api/v1/health").json();
            assertEquals(A.value(), health.get("ledger").asText());
            String metrics = new Client(single.port(), tokens.get("inspector-unscoped")).get("/metrics").body();
            assertTrue(metrics.contains("custody_ledger_entries{ledger=\"HN-2026\"}"), metrics);
        }
    }

    // ------------------------------------------------------------------------------------------ metrics

    @Test
    void metrics_labelEachLedger_andShowATokenOnlyItsExams() {
        client("inspector-a").get(at(A, "/people"));
        client("officer-b").get(at(B, "/people"));
        String all = client("inspector-all").get("/metrics").body();
        assertTrue(all.contains("custody_ledger_entries{ledger=\"HN-2026\"} " + a.ledger.head().size() + ".0"), all);
        assertTrue(all.contains("custody_ledger_entries{ledger=\"SH-2026\"} " + b.ledger.head().size() + ".0"), all);
        assertTrue(all.contains("custody_drafts_open{ledger=\"HN-2026\"} 0.0"), all);
        assertTrue(all.contains("custody_http_requests_total{ledger=\"SH-2026\",method=\"GET\","
                + "route=\"/api/v1/ledgers/{ledger}/people\",status=\"200\"}"), all);

        String onlyA = client("inspector-a").get("/metrics").body();
        assertTrue(onlyA.contains("custody_ledger_entries{ledger=\"HN-2026\"}"), onlyA);
        assertFalse(onlyA.contains("SH-2026"), onlyA);

        Client.Response ledgerA = client("inspector-a").get(at(A, "/metrics"));
        assertEquals(200, ledgerA.status(), ledgerA.body());
        assertTrue(ledgerA.contentType().startsWith("text/plain"));
        assertTrue(ledgerA.body().contains("custody_ledger_entries{ledger=\"HN-2026\"}"), ledgerA.body());
        assertFalse(ledgerA.body().contains("SH-2026") || ledgerA.body().contains("ledger=\"\""), ledgerA.body());
        assertEquals(404, client("inspector-a").get(at(B, "/metrics")).status());
        assertEquals(403, client("officer-a").get(at(A, "/metrics")).status());
    }

    // ------------------------------------------------------------------------------------------ tokens and config

    @Test
    void tokenFile_examsField_parsedAndRefusedWhenMalformed() {
        String hash = "sha256:" + "0".repeat(64);
        Tokens t = Tokens.parse(List.of(hash + " officer k01 K01,K02 exams=HN-2026,SH-2026", "sha256:" + "1".repeat(64)
                + " inspector all exams=*", "sha256:" + "2".repeat(64) + " admin old"), "t");
        List<Caller> callers = t.callers();
        assertEquals(Set.of("K01", "K02"), callers.get(0).sites());
        assertEquals(Set.of("HN-2026", "SH-2026"), callers.get(0).exams());
        assertTrue(callers.get(1).mayUse("ANY", true));
        assertTrue(callers.get(2).mayUse("ANY", false));
        assertFalse(callers.get(2).mayUse("ANY", true));
        for (String bad : List.of(hash + " officer k01 exams=HN-2026 K01", hash + " inspector i exams=*,HN-2026",
                hash + " inspector i exams=", hash + " inspector i exams=A exams=B", hash + " inspector i x y z")) {
            assertThrows(IllegalArgumentException.class, () -> Tokens.parse(List.of(bad), "t"), bad);
        }
    }

    @Test
    void twoLedgerFilesWithOneId_serverDoesNotStart() throws Exception {
        try (Fixture twin = new Fixture(Files.createDirectory(dir.resolve("twin")), Suite.ED25519_SHA256, A)) {
            ServerConfig config = ServerConfig.defaults(a.ledgerFile).withLedgers(List.of(a.ledgerFile, twin.ledgerFile));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CustodyServer.create(config));
            assertTrue(e.getMessage().contains("HN-2026") && e.getMessage().contains("账本标识"), e.getMessage());
            assertFalse(Files.exists(Path.of(twin.ledgerFile + ".drafts")), "no drafts file left behind");
        }
    }
}
