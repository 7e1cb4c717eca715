package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real server on a loopback port and talks HTTP to it. */
class CustodyServerTest {
    @TempDir
    Path dir;
    Ledger ledger;
    Javalin app;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person officer = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        LedgerId id = LedgerId.of("SERVER-TEST");
        Instant t = Instant.parse("2021-06-01T00:00:00Z");
        ledger = Ledger.create(dir.resolve("l.db"), SignedRecord.unsigned(new Genesis(RecordId.of("g"), id, t,
                Suite.ED25519_SHA256, List.of(new Founder(officer, key.publicKey())))).signedBy(key));
        ledger.append(SignedRecord.unsigned(new Registration(RecordId.of("r"), id, t, List.of(Bag.papers(
                BagId.of("K01.01.S1.ENG.A"), BagKind.QUESTION_PAPER, "HN", "K01", "01", "S1", "ENG", "A", 30,
                Secrecy.CONFIDENTIAL)), List.of(officer.id()))).signedBy(key));
        app = CustodyServer.create(ledger).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        ledger.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void health_reportsLedgerAndHead() throws Exception {
        HttpResponse<String> r = get("/api/v1/health");
        assertEquals(200, r.statusCode());
        JsonNode body = json.readTree(r.body());
        assertEquals("ok", body.get("status").asText());
        assertEquals("SERVER-TEST", body.get("ledger").asText());
        assertEquals(2, body.get("size").asLong());
        assertEquals(ledger.head().hash().hex(), body.get("head").asText());
    }

    @Test
    void history_knownBag_returnsCanonicalEntries() throws Exception {
        HttpResponse<String> r = get("/api/v1/bags/K01.01.S1.ENG.A/history");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode entries = json.readTree(r.body()).get("entries");
        assertEquals(1, entries.size());
        assertEquals("register", entries.get(0).get("record").get("type").asText());
    }

    @Test
    void history_unknownBag_problemJson404() throws Exception {
        HttpResponse<String> r = get("/api/v1/bags/NOPE/history");
        assertEquals(404, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals("unknown bag", json.readTree(r.body()).get("title").asText());
    }

    @Test
    void history_invalidBagId_problemJson400() throws Exception {
        HttpResponse<String> r = get("/api/v1/bags/%2Dbad/history");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json.readTree(r.body()).get("detail").asText().contains("bag id"));
    }

    @Test
    void unknownPath_problemJson404() throws Exception {
        HttpResponse<String> r = get("/api/v1/nothing");
        assertEquals(404, r.statusCode());
        assertEquals(404, json.readTree(r.body()).get("status").asInt());
    }
}
