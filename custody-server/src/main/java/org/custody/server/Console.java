package org.custody.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.server.console.ConsoleQueries;
import org.custody.server.console.Urls;
import org.custody.server.console.ConsoleQueries.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspector console (docs/console.md): server-rendered pages under {@code /console}, from templates compiled at
 * build time (jte, HTML-escaped), over each ledger's {@link ConsoleQueries}. A browser signs in by posting a token
 * once; it then holds only a session cookie (HttpOnly, SameSite=Strict, path {@code /console}). A request may also
 * carry {@code Authorization: Bearer}. Every {@code POST} must come from a page of this server (its {@code Origin}),
 * so no other site can sign a browser in or out. Pages answer 401 with the sign-in form without a session, and say
 * "not found" alike of a bag that does not exist and of one the token may not read.
 */
final class Console {
    static final String ROOT = "/console";
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    /** Open event streams at once: each may hold a server thread, and the API needs its threads. */
    private static final int MAX_EVENT_CLIENTS = 64;
    private static final Set<String> ASSETS = Set.of("console.css", "console.js");
    /** Headers every console answer carries: no framing, scripts and styles from this server only, no caching. */
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                    + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin",
            "Cache-Control", "no-store");

    private final Map<String, org.custody.ledger.Ledger> ledgers = new LinkedHashMap<>();
    private final boolean several;
    private final Tokens tokens;
    /** A one-time sign-in link's secret ({@code custody view}), or {@code null}; used up at its first use. */
    private final java.util.concurrent.atomic.AtomicReference<String> ticket = new java.util.concurrent.atomic.AtomicReference<>();
    private Caller ticketCaller;
    private final ConsoleSessions sessions;
    private final Map<String, ConsoleQueries> queries = new LinkedHashMap<>();
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Map<SseClient, String> listeners = new ConcurrentHashMap<>();
    private ScheduledExecutorService watcher;

    /** The console of a server's ledgers, in the order it serves them. */
    Console(Exams exams, Tokens tokens, Clock clock) {
        this(exams.all().stream().collect(java.util.stream.Collectors.toMap(e -> e.id, e -> e.consoleQueries,
                (a, b) -> a, LinkedHashMap::new)), exams.all().stream().map(e -> e.ledger).toList(), tokens, clock);
    }

    Console(Map<String, ConsoleQueries> queries, List<org.custody.ledger.Ledger> ledgers, Tokens tokens, Clock clock) {
        this.queries.putAll(queries);
        ledgers.forEach(l -> this.ledgers.put(l.id().value(), l));
        this.several = ledgers.size() > 1;
        this.tokens = tokens;
        this.sessions = new ConsoleSessions(clock);
    }

    /**
     * A link that signs one browser in as {@code caller} once ({@code /console/ticket/<secret>}): what
     * {@code custody view} opens, so no token is typed. The secret is 32 random bytes; it is used up at its first use.
     */
    String ticket(Caller caller) {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ticketCaller = caller;
        ticket.set(secret);
        return ROOT + "/ticket/" + secret;
    }

    private void useTicket(Context ctx) {
        String given = ctx.pathParam("secret");
        String secret = ticket.get();
        if (secret == null || !java.security.MessageDigest.isEqual(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8)) || !ticket.compareAndSet(secret, null)) {
            throw new ProblemException(401, "此登录链接无效或已用过", "this sign-in link is not valid or was used already");
        }
        startSession(ctx, ticketCaller);
        ctx.redirect(ROOT + "/", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Adds the console's routes to {@code app}, and stops its event watcher with the server. */
    void register(Javalin app) {
        add(app, HandlerType.GET, ROOT, this::home);
        add(app, HandlerType.GET, ROOT + "/", this::home);
        add(app, HandlerType.GET, ROOT + "/login", ctx -> page(ctx, 200, "console/login.jte", Map.of("next", next(ctx), "problem", "")));
        add(app, HandlerType.POST, ROOT + "/login", this::login);
        add(app, HandlerType.POST, ROOT + "/logout", this::logout);
        add(app, HandlerType.GET, ROOT + "/ticket/{secret}", this::useTicket);
        add(app, HandlerType.GET, ROOT + "/assets/{name}", this::asset);
        add(app, HandlerType.GET, ROOT + "/{ledger}/board", this::board);
        add(app, HandlerType.GET, ROOT + "/{ledger}/search", this::search);
        add(app, HandlerType.GET, ROOT + "/{ledger}/bags/{bag}", this::bag);
        add(app, HandlerType.GET, ROOT + "/{ledger}/bags/{bag}/evidence", this::evidence);
        add(app, HandlerType.GET, ROOT + "/{ledger}/events", this::events);
        add(app, HandlerType.GET, ROOT + "/{ledger}/findings", this::findings);
        add(app, HandlerType.GET, ROOT + "/{ledger}/reconciliation", this::reconciliation);
        add(app, HandlerType.GET, ROOT + "/{ledger}/integrity", ctx -> integrity(ctx, null));
        add(app, HandlerType.POST, ROOT + "/{ledger}/integrity", this::verify);
        app.events(e -> e.serverStopping(this::close));
    }

    @FunctionalInterface
    private interface Page {
        void handle(Context ctx) throws Exception;
    }

    private record Problem(int status, String chinese, String english) {}

    /** Thrown by a page to answer with the error page. */
    private static final class ProblemException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Problem problem;

        ProblemException(int status, String chinese, String english) {
            super(english);
            this.problem = new Problem(status, chinese, english);
        }
    }

    private void add(Javalin app, HandlerType method, String path, Page page) {
        app.addHttpHandler(method, path, ctx -> {
            HEADERS.forEach(ctx::header);
            try {
                page.handle(ctx);
            } catch (MalformedInputException e) {
                error(ctx, new Problem(400, "输入有误", e.getMessage()));
            } catch (ProblemException e) {
                if (e.problem.status() == 401) {
                    page(ctx, 401, "console/login.jte", Map.of("next", ctx.path(), "problem", e.problem.chinese() + " / "
                            + e.problem.english()));
                } else {
                    error(ctx, e.problem);
                }
            } catch (RuntimeException e) {
                LOG.warn("console page {} failed", ctx.path(), e);
                error(ctx, new Problem(500, "服务器内部错误，请查看服务器日志", "the server failed to answer this page; see its log"));
            }
        });
    }

    // ---- signing in ----

    private void login(Context ctx) {
        sameOrigin(ctx);
        String token = ctx.formParam("token");
        Optional<Caller> caller = token == null || token.length() > 512 ? Optional.empty() : tokens.authenticate(token.strip());
        if (caller.isEmpty()) {
            page(ctx, 401, "console/login.jte", Map.of("next", next(ctx), "problem",
                    "此服务器不认识这个令牌 / this server does not know that token"));
            return;
        }
        startSession(ctx, caller.get());
        ctx.redirect(next(ctx), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void startSession(Context ctx, Caller caller) {
        String id = sessions.open(caller);
        ctx.header("Set-Cookie", ConsoleSessions.COOKIE + "=" + id + "; Path=" + ROOT + "; HttpOnly; SameSite=Strict; Max-Age="
                + ConsoleSessions.LIFETIME.toSeconds() + (secure(ctx) ? "; Secure" : ""));
    }

    private void logout(Context ctx) {
        sameOrigin(ctx);
        sessions.close(ctx.cookie(ConsoleSessions.COOKIE));
        ctx.header("Set-Cookie", ConsoleSessions.COOKIE + "=; Path=" + ROOT + "; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.redirect(ROOT + "/login", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Where to go after signing in: a console path of this server only (never another site). */
    private static String next(Context ctx) {
        String next = ctx.method() == HandlerType.POST ? ctx.formParam("next") : ctx.queryParam("next");
        if (next == null || !next.startsWith(ROOT + "/") || next.startsWith(ROOT + "//") || next.contains("\\")
                || next.length() > 512 || next.chars().anyMatch(Character::isISOControl) || next.startsWith(ROOT + "/login")) {
            return ROOT + "/";
        }
        return next;
    }

    /** Refuses a {@code POST} that another site's page made (CSRF): its {@code Origin} must be this server's. */
    private static void sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        boolean ok = origin != null ? host != null && (origin.equals("http://" + host) || origin.equals("https://" + host))
                : fetchSite == null || fetchSite.equals("same-origin") || fetchSite.equals("none");
        if (!ok) {
            throw new ProblemException(403, "请求不是来自本服务器的页面，已拒绝", "a form posted from another site's page is refused");
        }
    }

    private static boolean secure(Context ctx) {
        return ctx.scheme().equals("https");
    }

    /** The caller of this request: its session cookie, else its bearer token; 401 without either. */
    private Caller caller(Context ctx) {
        Optional<Caller> caller = sessions.caller(ctx.cookie(ConsoleSessions.COOKIE));
        String header = ctx.header("Authorization");
        if (caller.isEmpty() && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && header.length() <= 519) {
            caller = tokens.authenticate(header.substring(7).strip());
        }
        return caller.orElseThrow(() -> new ProblemException(401, "请先用令牌登录", "sign in with a token first"));
    }

    // ---- pages ----

    private void home(Context ctx) {
        Caller caller = caller(ctx);
        List<String> usable = ledgers.keySet().stream().filter(id -> caller.mayUse(id, several)).toList();
        if (usable.size() == 1) {
            ctx.redirect(ROOT + "/" + Urls.segment(usable.get(0)) + "/board", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        page(ctx, 200, "console/home.jte", Map.of("ledgers", usable, "caller", caller.name()));
    }

    private void board(Context ctx) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        page(ctx, 200, "console/board.jte", Map.of("board", queries.get(ledger).board(caller.scope()), "caller", caller.name()));
    }

    private void search(Context ctx) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        int page = ConsoleQueries.page(ctx.queryParam("page"));
        ConsoleQueries.SearchResult result = queries.get(ledger).search(caller.scope(), ctx.queryParam("q"), page);
        if (result.bag() != null) {
            ctx.redirect(Urls.bag(ledger, result.bag()), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        page(ctx, 200, "console/search.jte", Map.of("ledger", ledger, "result", result, "caller", caller.name()));
    }

    private void bag(Context ctx) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        BagId id = bagId(ctx);
        ConsoleQueries.Story story = queries.get(ledger).story(caller.scope(), id).orElseThrow(() -> notFound(id));
        page(ctx, 200, "console/bag.jte", Map.of("ledger", ledger, "story", story, "caller", caller.name()));
    }

    private void findings(Context ctx) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        ConsoleQueries.FindingFilter filter = new ConsoleQueries.FindingFilter(ctx.queryParam("code"), ctx.queryParam("severity"),
                ctx.queryParam("site"), ctx.queryParam("person"), ctx.queryParam("from"), ctx.queryParam("to"));
        page(ctx, 200, "console/findings.jte", Map.of("ledger", ledger, "findings", queries.get(ledger).findings(caller.scope(), filter,
                ctx.queryParam("after")),
                "caller", caller.name()));
    }

    private void reconciliation(Context ctx) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        page(ctx, 200, "console/reconciliation.jte", Map.of("ledger", ledger,
                "reconciliation", queries.get(ledger).reconciliation(caller.scope()), "caller", caller.name()));
    }

    /** The integrity page: the whole ledger's, so for inspectors and admins only. */
    private void integrity(Context ctx, ConsoleQueries.Verification verification) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        if (!caller.scope().everything()) {
            throw new ProblemException(403, "完整性页面只供监察员和管理员查看", "the integrity page is for inspector and admin tokens");
        }
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("ledger", ledger);
        params.put("integrity", queries.get(ledger).integrity());
        params.put("verification", verification);
        params.put("caller", caller.name());
        page(ctx, 200, "console/integrity.jte", params);
    }

    /** {@code POST integrity}: a full verification, or one against a pasted kept checkpoint ({@code kept}). */
    private void verify(Context ctx) {
        sameOrigin(ctx);
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        if (!caller.scope().everything()) {
            throw new ProblemException(403, "完整性页面只供监察员和管理员查看", "the integrity page is for inspector and admin tokens");
        }
        String kept = ctx.formParam("kept");
        ConsoleQueries q = queries.get(ledger);
        integrity(ctx, kept == null ? q.verify() : q.verifyAgainst(kept));
    }

    private void evidence(Context ctx) throws java.io.IOException {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        BagId id = bagId(ctx);
        queries.get(ledger).bag(caller.scope(), id).orElseThrow(() -> notFound(id));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.custody.ledger.bundle.Evidence.export(ledgers.get(ledger).file(), id, out);
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + id.value().replaceAll("[^A-Za-z0-9._-]", "_") + ".evidence\"");
        ctx.result(out.toByteArray());
    }

    /** {@code text/event-stream}: a {@code head} event whenever the ledger grows, a {@code tick} each half minute. */
    private void events(Context ctx) {
        Caller caller = caller(ctx);
        String ledger = ledger(ctx, caller);
        if (listeners.size() >= MAX_EVENT_CLIENTS) {
            throw new ProblemException(503, "实时更新的连接已满，请稍后再试", "too many live-update connections; try again later");
        }
        new SseHandler(client -> {
            listeners.put(client, ledger);
            client.onClose(() -> listeners.remove(client));
            startWatching();
            client.sendEvent("head", Long.toString(ledgers.get(ledger).head().size()));
            client.keepAlive();
        }).handle(ctx);
    }

    private synchronized void startWatching() {
        if (watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-events");
            t.setDaemon(true);
            return t;
        });
        Map<String, Long> seen = new ConcurrentHashMap<>();
        long[] ticks = {0};
        watcher.scheduleWithFixedDelay(() -> {
            try {
                ticks[0]++;
                for (Map.Entry<String, org.custody.ledger.Ledger> l : ledgers.entrySet()) {
                    long size = l.getValue().head().size();
                    Long before = seen.put(l.getKey(), size);
                    if (before != null && before != size) {
                        send(l.getKey(), "head", Long.toString(size));
                    }
                }
                if (ticks[0] % 60 == 0) {
                    ledgers.keySet().forEach(id -> send(id, "tick", ""));
                }
            } catch (RuntimeException e) {
                LOG.warn("console events: {}", e.toString());
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void send(String ledger, String event, String data) {
        listeners.forEach((client, l) -> {
            if (l.equals(ledger)) {
                if (client.terminated()) {
                    listeners.remove(client);
                } else {
                    client.sendEvent(event, data);
                }
            }
        });
    }

    private synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
        listeners.keySet().forEach(SseClient::close);
        listeners.clear();
    }

    private void asset(Context ctx) throws java.io.IOException {
        String name = ctx.pathParam("name");
        if (!ASSETS.contains(name)) {
            throw new ProblemException(404, "没有此文件", "no such file");
        }
        try (InputStream in = Console.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server's resources");
            }
            ctx.contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
            ctx.header("Cache-Control", "max-age=300");
            ctx.result(in.readAllBytes());
        }
    }

    // ---- helpers ----

    /** The ledger the path names, if the caller may use it; else 404 alike for one that does not exist. */
    private String ledger(Context ctx, Caller caller) {
        String id = ctx.pathParam("ledger");
        if (!queries.containsKey(id) || !caller.mayUse(id, several)) {
            throw new ProblemException(404, "没有此账本，或此令牌不能使用它", "no such ledger, or this token may not use it");
        }
        return id;
    }

    private static BagId bagId(Context ctx) {
        String text = ctx.pathParam("bag");
        try {
            return BagId.of(text);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ProblemException(400, "袋号格式不对", "that is not a bag id: " + e.getMessage());
        }
    }

    private static ProblemException notFound(BagId id) {
        return new ProblemException(404, "没有此袋，或此令牌不能查看它", "no bag " + id.value() + ", or this token may not read it");
    }

    private void error(Context ctx, Problem p) {
        page(ctx, p.status(), "console/error.jte", Map.of("status", p.status(), "chinese", p.chinese(), "english", p.english()));
    }

    private void page(Context ctx, int status, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        templates.render(template, params, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }
}
