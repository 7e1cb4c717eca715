package org.custody.server;

import static org.custody.server.Route.delete;
import static org.custody.server.Route.get;
import static org.custody.server.Route.post;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Ledger;
import org.custody.server.Route.Access;

/**
 * Builds the configured server and everything it depends on, wired but not started: no thread runs and nothing
 * listens until {@link CustodyServer#start()}. Tests, tools and {@code custody serve} share it. The routes are one
 * table ({@link #routes}), each with its access rule and a controller's handler; the auth filter checks the rule
 * before the handler runs, and {@link Problems} maps every failure.
 */
final class AppFactory {
    static final String API = "/api/v1";
    private static final String STARTED = "custody.started";

    private AppFactory() {}

    /** Opens the configured ledgers and builds a server that owns them (closes them on {@link CustodyServer#close}). */
    static CustodyServer create(ServerConfig config) {
        List<Ledger> ledgers = new ArrayList<>();
        try {
            for (org.custody.ledger.LedgerLocation location : config.ledgers()) {
                ledgers.add(Ledger.open(location));
            }
            return create(ledgers, true, config, Clock.systemUTC());
        } catch (RuntimeException e) {
            ledgers.forEach(Ledger::close);
            throw e;
        }
    }

    /**
     * Builds a server over {@code ledgers} (one per exam, distinct ledger ids); if this fails, whatever it opened is
     * closed again (the ledgers stay the caller's to close).
     */
    static CustodyServer create(List<Ledger> ledgers, boolean ownsLedgers, ServerConfig config, Clock clock) {
        if (ledgers.isEmpty()) {
            throw new IllegalArgumentException("no ledger to serve");
        }
        Exams.refuseSameId(ledgers);
        SigningKey checkpointKey = checkpointKey(ledgers, config);
        try {
            Tokens tokens = config.tokens() == null ? Tokens.parse(List.of(), "no token file") : Tokens.read(config.tokens());
            Metrics metrics = new Metrics();
            List<Exam> built = new ArrayList<>();
            for (Ledger ledger : ledgers) {
                built.add(Exam.build(ledger, ownsLedgers, config, clock, metrics));
            }
            Exams exams = new Exams(built, metrics);
            List<Route> routes = routes(config, exams);
            Javalin javalin = javalin(config, metrics, new AuthFilter(tokens), routes);
            new Console(exams, tokens, clock).register(javalin);
            return new CustodyServer(new CustodyServer.Parts(exams, config, tokens, checkpointKey, routes, javalin));
        } catch (RuntimeException e) {
            if (checkpointKey != null) {
                checkpointKey.destroy(); // the server is not built: nothing will sign with it
            }
            throw e;
        }
    }

    /**
     * One ledger's routes, in matching order, with paths as a server of one ledger serves them: each with who may call it
     * and its controller's handler.
     */
    static List<Route> ledgerRoutes(HealthController health, RecordsController records, DraftsController drafts,
                                    QueriesController queries, QuestionsController questions,
                                    Transparency transparency) {
        Access inspectors = Access.roles(ApiRole.INSPECTOR, ApiRole.ADMIN);
        return List.of(
                get(API + "/health", Access.PUBLIC, health::health),
                post(API + "/records", Access.roles(ApiRole.OFFICER, ApiRole.ADMIN), records::post),
                post(API + "/drafts", Access.roles(ApiRole.OFFICER), drafts::open),
                post(API + "/drafts/preflight", Access.roles(ApiRole.OFFICER), drafts::preflight),
                get(API + "/drafts/{id}", Access.ANY_ROLE, drafts::get),
                get(API + "/drafts/{id}/signed-bytes", Access.ANY_ROLE, drafts::signedBytes),
                post(API + "/drafts/{id}/signatures", Access.roles(ApiRole.OFFICER), drafts::sign),
                delete(API + "/drafts/{id}", Access.roles(ApiRole.OFFICER), drafts::cancel),
                get(API + "/bags", Access.ANY_ROLE, questions::bags),
                get(API + "/bags/counts", Access.ANY_ROLE, questions::counts),
                get(API + "/bags/late", Access.ANY_ROLE, questions::late),
                get(API + "/bags/{bag}/history", Access.ANY_ROLE, queries::history),
                get(API + "/bags/{bag}/contents", Access.ANY_ROLE, queries::contents),
                get(API + "/places", Access.ANY_ROLE, queries::places),
                get(API + "/policy", Access.ANY_ROLE, queries::policy),
                get(API + "/entries", inspectors, questions::entries),
                get(API + "/people", Access.ANY_ROLE, queries::people),
                get(API + "/board", Access.ANY_ROLE, queries::board),
                get(API + "/search", Access.ANY_ROLE, queries::search),
                get(API + "/findings", inspectors, queries::findings),
                get(API + "/findings/kept", inspectors, questions::keptFindings),
                get(API + "/checkpoints/latest", Access.ANY_ROLE, transparency::latestCheckpoint),
                get(API + "/checkpoints/{size}", Access.ANY_ROLE, transparency::checkpoint),
                post(API + "/checkpoints/cosignatures", Access.roles(ApiRole.INSPECTOR), transparency::cosign),
                get(API + "/proofs/inclusion", Access.ANY_ROLE, transparency::inclusion),
                get(API + "/proofs/consistency", Access.ANY_ROLE, transparency::consistency),
                get(API + "/export", inspectors, transparency::export));
    }

