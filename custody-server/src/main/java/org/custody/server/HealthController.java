package org.custody.server;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;

/** A ledger's health: its id, suite, size and head (the server's own resources are in {@link AppFactory} and {@link Exams}). */
final class HealthController {
    private final Ledger ledger;

    HealthController(Ledger ledger) {
        this.ledger = ledger;
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
}
