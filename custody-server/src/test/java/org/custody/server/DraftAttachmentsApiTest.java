package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.custody.crypto.HashAlgorithm;
import org.custody.record.Attachment;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drafts carrying attachments: the digests (never the files) go into the record everyone signs and into the ledger;
 * an attachment the record format would refuse is a 400 naming it, and nothing is opened.
 */
class DraftAttachmentsApiTest {
    @TempDir
    Path dir;
    Fixture f;
    Client officer;

    @BeforeEach
    void start() throws Exception {
        f = new Fixture(dir).start(Duration.ofMinutes(10), 64 * 1024);
        officer = f.client("officer-k01");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static final String PHOTO = HashAlgorithm.SHA_256.digest("seal photo".getBytes(StandardCharsets.UTF_8)).hex();
    private static final String VIDEO = HashAlgorithm.SM3.digest(new byte[4096]).hex();

    private static ObjectNode withAttachments() {
        ObjectNode body = DraftsApiTest.draft("print", null, "P010", List.of("P011"), "2021-06-02T01:00:00Z", Fixture.Q1, Map.of("count", 30));
        ArrayNode a = body.putArray("attachments");
        a.addObject().put("alg", "sha-256").put("digest", PHOTO).put("size", 10).put("mediaType", "image/jpeg").put("name", "封条.jpg");
        a.addObject().put("alg", "sm3").put("digest", VIDEO).put("size", 4096).put("mediaType", "video/mp4");
        return body;
    }

    @Test
    void open_withAttachments_signedAndStoredWithTheirDigests() {
        Client.Response opened = officer.post("/api/v1/drafts", withAttachments());
        assertEquals(201, opened.status(), opened.body());
        JsonNode d = opened.json();
        assertEquals(2, d.get("record").get("attachments").size(), d.toString());
        String id = d.get("id").asText();
        assertEquals(200, f.device("P010", "officer-k01").sign(id).status());
        Client.Response last = f.device("P011", "officer-k01").sign(id);
        assertEquals("committed", last.json().get("state").asText(), last.body());
        List<Entry> history = f.ledger.history(Fixture.Q1);
        List<Attachment> stored = ((Handoff) history.get(history.size() - 1).record()).attachments();
        assertEquals(2, stored.size());
        assertEquals(PHOTO, stored.get(0).digest().hex());
        assertEquals("封条.jpg", stored.get(0).name());
        assertEquals(HashAlgorithm.SM3, stored.get(1).alg());
        assertEquals(4096, stored.get(1).size());
        assertTrue(f.ledger.verify().intact());
    }

    /** The console's bag story lists a step's attachments, and a name full of markup is shown as text. */
    @Test
    void consoleStory_listsAttachmentsEscaped() throws Exception {
        ObjectNode body = withAttachments();
        ((ObjectNode) body.get("attachments").get(0)).put("name", "<img src=x onerror=alert(1)>.jpg");
        Client.Response opened = officer.post("/api/v1/drafts", body);
        assertEquals(201, opened.status(), opened.body());
        String id = opened.json().get("id").asText();
        f.device("P010", "officer-k01").sign(id);
        assertEquals("committed", f.device("P011", "officer-k01").sign(id).json().get("state").asText());
        try (ConsoleView view = ConsoleView.start(f.ledgerFile, 0)) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
            var first = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(view.url())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + view.port() + "/console/"
                    + f.id.value() + "/bags/" + Fixture.Q1.value())).header("Cookie", cookie).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            String html = page.body();
            assertTrue(html.contains("附件 <span class=\"en\">attachment</span>: &lt;img src=x onerror=alert(1)&gt;.jpg (image/jpeg, 10 bytes, sha-256 "
                    + PHOTO.substring(0, 16)), html);
            assertTrue(html.contains("(video/mp4, 4096 bytes, sm3 " + VIDEO.substring(0, 16)), html);
            assertTrue(!html.contains("<img src=x"), "markup in a name is text");
        }
    }

    @Test
    void open_badAttachments_400NamingThem_nothingOpened() {
        Map<String, Consumer<ObjectNode>> defects = Map.of(
                "attachments[0].digest", a -> a.put("digest", PHOTO.toUpperCase()),
                "attachments[0].size", a -> a.put("size", -3),
                "attachments[0].colour", a -> a.put("colour", "red"),
                "attachments[0]", a -> a.put("name", "../../etc/passwd"),
                "twice", a -> a.put("digest", VIDEO).put("alg", "sm3"));
        defects.forEach((expected, defect) -> {
            ObjectNode body = withAttachments();
            body.put("id", "bad-attachments");
            defect.accept((ObjectNode) body.get("attachments").get(0));
            Client.Response r = officer.post("/api/v1/drafts", body);
            assertEquals(400, r.status(), expected + ": " + r.body());
            assertTrue(r.json().get("detail").asText().contains(expected), expected + ": " + r.body());
        });
        ObjectNode empty = withAttachments();
        empty.putArray("attachments");
        assertEquals(400, officer.post("/api/v1/drafts", empty).status());
        assertEquals(404, officer.get("/api/v1/drafts/bad-attachments").status(), "nothing was opened");
    }
}