    /**
     * The server's routes, in matching order: its own (health, the OpenAPI document, metrics, the list of ledgers), then
     * each ledger route as {@code /api/v1/...} (the one ledger of a server of one; a 400 naming the ledgers on a server
     * of several) and as {@code /api/v1/ledgers/{ledger}/...}. A ledger route hands the request to the route of the
     * ledger its gate resolved.
     */
    static List<Route> routes(ServerConfig config, Exams exams) {
        Access inspectors = Access.roles(ApiRole.INSPECTOR, ApiRole.ADMIN);
        List<Route> template = exams.all().get(0).routes;
        List<Route> out = new ArrayList<>();
        out.add(get(API + "/health", Access.PUBLIC, exams::health));
        out.add(get("/openapi.json", Access.PUBLIC, AppFactory::openApi));
        out.add(get("/metrics", config.metricsPublic() ? Access.PUBLIC : inspectors, exams::metrics));
        out.add(get(API + "/ledgers", Access.ANY_ROLE, exams::list));
        for (int i = 0; i < template.size(); i++) {
            Route r = template.get(i);
            if (!r.path().equals(API + "/health")) {
                out.add(r.at(r.path(), r.access(), exams::single, dispatch(i)));
            }
        }
        out.add(new Route("GET", LEDGER + "/metrics", inspectors, exams::ledgerMetrics, exams::prefixed));
        for (int i = 0; i < template.size(); i++) {
            Route r = template.get(i);
            // every route of a named ledger needs a token: which ledgers exist is for callers who may see them
            Access access = r.access().open() ? Access.ANY_ROLE : r.access();
            out.add(r.at(LEDGER + r.path().substring(API.length()), access, exams::prefixed, dispatch(i)));
        }
        return List.copyOf(out);
    }

    /** The path prefix of a named ledger's routes. */
    static final String LEDGER = API + "/ledgers/{ledger}";

    /** Hands a request to the {@code i}th route of the ledger its gate resolved. */
    private static Route.Endpoint dispatch(int i) {
        return (ctx, caller) -> Exams.of(ctx).routes.get(i).endpoint().handle(ctx, caller);
    }

    /** {@code GET /openapi.json}: the API description, as shipped in the jar. */
    private static void openApi(Context ctx, Caller caller) throws java.io.IOException {
        try (java.io.InputStream in = AppFactory.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    /**
     * The Javalin app, unstarted: method override refused before routing, each route behind the auth filter, every
     * {@code GET} route also registered for {@code HEAD} with the same filter and handler (Jetty sends no body for
     * {@code HEAD}), and the one problem mapper.
     */
    static Javalin javalin(ServerConfig config, Metrics metrics, AuthFilter auth, List<Route> routes) {
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.http.prefer405over404 = true;
            c.requestLogger.http((ctx, ms) -> {
                Long started = ctx.attribute(STARTED);
                String ledger = ctx.attribute(Exams.LEDGER);
                metrics.request(Requests.method(ctx), routeOf(ctx), ctx.statusCode(), ledger == null ? "" : ledger,
                        started == null ? (long) (ms * 1e6) : System.nanoTime() - started);
            });
        });
        app.before(ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            Requests.refuseMethodOverride(ctx);
        });
        for (Route route : routes) {
            Handler handler = ctx -> {
                Caller caller = auth.authenticate(ctx, route.access());
                if (route.gate() != null) {
                    route.gate().check(ctx, caller);
                }
                if (caller != null) {
                    auth.checkRoles(caller, route.access());
                }
                route.endpoint().handle(ctx, caller);
            };
            app.addHttpHandler(HandlerType.valueOf(route.method()), route.path(), handler);
            if (route.method().equals("GET")) {
                app.addHttpHandler(HandlerType.HEAD, route.path(), handler);
            }
        }
        Problems.register(app);
        return app;
    }

    private static String routeOf(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    /**
     * The key to sign checkpoints with, if the config names one: the key file must open with its passphrase and be
     * one of the ledger's checkpoint keys now, or the server is not built (fail closed).
     */
    private static SigningKey checkpointKey(List<Ledger> ledgers, ServerConfig config) {
        if (config.checkpointKey() == null) {
            return null;
        }
        SigningKey key = ServerConfig.readCheckpointKey(config);
        for (Ledger ledger : ledgers) {
            long size = ledger.head().size();
            NoteKey noteKey = NoteKey.of(ledger.origin(), NoteKeyType.of(key.publicKey().algorithm(), false), key.publicKey());
            if (!ledger.checkpointKeys(size).contains(noteKey)) {
                key.destroy();
                throw new IllegalArgumentException("checkpoint-key " + config.checkpointKey() + " (key " + key.id()
                        + ") may not sign checkpoints of " + ledger.id() + ": enrol it for a person with the role checkpoint_signer"
                        + " first (or it was revoked)" + (ledgers.size() > 1 ? "; with several ledgers the key signs the"
                        + " checkpoints of each, so it must be enrolled in every one / 多个账本时检查点密钥须在每个账本中登记" : ""));
            }
        }
        return key;
    }
}
