package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.custody.ledger.LedgerStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody view}'s server: loopback only, the console and nothing of the API, a sign-in link that works once. */
class ConsoleViewTest {
    private static HttpResponse<String> get(HttpClient http, String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_ticketSignsInOnce_consoleOnly_onLoopback(@TempDir Path dir) throws Exception {
        try (Fixture f = new Fixture(dir); ConsoleView view = ConsoleView.start(f.ledgerFile, 0)) {
            assertTrue(view.url().startsWith("http://127.0.0.1:" + view.port() + "/console/ticket/"), view.url());
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> first = get(http, view.url(), null);
            assertEquals(303, first.statusCode());
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertEquals(401, get(http, view.url(), null).statusCode(), "the link works once");
            String base = "http://127.0.0.1:" + view.port();
            HttpResponse<String> board = get(http, base + "/console/" + f.id.value() + "/board", cookie);
            assertEquals(200, board.statusCode());
            assertTrue(board.body().contains(Fixture.Q1.value()) || board.body().contains("K01"), board.body());
            assertEquals(404, get(http, base + "/api/v1/health", cookie).statusCode(), "no API: nothing appends");
            assertEquals(404, get(http, base + "/api/v1/bags/" + Fixture.Q1.value() + "/history", cookie).statusCode());
            assertEquals(401, get(http, base + "/console/" + f.id.value() + "/board", null).statusCode());
        }
    }

    @Test
    void start_noLedger_refusedWithTheFile(@TempDir Path dir) {
        LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> ConsoleView.start(dir.resolve("none.db"), 0));
        assertTrue(e.getMessage().contains("none.db"), e.getMessage());
    }
}
