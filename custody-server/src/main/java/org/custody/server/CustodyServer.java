package org.custody.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.BagId;
import org.custody.record.Entry;

/**
 * The Custody HTTP service over one ledger. {@link #create} returns an unstarted app so tests and the
 * launcher decide where it listens. Errors are RFC 9457 problem+json.
 */
public final class CustodyServer {
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_WRITTEN = "custody.problem";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CustodyServer() {}

    /** An unstarted app serving {@code ledger}; the caller owns the ledger and closes it after stopping the app. */
    public static Javalin create(Ledger ledger) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 64 * 1024L;
        });
        app.get("/api/v1/health", ctx -> health(ctx, ledger));
        app.get("/api/v1/bags/{bag}/history", ctx -> history(ctx, ledger));
        app.exception(IllegalArgumentException.class, (e, ctx) -> problem(ctx, HttpStatus.BAD_REQUEST, "bad request", e.getMessage()));
        app.exception(LedgerStoreException.class, (e, ctx) ->
                problem(ctx, HttpStatus.SERVICE_UNAVAILABLE, "ledger unavailable", e.getMessage()));
        app.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.attribute(PROBLEM_WRITTEN) == null) {
                problem(ctx, HttpStatus.NOT_FOUND, "not found", "no resource at " + ctx.path());
            }
        });
        return app;
    }

    private static void health(Context ctx, Ledger ledger) {
        Head head = ledger.head();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("ledger", ledger.id().value());
        body.put("suite", ledger.suite().wire());
        body.put("size", head.size());
        body.put("head", head.hash().hex());
        ctx.json(body);
    }

    /** The bag's entries, oldest first, each in its canonical stored form (docs/formats.md). */
    private static void history(Context ctx, Ledger ledger) {
        BagId bag = BagId.of(ctx.pathParam("bag"));
        List<Entry> entries = ledger.history(bag);
        if (entries.isEmpty()) {
            problem(ctx, HttpStatus.NOT_FOUND, "unknown bag", "bag " + bag + " is not in ledger " + ledger.id());
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("bag", bag.value());
        ArrayNode list = body.putArray("entries");
        for (Entry entry : entries) {
            try {
                list.add(JSON.readTree(entry.canonicalBytes()));
            } catch (java.io.IOException e) {
                throw new LedgerStoreException("stored entry " + entry.seq() + " is not JSON", e);
            }
        }
        ctx.json(body);
    }

    static void problem(Context ctx, HttpStatus status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", detail);
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
        ctx.status(status).json(body).contentType(PROBLEM_JSON);
    }

    /** {@code java -jar custody-server.jar --ledger FILE [--port N] [--host H]}. */
    public static void main(String[] args) {
        Path file = null;
        int port = 8080;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean hasValue = i + 1 < args.length;
            if (arg.equals("--ledger") && hasValue) {
                file = Path.of(args[++i]);
            } else if (arg.equals("--port") && hasValue && args[i + 1].matches("\\d{1,5}")) {
                port = Integer.parseInt(args[++i]);
            } else if (arg.equals("--host") && hasValue) {
                host = args[++i];
            } else {
                System.err.println("usage: custody-server --ledger FILE [--port N] [--host ADDRESS]");
                System.exit(2);
            }
        }
        if (file == null) {
            System.err.println("error: --ledger FILE is required");
            System.exit(2);
        }
        Ledger ledger = Ledger.open(file);
        Javalin app = create(ledger).start(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            ledger.close();
        }));
    }
}
