package org.custody.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.ledger.Head;

/**
 * The ledgers (exams) a server serves, by ledger id, and which of them a caller may use (docs/server.md, "Many exams on
 * one server"). Every route of a ledger is served as {@code /api/v1/ledgers/{ledger}/...}; with one ledger also as
 * {@code /api/v1/...}. A ledger a caller may not use answers exactly as one that does not exist (404), so a token of one
 * exam learns nothing of another beyond what {@code GET /api/v1/ledgers} shows it.
 */
final class Exams {
    /** The request attribute holding the {@link Exam} a route's gate resolved. */
    static final String EXAM = "custody.exam";
    /** The request attribute holding the id of the ledger the request reached (the metrics' {@code ledger} label). */
    static final String LEDGER = "custody.ledger";

    private final Map<String, Exam> byId = new LinkedHashMap<>();
    private final Metrics metrics;

    Exams(List<Exam> exams, Metrics metrics) {
        refuseSameId(exams.stream().map(e -> e.ledger).toList());
        for (Exam e : exams) {
            byId.put(e.id, e);
        }
        this.metrics = metrics;
    }

    /** Refuses two ledgers with one ledger id (before anything is opened for them): one ledger per exam. */
    static void refuseSameId(List<org.custody.ledger.Ledger> ledgers) {
        Map<String, org.custody.ledger.Ledger> seen = new LinkedHashMap<>();
        for (org.custody.ledger.Ledger l : ledgers) {
            org.custody.ledger.Ledger before = seen.putIfAbsent(l.id().value(), l);
            if (before != null) {
                throw new IllegalArgumentException("两个账本文件的账本标识相同（" + l.id() + "）：每场考试一个账本 / two ledger files have"
                        + " the same ledger id " + l.id() + " (" + before.file() + " and " + l.file()
                        + "): serve each ledger once; one ledger per exam");
            }
        }
    }

    List<Exam> all() {
        return List.copyOf(byId.values());
    }

    /** The exam of ledger {@code id}. */
    Exam get(String id) {
        return byId.get(id);
    }

    boolean several() {
        return byId.size() > 1;
    }

    /** The ledger ids {@code caller} may use, in the order the server was given them. */
    List<String> visible(Caller caller) {
        List<String> out = new ArrayList<>();
        for (String id : byId.keySet()) {
            if (caller == null || caller.mayUse(id, several())) {
                out.add(id);
            }
        }
        return out;
    }

    /** The exam a gate put on the request. */
    static Exam of(Context ctx) {
        Exam e = ctx.attribute(EXAM);
        if (e == null) {
            throw new IllegalStateException("no ledger resolved for " + ctx.path());
        }
        return e;
    }

    /**
     * The gate of a {@code /api/v1/ledgers/{ledger}/...} route, run after authentication and before the role check:
     * the ledger named in the path if the caller may use it. A token that names no exam on a server of several ledgers
     * is refused 403 whatever the id (saying how to scope it); an unknown id and a ledger outside the token's exams are
     * one and the same 404.
     */
    void prefixed(Context ctx, Caller caller) {
        String id = ctx.pathParam("ledger");
        if (caller != null && !caller.scoped() && several()) {
            throw ApiException.forbidden("token " + caller.name() + " names no exam, and this server serves several ledgers:"
                    + " give the token the exams it may use (exams=<ledger ids> in the token file, docs/server.md)")
                    .zh("令牌 " + caller.name() + " 未限定考试，而本服务器有多个账本：请在令牌文件中为其写明可用的考试（exams=<账本标识>）");
        }
        Exam exam = byId.get(id);
        if (exam == null || (caller != null && !caller.mayUse(id, several()))) {
            throw noSuchLedger(id);
        }
        put(ctx, exam);
    }

    /**
     * The gate of a {@code /api/v1/...} route of a ledger: the one ledger of a server of one; on a server of several, a
     * 400 naming the ledgers the caller may use and the route to use instead.
     */
    void single(Context ctx, Caller caller) {
        if (several()) {
            List<String> ids = visible(caller);
            String rest = ctx.path().startsWith(AppFactory.API) ? ctx.path().substring(AppFactory.API.length()) : ctx.path();
            String example = AppFactory.API + "/ledgers/" + (ids.isEmpty() ? "{ledger}" : ids.get(0)) + rest;
            throw ApiException.badRequest("this server serves several ledgers (one per exam); name the ledger in the path: "
                    + AppFactory.API + "/ledgers/{ledger}" + rest + ", e.g. " + example + ". Ledgers this token may use: "
                    + (ids.isEmpty() ? "none" : String.join(", ", ids)) + " (GET " + AppFactory.API + "/ledgers lists them)",
                    "本服务器有多个账本（每场考试一个），请在路径中写明账本：" + AppFactory.API + "/ledgers/{账本标识}" + rest + "，例如 "
                    + example + "。此令牌可用的账本：" + (ids.isEmpty() ? "无" : String.join("、", ids))
                    + "（GET " + AppFactory.API + "/ledgers 可列出）")
                    .with("ledgers", ids);
        }
        Exam exam = byId.values().iterator().next();
        if (caller != null && !caller.mayUse(exam.id, false)) {
            throw noSuchLedger(exam.id);
        }
        put(ctx, exam);
    }

    private static void put(Context ctx, Exam exam) {
        ctx.attribute(EXAM, exam);
        ctx.attribute(LEDGER, exam.id);
    }

    private static ApiException noSuchLedger(String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "no such ledger", "this server has no ledger " + id
                + " that this token may use (GET " + AppFactory.API + "/ledgers lists those it may)")
                .zh("本服务器没有此令牌可用的账本 " + id + "（GET " + AppFactory.API + "/ledgers 可列出可用的账本）");
    }

    /** {@code GET /api/v1/ledgers}: the ledgers the caller may use, each with its id, suite, size and head. */
    void list(Context ctx, Caller caller) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : visible(caller)) {
            Exam e = byId.get(id);
            Head head = e.ledger.head();
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("id", id);
            l.put("suite", e.ledger.suite().wire());
            l.put("size", head.size());
            l.put("head", head.hash().hex());
            out.add(l);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ledgers", out);
        ctx.json(body);
    }

    /**
     * {@code GET /api/v1/health}: the one ledger's health on a server of one; on a server of several, only that it is
     * up and how many ledgers it serves (the route is public, so it names none).
     */
    void health(Context ctx, Caller caller) {
        if (!several()) {
            Exam only = byId.values().iterator().next();
            ctx.attribute(LEDGER, only.id);
            only.health.health(ctx, caller);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("ledgers", byId.size());
        ctx.json(body);
    }

    /**
     * {@code GET /metrics}: every series when the route is public; for a caller, the series of the ledgers it may use
     * and those of no ledger.
     */
    void metrics(Context ctx, Caller caller) {
        byte[] body = caller == null ? metrics.scrape()
                : metrics.scrape(l -> l.isEmpty() || (byId.containsKey(l) && caller.mayUse(l, several())));
        ctx.contentType(metrics.contentType()).result(body);
    }

    /** {@code GET /api/v1/ledgers/{ledger}/metrics}: the series of that ledger only. */
    void ledgerMetrics(Context ctx, Caller caller) {
        String id = of(ctx).id;
        ctx.contentType(metrics.contentType()).result(metrics.scrape(id::equals));
    }
}
