package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custody.audit.FindingCode;
import org.custody.audit.ReportWriter;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Checkpointer;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.record.BagMove;
import org.custody.record.Canonical;
import org.custody.record.Entry;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.MalformedRecordException;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Custody HTTP service over one ledger: a JSON API under {@code /api/v1} (see {@code /openapi.json}),
 * drafts that several people co-sign from their own devices, fully signed records posted in one request,
 * queries, and Prometheus metrics at {@code /metrics}. Callers authenticate with bearer tokens whose
 * hashes are in the token file; errors are RFC 9457 problem+json. Start it with {@link #start}; it
 * listens until {@link #close}.
 */
public final class CustodyServer implements AutoCloseable {
    static final String PROBLEM_JSON = "application/problem+json";
    static final String API = "/api/v1";
    private static final String PROBLEM_WRITTEN = "custody.problem";
    private static final String STARTED = "custody.started";
    private static final Duration STORE_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(CustodyServer.class);

    /** Who may call a route: anyone, any authenticated caller, or callers with one of the roles. */
    record Access(boolean open, Set<ApiRole> roles) {
        static final Access PUBLIC = new Access(true, Set.of());
        static final Access ANY_ROLE = new Access(false, EnumSet.allOf(ApiRole.class));

        static Access roles(ApiRole... roles) {
            return new Access(false, Set.of(roles));
        }
    }

    /** One route, as registered: the OpenAPI document must describe exactly these. */
    record Route(String method, String path, Access access) {}

    @FunctionalInterface
    private interface Action {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    private final Ledger ledger;
    private final boolean ownsLedger;
    private final ServerConfig config;
    private final Tokens tokens;
    private final LedgerIndex index;
    private final Metrics metrics;
    private final Committer committer;
    private final DraftStore draftStore;
    private final Drafts drafts;
    private final Transparency transparency;
    private final SigningKey checkpointKey;
    private volatile Checkpointer checkpointer;
    private final ScheduledExecutorService sweeper;
    private final List<Route> routes = new ArrayList<>();
    private final Javalin app;
    private volatile CachedReport report;

    private record CachedReport(Head head, String json) {}

    private CustodyServer(Ledger ledger, boolean ownsLedger, ServerConfig config, Clock clock) {
        this.ledger = ledger;
        this.ownsLedger = ownsLedger;
        this.config = config;
        this.checkpointKey = checkpointKey(ledger, config);
        this.tokens = config.tokens() == null ? Tokens.parse(List.of(), "no token file") : Tokens.read(config.tokens());
        this.index = new LedgerIndex(ledger);
        index.refresh();
        this.draftStore = DraftStore.open(Path.of(ledger.file() + ".drafts"), ledger.id());
        this.metrics = new Metrics(this::openDrafts, () -> ledger.head().size());
        this.committer = new Committer(ledger, metrics, index);
        this.drafts = new Drafts(ledger, draftStore, index, committer, metrics, clock, config.draftTtl(), config.maxOpenDrafts());
        drafts.restore();
        this.transparency = new Transparency(ledger, index, clock);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "custody-draft-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, Math.min(10_000, config.draftTtl().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        this.app = createApp();
    }

    /** Opens the configured ledger and serves it until {@link #close}. */
    public static CustodyServer start(ServerConfig config) {
        logCollector();
        Ledger ledger = Ledger.open(config.ledger());
        try {
            return new CustodyServer(ledger, true, config, Clock.systemUTC()).listen();
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    /** JVM options with which the load target is met (docs/server.md, "Starting it"); {@code bin/custody} passes them by default. */
    static final String RECOMMENDED_JAVA_OPTS = "-XX:+UseParallelGC -Xmn128m -XX:InitialRAMPercentage=25 -XX:MetaspaceSize=64m";

    /**
     * Names the garbage collector in the log, with a hint when it is not the parallel one: under load, G1's young
     * pauses here took 30-65 ms every few seconds and held the 99th percentile above 50 ms (docs/benchmarks.md).
     */
    private static void logCollector() {
        List<String> collectors = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList();
        boolean parallel = collectors.contains("PS Scavenge");
        if (parallel) {
            LOG.info("garbage collectors: {}", collectors);
        } else {
            LOG.info("garbage collectors: {}; for short pauses under load start the JVM with {} (docs/server.md)",
                    collectors, RECOMMENDED_JAVA_OPTS);
        }
    }

    /** Serves an open ledger (tests, tools); the caller closes the ledger after {@link #close}. */
    static CustodyServer start(Ledger ledger, ServerConfig config, Clock clock) {
        return new CustodyServer(ledger, false, config, clock).listen();
    }

    private CustodyServer listen() {
        app.start(config.host(), config.port());
        if (checkpointKey != null) {
            LOG.info("signing checkpoints of {} with key {} every {} ms", ledger.id(), checkpointKey.id(), config.checkpointInterval().toMillis());
            checkpointer = Checkpointer.start(ledger, checkpointKey, config.checkpointInterval(),
                    note -> LOG.debug("signed checkpoint {}", note.text().replace('\n', ' ')),
                    e -> LOG.warn("checkpoint not signed this time: {}", e.toString()));
        }
        LOG.info("custody server for ledger {} listening on {}:{} ({} tokens)", ledger.id(), config.host(), app.port(), tokens.size());
        return this;
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    private long openDrafts() {
        return drafts == null ? 0 : drafts.openCount();
    }

    private void sweep() {
        try {
            drafts.sweep();
        } catch (RuntimeException e) {
            LOG.warn("draft sweep failed: {}", e.toString());
        }
    }

    /** Registers a shutdown hook that stops this server (SIGTERM, Ctrl-C) and waits for it. */
    public void awaitShutdown() throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing the records in hand");
            close();
            stopped.countDown();
        }, "custody-shutdown"));
        stopped.await();
    }

    @Override
    public void close() {
        Checkpointer c = checkpointer;
        if (c != null) {
            c.close();
        }
        app.stop();
        sweeper.shutdownNow();
        committer.close();
        draftStore.close();
        if (ownsLedger) {
            ledger.close();
        }
    }

    // ------------------------------------------------------------------------------------------ routing

    /**
     * The key to sign checkpoints with, if the config names one: the key file must open with its passphrase and be
     * one of the ledger's checkpoint keys now, or the server does not start (fail closed).
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

    private Javalin createApp() {
        Javalin javalin = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.http.prefer405over404 = true;
            c.requestLogger.http((ctx, ms) -> {
                Long started = ctx.attribute(STARTED);
                metrics.request(ctx.method().name(), routeOf(ctx), ctx.statusCode(),
                        started == null ? (long) (ms * 1e6) : System.nanoTime() - started);
            });
        });
        javalin.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));

        route(javalin, HandlerType.GET, API + "/health", Access.PUBLIC, (ctx, c) -> health(ctx));
        route(javalin, HandlerType.GET, "/openapi.json", Access.PUBLIC, (ctx, c) -> openApi(ctx));
        route(javalin, HandlerType.GET, "/metrics", config.metricsPublic() ? Access.PUBLIC : Access.roles(ApiRole.INSPECTOR, ApiRole.ADMIN),
                (ctx, c) -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        route(javalin, HandlerType.POST, API + "/records", Access.roles(ApiRole.OFFICER, ApiRole.ADMIN), this::postRecord);
        route(javalin, HandlerType.POST, API + "/drafts", Access.roles(ApiRole.OFFICER), this::openDraft);
        route(javalin, HandlerType.GET, API + "/drafts/{id}", Access.ANY_ROLE,
                (ctx, c) -> ctx.json(draftView(drafts.get(c, ctx.pathParam("id")))));
        route(javalin, HandlerType.GET, API + "/drafts/{id}/signed-bytes", Access.ANY_ROLE, (ctx, c) ->
                ctx.contentType("application/octet-stream").result(drafts.get(c, ctx.pathParam("id")).signedBytes));
        route(javalin, HandlerType.POST, API + "/drafts/{id}/signatures", Access.roles(ApiRole.OFFICER), this::postSignature);
        route(javalin, HandlerType.DELETE, API + "/drafts/{id}", Access.roles(ApiRole.OFFICER),
                (ctx, c) -> ctx.json(draftView(drafts.cancel(c, ctx.pathParam("id")))));
        route(javalin, HandlerType.GET, API + "/bags/{bag}/history", Access.ANY_ROLE, this::history);
        route(javalin, HandlerType.GET, API + "/people", Access.ANY_ROLE, this::people);
        route(javalin, HandlerType.GET, API + "/findings", Access.roles(ApiRole.INSPECTOR, ApiRole.ADMIN), this::findings);
        route(javalin, HandlerType.GET, API + "/checkpoints/latest", Access.ANY_ROLE, (ctx, c) -> transparency.latestCheckpoint(ctx));
        route(javalin, HandlerType.GET, API + "/checkpoints/{size}", Access.ANY_ROLE, (ctx, c) -> transparency.checkpoint(ctx));
        route(javalin, HandlerType.POST, API + "/checkpoints/cosignatures", Access.roles(ApiRole.INSPECTOR), (ctx, c) ->
                transparency.cosign(ctx, Transparency.textBody(ctx, Math.min(config.maxBodyBytes(), Transparency.MAX_COSIGNATURE_BYTES))));
        route(javalin, HandlerType.GET, API + "/proofs/inclusion", Access.ANY_ROLE, (ctx, c) -> transparency.inclusion(ctx));
        route(javalin, HandlerType.GET, API + "/proofs/consistency", Access.ANY_ROLE, (ctx, c) -> transparency.consistency(ctx));
        route(javalin, HandlerType.GET, API + "/export", Access.roles(ApiRole.INSPECTOR, ApiRole.ADMIN), (ctx, c) -> transparency.export(ctx));

        javalin.exception(ApiException.class, (e, ctx) -> problem(ctx, e));
        javalin.exception(HttpResponseException.class, (e, ctx) -> problem(ctx,
                new ApiException(HttpStatus.forStatus(e.getStatus()), HttpStatus.forStatus(e.getStatus()).getMessage().toLowerCase(java.util.Locale.ROOT),
                        e.getMessage())));
        javalin.exception(AppendRefusedException.class, (e, ctx) -> problem(ctx, ApiException.refused(e)));
        javalin.exception(MalformedInputException.class, (e, ctx) -> problem(ctx, ApiException.badRequest(e.getMessage())));
        javalin.exception(LedgerStoreException.class, (e, ctx) -> {
            LOG.error("ledger store failure: {}", e.getMessage());
            problem(ctx, new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "ledger unavailable",
                    "the ledger cannot be read or written now; nothing was stored by this request; retry later"));
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal error",
                    "the server failed unexpectedly; nothing was stored by this request unless a retry says so"));
        });
        javalin.error(HttpStatus.NOT_FOUND, ctx -> {
            if (ctx.attribute(PROBLEM_WRITTEN) == null) {
                problem(ctx, ApiException.notFound("not found", "no resource at " + ctx.path()));
            }
        });
        javalin.error(HttpStatus.METHOD_NOT_ALLOWED, ctx -> {
            if (ctx.attribute(PROBLEM_WRITTEN) == null) {
                problem(ctx, new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "method not allowed",
                        ctx.method() + " is not allowed on " + ctx.path()));
            }
        });
        return javalin;
    }

    private static String routeOf(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private void route(Javalin javalin, HandlerType method, String path, Access access, Action action) {
        routes.add(new Route(method.name(), path, access));
        javalin.addHttpHandler(method, path, ctx -> action.handle(ctx, authorize(ctx, access)));
    }

    /** The caller, if the route needs one; refuses with 401 (no or unknown token) or 403 (wrong role). */
    private Caller authorize(Context ctx, Access access) {
        if (access.open()) {
            return null;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 7 + 512) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"custody\"");
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "this resource needs 'Authorization: Bearer <token>'");
        }
        Optional<Caller> caller = tokens.authenticate(header.substring(7).strip());
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"custody\", error=\"invalid_token\"");
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "the bearer token is not known to this server");
        }
        if (access.roles().stream().noneMatch(caller.get()::has)) {
            throw ApiException.forbidden("this resource needs the role " + String.join(" or ",
                    access.roles().stream().sorted().map(ApiRole::wire).toList()) + "; token " + caller.get().name() + " has "
                    + caller.get().roles().stream().sorted().map(ApiRole::wire).toList());
        }
        return caller.get();
    }

    static void problem(Context ctx, ApiException e) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", e.code() == null ? "about:blank" : "urn:custody:finding:" + e.code());
        body.put("title", e.title());
        body.put("status", e.status().getCode());
        body.put("detail", e.getMessage());
        body.put("instance", ctx.path());
        if (e.code() != null) {
            body.put("code", e.code());
        }
        if (!e.findings().isEmpty()) {
            body.set("findings", Json.findings(e.findings()));
        }
        ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
        ctx.status(e.status()).contentType(PROBLEM_JSON).result(Json.bytes(body));
    }

    private byte[] body(Context ctx) throws IOException {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported media type",
                    "send the body as application/json, not " + (type == null ? "no content type" : type));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "request too large", "the request body is " + declared
                    + " bytes; this server accepts at most " + config.maxBodyBytes());
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return Json.readBounded(in, config.maxBodyBytes());
        }
    }

    // ------------------------------------------------------------------------------------------ handlers

    private void health(Context ctx) {
        Head head = ledger.head();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("ledger", ledger.id().value());
        body.put("suite", ledger.suite().wire());
        body.put("size", head.size());
        body.put("head", head.hash().hex());
        ctx.json(body);
    }

    private void openApi(Context ctx) throws IOException {
        try (InputStream in = CustodyServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    /** A fully signed record in one request: {@code {"record": {...}, "signatures": [{"key", "sig"}]}}. */
    private void postRecord(Context ctx, Caller caller) throws IOException {
        byte[] raw = body(ctx);
        // the record as its signers signed it, canonical, is decoded from its own bytes; any other body is read
        // the general way (a tree, canonicalised), which also names whatever is wrong with it
        Json.Split split = Json.split(raw, "record");
        SignedRecord unsigned = split == null ? null : decodeQuietly(split.member());
        Record record = unsigned == null ? null : unsigned.record();
        Body b = new Body(record != null ? split.object() : Json.object(raw), "");
        ObjectNode recordNode = b.rawObject("record");
        List<Signature> signatures = b.array("signatures", true, SignedRecord.MAX_SIGNATURES, e -> {
            Body s = e.object();
            KeyId key = s.convert("key", KeyId::of, s.text("key"));
            Signature sig = s.convert("sig", v -> Signature.fromBase64(key, v), s.text("sig"));
            s.done();
            return sig;
        });
        b.done();
        if (record == null) {
            unsigned = decode(recordNode);
            record = unsigned.record();
        }
        authorizeRecord(caller, record);
        SignedRecord signed;
        try {
            // the record keeps the canonical bytes it was decoded from: no second canonicalisation
            signed = unsigned.withAll(signatures);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw ApiException.badRequest("signatures: " + e.getMessage());
        }
        Appended appended = await(committer.submit(signed), record);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", record.id().value());
        out.put("seq", appended.seq());
        out.put("hash", appended.hash().hex());
        out.put("alreadyPresent", appended.alreadyPresent());
        out.set("findings", Json.findings(appended.findings()));
        ctx.status(appended.alreadyPresent() ? HttpStatus.OK : HttpStatus.CREATED).json(out);
    }

    /** The record in canonical {@code bytes}, or {@code null} if they are not one (the general way then says why). */
    private static SignedRecord decodeQuietly(byte[] bytes) {
        try {
            return SignedRecord.decodeUnsigned(bytes);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The record in a JSON tree in any key order and spacing: canonicalised, then decoded strictly. */
    private static SignedRecord decode(ObjectNode recordNode) {
        try {
            return SignedRecord.decodeUnsigned(Canonical.bytes(recordNode));
        } catch (MalformedRecordException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "malformed record", "record" + (e.path().isEmpty() ? "" : ".")
                    + e.getMessage(), FindingCode.I01.name(), List.of());
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "malformed record", "record: " + e.getMessage(), FindingCode.I01.name(), List.of());
        }
    }

    private Appended await(CompletableFuture<Appended> future, Record record) {
        try {
            Appended a = future.get(STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            metrics.record(record.type(), a.alreadyPresent() ? "already_present" : "stored");
            return a;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "the server is stopping; retry (retries never record twice)");
        } catch (TimeoutException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "store slow", "the ledger did not answer within "
                    + STORE_WAIT.toSeconds() + " s; the record may still be stored: retry, retries never record twice");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AppendRefusedException r) {
                metrics.record(record.type(), "refused");
                throw ApiException.refused(r);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Officers post handoffs, incidents and registrations of their sites' bags; admins post everything but a genesis. */
    private void authorizeRecord(Caller caller, Record record) {
        if (record instanceof Genesis) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "genesis", "a ledger has exactly one genesis record, its first",
                    FindingCode.I01.name(), List.of());
        }
        if (caller.has(ApiRole.ADMIN)) {
            return;
        }
        List<Bag> bags = new ArrayList<>();
        if (record instanceof Registration r) {
            bags.addAll(r.bags());
        } else if (record instanceof Handoff || record instanceof Incident) {
            for (BagMove m : record.moves()) {
                bags.add(index.bag(m.bag()).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown bag",
                        "bag " + m.bag() + " is not registered in ledger " + ledger.id(), FindingCode.I07.name(), List.of())));
            }
        } else {
            throw ApiException.forbidden("a " + record.type() + " record is posted by an admin");
        }
        for (Bag bag : bags) {
            if (!caller.worksAt(bag)) {
                throw ApiException.forbidden("bag " + bag.id() + " belongs to site " + (bag.site() == null ? "(none)" : bag.site())
                        + ", which is not one of token " + caller.name() + "'s sites");
            }
        }
    }

    private void openDraft(Context ctx, Caller caller) throws IOException {
        byte[] raw = body(ctx);
        Drafts.Opened opened = drafts.open(caller, raw, new Body(Json.object(raw), ""));
        ctx.status(opened.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header("Location", API + "/drafts/" + opened.draft().id)
                .json(draftView(opened.draft()));
    }

    private void postSignature(Context ctx, Caller caller) throws IOException {
        Body b = new Body(Json.object(body(ctx)), "");
        KeyId key = b.convert("key", KeyId::of, b.text("key"));
        Signature sig = b.convert("sig", v -> Signature.fromBase64(key, v), b.text("sig"));
        b.done();
        ctx.json(draftView(drafts.sign(caller, ctx.pathParam("id"), sig)));
    }

    private ObjectNode draftView(Draft d) {
        synchronized (d) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("id", d.id);
            o.put("state", d.state.wire());
            o.put("owner", d.owner);
            o.put("opened", d.opened.toString());
            o.put("expires", d.expires.toString());
            o.set("record", Json.record(d.record));
            o.put("signedBytes", Base64.getEncoder().encodeToString(d.signedBytes));
            ArrayNode parties = o.putArray("parties");
            for (var p : d.record.parties()) {
                ObjectNode po = parties.addObject().put("person", p.value());
                Signature s = d.signatures.get(p);
                po.put("signed", s != null);
                if (s != null) {
                    po.put("key", s.key().hex());
                }
            }
            ArrayNode missing = o.putArray("missing");
            d.missing().forEach(p -> missing.add(p.value()));
            if (d.appended != null) {
                o.putObject("entry").put("seq", d.appended.seq()).put("hash", d.appended.hash().hex())
                        .put("alreadyPresent", d.appended.alreadyPresent());
                o.set("findings", Json.findings(d.appended.findings()));
            }
            if (!d.refusal.isEmpty()) {
                o.set("refusal", Json.findings(d.refusal));
            }
            return o;
        }
    }

    private void history(Context ctx, Caller caller) {
        BagId id;
        try {
            id = BagId.of(ctx.pathParam("bag"));
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Bag bag = index.bag(id).orElseThrow(() -> ApiException.notFound("unknown bag", "bag " + id + " is not in ledger " + ledger.id()));
        if (!caller.canRead(bag)) {
            throw ApiException.forbidden("bag " + id + " belongs to site " + (bag.site() == null ? "(none)" : bag.site())
                    + "; token " + caller.name() + " reads only its own sites' bags");
        }
        List<Entry> entries = ledger.history(id);
        ObjectNode body = Json.MAPPER.createObjectNode().put("bag", id.value());
        body.put("head", entries.isEmpty() ? null : entries.get(entries.size() - 1).hash(ledger.suite().hash()).hex());
        ArrayNode list = body.putArray("entries");
        for (Entry entry : entries) {
            list.add(Json.tree(entry.canonicalBytes()));
        }
        ctx.json(body);
    }

    private void people(Context ctx, Caller caller) {
        index.refresh();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map.Entry<Person, List<LedgerIndex.KeyInfo>> e : index.people()) {
            Person p = e.getKey();
            ObjectNode o = out.addObject();
            o.put("id", p.id().value());
            o.put("name", p.name());
            ArrayNode roles = o.putArray("roles");
            p.roles().stream().map(Role::wire).sorted().forEach(roles::add);
            if (p.site() != null) o.put("site", p.site());
            if (caller.seesDetails()) {
                if (p.organisation() != null) o.put("organisation", p.organisation());
                if (!p.recusals().isEmpty()) {
                    ArrayNode rs = o.putArray("recusals");
                    for (Recusal r : p.recusals()) {
                        rs.addObject().put("exam", r.exam()).put("reason", r.reason());
                    }
                }
            }
            ArrayNode keys = o.putArray("keys");
            for (LedgerIndex.KeyInfo k : e.getValue()) {
                ObjectNode ko = keys.addObject().put("id", k.id().hex()).put("alg", k.key().algorithm().wire())
                        .put("public", k.key().base64()).put("enrolledSeq", k.enrolledSeq());
                if (k.revokedFrom() != null) ko.put("revokedFrom", k.revokedFrom().toString());
            }
        }
        ctx.json(Json.MAPPER.createObjectNode().set("people", out));
    }

    /** The audit report of the whole ledger (docs/formats.md section 8), recomputed when the ledger has grown. */
    private void findings(Context ctx, Caller caller) {
        Head head = ledger.head();
        CachedReport cached = report;
        if (cached == null || !cached.head().equals(head)) {
            cached = new CachedReport(head, ReportWriter.json(ledger.verify()));
            report = cached;
        }
        ctx.contentType("application/json").result(cached.json());
    }

    // ------------------------------------------------------------------------------------------ launcher

    /**
     * {@code java -jar custody-server.jar --ledger FILE [--port N] [--host H] [--tokens FILE] [--config FILE] ...}
     * serves a ledger; {@code java -jar custody-server.jar new-token --roles R --name NAME [--sites S]} makes a token.
     */
    public static void main(String[] args) {
        System.exit(Launcher.run(args, System.getenv(), System.out, System.err));
    }
}
