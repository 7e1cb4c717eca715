package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import org.custody.ledger.LedgerStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one problem mapper on a real Javalin app over loopback: unexpected failures say nothing of their cause. */
class ProblemsTest {
    private Javalin app;
    private Client client;

    @BeforeEach
    void start() {
        app = Javalin.create(c -> c.showJavalinBanner = false);
        app.get("/boom", ctx -> {
            throw new IllegalStateException("secret token abc123 in /etc/custody/tokens");
        });
        app.get("/store", ctx -> {
            throw new LedgerStoreException("cannot write /srv/exam.db: disk I/O error");
        });
        app.get("/refused", ctx -> {
            throw ApiException.refused("the handoff breaks R03", org.custody.audit.FindingCode.R03, java.util.List.of());
        });
        Problems.register(app);
        app.start("127.0.0.1", 0);
        client = new Client(app.port(), null);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void unexpectedException_500WithoutMessageOrStackTrace() {
        Client.Response r = client.get("/boom");
        assertEquals(500, r.status());
        assertTrue(r.isProblem(), r.contentType());
        assertFalse(r.body().contains("secret") || r.body().contains("abc123") || r.body().contains("IllegalState")
                || r.body().contains("/etc/"), r.body());
        JsonNode p = r.json();
        assertEquals("internal error", p.get("title").asText());
        assertEquals("服务器内部错误", p.get("zh").get("title").asText());
        assertEquals("/boom", p.get("instance").asText());
    }

    @Test
    void storeFailure_503WithoutThePath() {
        Client.Response r = client.get("/store");
        assertEquals(503, r.status());
        assertFalse(r.body().contains("/srv/"), r.body());
        assertTrue(r.json().get("zh").get("detail").asText().contains("请稍后重试"), r.body());
    }

    @Test
    void ruleRefusal_codeAndItsChineseTitle() {
        Client.Response r = client.get("/refused");
        assertEquals(422, r.status());
        JsonNode p = r.json();
        assertEquals("R03", p.get("code").asText());
        assertEquals("urn:custody:finding:R03", p.get("type").asText());
        assertTrue(p.get("zh").get("title").asText().startsWith("被拒绝：R03 "), r.body());
    }
}
