package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.custody.audit.ReportWriter;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.record.Entry;

/** Read-only queries over the ledger: a bag's history, the people and their keys, the audit report. */
final class QueriesController {
    private final Ledger ledger;
    private final LedgerIndex index;
    private final org.custody.server.console.ConsoleQueries console;
    private volatile CachedReport report;

    private record CachedReport(Head head, String json) {}

    QueriesController(Ledger ledger, LedgerIndex index, org.custody.server.console.ConsoleQueries console) {
        this.ledger = ledger;
        this.index = index;
        this.console = console;
    }

    /** {@code GET /api/v1/board}: the console's exam-day board, as the caller may see it (docs/console.md). */
    void board(Context ctx, Caller caller) {
        ctx.json(console.board(caller.scope()));
    }

    /** {@code GET /api/v1/search?q=&page=}: the console's search, as the caller may see it (docs/console.md). */
    void search(Context ctx, Caller caller) {
        ctx.json(console.search(caller.scope(), ctx.queryParam("q"),
                org.custody.server.console.ConsoleQueries.page(ctx.queryParam("page"))));
    }

    /**
     * {@code GET /api/v1/bags/{bag}/history}: every entry that named the bag, stored form, the bag's head hash, the latest
     * checkpoint's size and signers, and for an inspector or admin the findings the ledger kept for the bag.
     */
    void history(Context ctx, Caller caller) {
        BagId id = readable(ctx, caller).id();
        List<Entry> entries = ledger.history(id);
        ObjectNode body = Json.MAPPER.createObjectNode().put("bag", id.value());
        body.put("head", entries.isEmpty() ? null : entries.get(entries.size() - 1).hash(ledger.suite().hash()).hex());
        ArrayNode list = body.putArray("entries");
        for (Entry entry : entries) {
            list.add(Json.tree(entry.canonicalBytes()));
        }
        if (caller.has(ApiRole.INSPECTOR) || caller.has(ApiRole.ADMIN)) {
            // the findings the ledger recorded when it appended the bag's entries (formats.md §7.2): no verification
            ledger.findings(id).ifPresent(kept -> {
                ArrayNode findings = body.putArray("findings");
                kept.forEach(f -> findings.add(Json.tree(org.custody.audit.FindingJson.bytes(f))));
            });
        }
        ledger.checkpoint(-1).ifPresent(note -> {
            ObjectNode c = body.putObject("checkpoint");
            c.put("size", org.custody.checkpoint.Checkpoint.parse(note.text()).size());
            ArrayNode signers = c.putArray("signers");
            note.signatures().forEach(sig -> signers.add(sig.name()));
        });
        ctx.json(body);
    }

    /** The bag of the path's {@code {bag}}: 400 if it is no bag id, 404 if unknown, 403 if the caller may not read it. */
    private Bag readable(Context ctx, Caller caller) {
        BagId id;
        try {
            id = BagId.of(ctx.pathParam("bag"));
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), "袋号格式不对（详见英文说明）");
        }
        Bag bag = index.bag(id).orElseThrow(() -> ApiException.notFound("unknown bag", "bag " + id + " is not in ledger " + ledger.id())
                .zh("账本 " + ledger.id() + " 中没有袋 " + id));
        if (!caller.canRead(bag)) {
            throw ApiException.forbidden("bag " + id + " belongs to site " + (bag.site() == null ? "(none)" : bag.site())
                    + "; token " + caller.name() + " reads only its own sites' bags")
                    .zh("袋 " + id + " 属于考点 " + (bag.site() == null ? "（无）" : bag.site()) + "；此令牌只能读取本考点的袋");
        }
        return bag;
    }

    /**
     * {@code GET /api/v1/bags/{bag}/contents}: the bags packed in the container now (and not taken out since), sorted, as
     * far as the caller may read them; an empty list for a bag that holds none.
     */
    void contents(Context ctx, Caller caller) {
        Bag box = readable(ctx, caller);
        ObjectNode body = Json.MAPPER.createObjectNode().put("bag", box.id().value());
        ArrayNode list = body.putArray("contents");
        for (BagId inside : ledger.contents(box.id())) {
            if (index.bag(inside).map(caller::canRead).orElse(false)) {
                list.add(inside.value());
            }
        }
        ctx.json(body);
    }

    /**
     * {@code GET /api/v1/places}: the places the ledger registered (vaults, exam rooms), sorted by id; an officer who does
     * not work at every site sees the places of no site and those of its own sites.
     */
    void places(Context ctx, Caller caller) {
        boolean all = caller.seesDetails() || caller.sites().contains(Caller.ALL_SITES);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (org.custody.model.RegisteredPlace p : ledger.places()) {
            if (all || p.site() == null || caller.sites().contains(p.site())) {
                ObjectNode o = out.addObject().put("id", p.id()).put("kind", p.kind().wire());
                if (p.name() != null) o.put("name", p.name());
                if (p.site() != null) o.put("site", p.site());
                if (p.room() != null) o.put("room", p.room());
            }
        }
        ctx.json(Json.MAPPER.createObjectNode().set("places", out));
    }

    /**
     * {@code GET /api/v1/policy}: for each exam the ledger names, the policy in force (its mode and the station idle time
     * in seconds), and {@code stationIdleSeconds}, the shortest of them (10 minutes when the ledger names no exam).
     */
    void policy(Context ctx, Caller caller) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode exams = body.putArray("exams");
        java.time.Duration shortest = null;
        for (String exam : ledger.exams()) {
            org.custody.model.Policy p = ledger.policy(exam);
            java.time.Duration idle = p.stationIdleAllowed();
            exams.addObject().put("exam", exam).put("mode", p.mode().wire()).put("stationIdleSeconds", idle.toSeconds());
            shortest = shortest == null || idle.compareTo(shortest) < 0 ? idle : shortest;
        }
        body.put("stationIdleSeconds", (shortest == null ? org.custody.model.Policy.STATION_IDLE : shortest).toSeconds());
        ctx.json(body);
    }

    /** {@code GET /api/v1/people}: enrolled people and their keys; secret details only for inspectors and admins. */
    void people(Context ctx, Caller caller) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map.Entry<Person, List<org.custody.ledger.EnrolledKey>> e : index.people()) {
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
            for (org.custody.ledger.EnrolledKey k : e.getValue()) {
                ObjectNode ko = keys.addObject().put("id", k.id().hex()).put("alg", k.key().algorithm().wire())
                        .put("public", k.key().base64()).put("enrolledSeq", k.enrolledSeq());
                if (k.revokedFrom() != null) ko.put("revokedFrom", k.revokedFrom().toString());
            }
        }
        ctx.json(Json.MAPPER.createObjectNode().set("people", out));
    }

    /** {@code GET /api/v1/findings}: the audit report of the whole ledger (formats.md section 8), recomputed when it grew. */
    void findings(Context ctx, Caller caller) {
        Head head = ledger.head();
        CachedReport cached = report;
        if (cached == null || !cached.head().equals(head)) {
            cached = new CachedReport(head, ReportWriter.json(ledger.verify()));
            report = cached;
        }
        ctx.contentType("application/json").result(cached.json());
    }
}
