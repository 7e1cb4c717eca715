package org.custody.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;

/** The service's own resources: health, the OpenAPI document and the Prometheus metrics. */
final class HealthController {
    private final Ledger ledger;
    private final Metrics metrics;

    HealthController(Ledger ledger, Metrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** {@code GET /api/v1/health}: status, ledger id, suite, size and head hash. */
    void health(Context ctx, Caller caller) {
        Head head = ledger.head();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("ledger", ledger.id().value());
        body.put("suite", ledger.suite().wire());
        body.put("size", head.size());
        body.put("head", head.hash().hex());
        ctx.json(body);
    }

    /** {@code GET /openapi.json}: the API description, as shipped in the jar. */
    void openApi(Context ctx, Caller caller) throws IOException {
        try (InputStream in = HealthController.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    /** {@code GET /metrics}: Prometheus text format. */
    void metrics(Context ctx, Caller caller) {
        ctx.contentType(metrics.contentType()).result(metrics.scrape());
    }
}
