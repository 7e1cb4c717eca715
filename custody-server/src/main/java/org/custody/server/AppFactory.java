package org.custody.server;

import static org.custody.server.Route.delete;
import static org.custody.server.Route.get;
import static org.custody.server.Route.post;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Opens the configured ledger and builds a server that owns it (closes it on {@link CustodyServer#close}). */
    static CustodyServer create(ServerConfig config) {
        Ledger ledger = Ledger.open(config.ledger());
        try {
            return create(ledger, true, config, Clock.systemUTC());
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    /**
     * Builds a server over {@code ledger}; if this fails, whatever it opened is closed again (the ledger stays the
     * caller's to close).
     */
    static CustodyServer create(Ledger ledger, boolean ownsLedger, ServerConfig config, Clock clock) {
        SigningKey checkpointKey = checkpointKey(ledger, config);
        Tokens tokens = config.tokens() == null ? Tokens.parse(List.of(), "no token file") : Tokens.read(config.tokens());
        LedgerIndex index = new LedgerIndex(ledger);
        index.refresh();
        Path draftsFile = Path.of(ledger.file() + ".drafts");
        boolean draftsFileIsNew = !Files.exists(draftsFile);
        DraftStore draftStore = DraftStore.open(draftsFile, ledger.id());
        try {
            AtomicReference<Drafts> draftsRef = new AtomicReference<>();
            Metrics metrics = new Metrics(() -> {
                Drafts d = draftsRef.get();
                return d == null ? 0 : d.openCount();
            }, () -> ledger.head().size());
            Committer committer = new Committer(ledger, metrics, index);
            Drafts drafts = new Drafts(ledger, draftStore, index, committer, metrics, clock, config.draftTtl(), config.maxOpenDrafts());
            draftsRef.set(drafts);
            List<Route> routes = routes(config,
                    new HealthController(ledger, metrics),
                    new RecordsController(ledger, index, committer, metrics, config.maxBodyBytes()),
                    new DraftsController(drafts, config.maxBodyBytes()),
                    new QueriesController(ledger, index),
                    new Transparency(ledger, index, clock, config.maxBodyBytes()));
            Javalin javalin = javalin(config, metrics, new AuthFilter(tokens), routes);
            return new CustodyServer(new CustodyServer.Parts(ledger, ownsLedger, config, tokens.size(), committer, draftStore,
                    draftsFile, draftsFileIsNew, drafts, checkpointKey, routes, javalin));
        } catch (RuntimeException e) {
            draftStore.close();
            if (draftsFileIsNew) {
                CustodyServer.deleteDraftsFile(draftsFile);
            }
            throw e;
        }
    }

    /** The server's routes, in matching order: one table, each route with who may call it and its controller's handler. */
    static List<Route> routes(ServerConfig config, HealthController health, RecordsController records, DraftsController drafts,
                              QueriesController queries, Transparency transparency) {
        Access inspectors = Access.roles(ApiRole.INSPECTOR, ApiRole.ADMIN);
        return List.of(
                get(API + "/health", Access.PUBLIC, health::health),
                get("/openapi.json", Access.PUBLIC, health::openApi),
                get("/metrics", config.metricsPublic() ? Access.PUBLIC : inspectors, health::metrics),
                post(API + "/records", Access.roles(ApiRole.OFFICER, ApiRole.ADMIN), records::post),
                post(API + "/drafts", Access.roles(ApiRole.OFFICER), drafts::open),
                get(API + "/drafts/{id}", Access.ANY_ROLE, drafts::get),
                get(API + "/drafts/{id}/signed-bytes", Access.ANY_ROLE, drafts::signedBytes),
                post(API + "/drafts/{id}/signatures", Access.roles(ApiRole.OFFICER), drafts::sign),
                delete(API + "/drafts/{id}", Access.roles(ApiRole.OFFICER), drafts::cancel),
                get(API + "/bags/{bag}/history", Access.ANY_ROLE, queries::history),
                get(API + "/people", Access.ANY_ROLE, queries::people),
                get(API + "/findings", inspectors, queries::findings),
                get(API + "/checkpoints/latest", Access.ANY_ROLE, transparency::latestCheckpoint),
                get(API + "/checkpoints/{size}", Access.ANY_ROLE, transparency::checkpoint),
                post(API + "/checkpoints/cosignatures", Access.roles(ApiRole.INSPECTOR), transparency::cosign),
                get(API + "/proofs/inclusion", Access.ANY_ROLE, transparency::inclusion),
                get(API + "/proofs/consistency", Access.ANY_ROLE, transparency::consistency),
                get(API + "/export", inspectors, transparency::export));
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
                metrics.request(Requests.method(ctx), routeOf(ctx), ctx.statusCode(),
                        started == null ? (long) (ms * 1e6) : System.nanoTime() - started);
            });
        });
        app.before(ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            Requests.refuseMethodOverride(ctx);
        });
        for (Route route : routes) {
            Handler handler = ctx -> route.endpoint().handle(ctx, auth.authorize(ctx, route.access()));
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
    private static SigningKey checkpointKey(Ledger ledger, ServerConfig config) {
        if (config.checkpointKey() == null) {
            return null;
        }
        SigningKey key = ServerConfig.readCheckpointKey(config);
        long size = ledger.head().size();
        NoteKey noteKey = NoteKey.of(ledger.origin(), NoteKeyType.of(key.publicKey().algorithm(), false), key.publicKey());
        if (!ledger.checkpointKeys(size).contains(noteKey)) {
            throw new IllegalArgumentException("checkpoint-key " + config.checkpointKey() + " (key " + key.id()
                    + ") may not sign checkpoints of " + ledger.id() + ": enrol it for a person with the role checkpoint_signer"
                    + " first (or it was revoked)");
        }
        return key;
    }
}
