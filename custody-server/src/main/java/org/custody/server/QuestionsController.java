package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.function.Function;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.audit.FindingJson;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.ledger.Page;
import org.custody.model.PersonId;
import org.custody.record.Entry;
import org.custody.rules.BagPosition;
import org.custody.rules.PositionJson;
import org.custody.store.BagQuery;

/**
 * Questions over many bags or entries, answered from the ledger's indexes in the size of the answer (docs/server.md,
 * "Questions"): bags by attribute and stage, how many stand at each step, what is overdue now, a person's, a seal's or a
 * place's entries, the findings kept of a code. The same {@link Ledger} methods answer the command line.
 */
final class QuestionsController {
    /** Items a page holds when the caller names no limit. */
    static final int DEFAULT_LIMIT = 100;

    private final Ledger ledger;

    QuestionsController(Ledger ledger) {
        this.ledger = ledger;
    }

    /** {@code GET /api/v1/bags?exam=&site=&room=&session=&subject=&kind=&stage=&step=&holder=&after=&limit=}. */
    void bags(Context ctx, Caller caller) {
        BagQuery query = query(ctx, caller);
        Page<BagPosition> page = ledger.bags(query, ctx.queryParam("after"), limit(ctx));
        ctx.json(page(page, p -> Json.tree(PositionJson.bytes(p))));
    }

    /** {@code GET /api/v1/bags/counts?...}: how many of the bags asked about stand at each step. */
    void counts(Context ctx, Caller caller) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode steps = body.putObject("steps");
        ledger.stepCounts(query(ctx, caller)).forEach(steps::put);
        ctx.json(body);
    }

    /** {@code GET /api/v1/bags/late?at=TIME}: what is overdue at that time (default: now), for the bags the caller reads. */
    void late(Context ctx, Caller caller) {
        String at = ctx.queryParam("at");
        Instant asOf;
        try {
            asOf = at == null ? Instant.now() : Instant.parse(at);
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest("at: not an ISO-8601 instant such as 2026-06-07T09:00:00Z: " + at,
                    "at 参数应为 ISO-8601 时间，如 2026-06-07T09:00:00Z");
        }
        ArrayNode findings = Json.MAPPER.createArrayNode();
        for (Finding f : ledger.overdue(asOf)) {
            boolean readable = f.bags().isEmpty() ? caller.seesDetails()
                    : f.bags().stream().allMatch(b -> ledger.position(b).map(p -> caller.canRead(p.bag())).orElse(false));
            if (readable) {
                findings.add(Json.tree(FindingJson.bytes(f)));
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("at", asOf.toString());
        body.set("findings", findings);
        ctx.json(body);
    }

    /** {@code GET /api/v1/entries?person=|seal=|place=&after=&limit=}: the entries found under one of them. */
    void entries(Context ctx, Caller caller) {
        String person = ctx.queryParam("person");
        String seal = ctx.queryParam("seal");
        String place = ctx.queryParam("place");
        int given = (person == null ? 0 : 1) + (seal == null ? 0 : 1) + (place == null ? 0 : 1);
        if (given != 1) {
            throw ApiException.badRequest("name exactly one of person, seal or place", "请给出且只给出 person、seal、place 之一");
        }
        String after = ctx.queryParam("after");
        int limit = limit(ctx);
        Page<Entry> page = person != null ? ledger.entriesOf(PersonId.of(person), after, limit)
                : seal != null ? ledger.entriesWithSeal(seal, after, limit) : ledger.entriesAt(place, after, limit);
        ctx.json(page(page, e -> Json.tree(e.canonicalBytes())));
    }

    /** {@code GET /api/v1/findings/kept?code=&after=&limit=}: the rule findings the ledger kept, in ledger order. */
    void keptFindings(Context ctx, Caller caller) {
        String code = ctx.queryParam("code");
        FindingCode c = null;
        if (code != null) {
            try {
                c = FindingCode.valueOf(code);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("code: not a finding code (R01-R25): " + code, "code 参数不是规则代码");
            }
        }
        ctx.json(page(ledger.findings(c, ctx.queryParam("after"), limit(ctx)), f -> Json.tree(FindingJson.bytes(f))));
    }

    /**
     * The question's attributes; an officer who may not read every site must name one of theirs (a page cannot leave out
     * what the token may not see without losing its place).
     */
    private static BagQuery query(Context ctx, Caller caller) {
        BagQuery query = new BagQuery(ctx.queryParam("exam"), ctx.queryParam("kind"), ctx.queryParam("site"),
                ctx.queryParam("room"), ctx.queryParam("session"), ctx.queryParam("subject"), ctx.queryParam("stage"),
                ctx.queryParam("step"), ctx.queryParam("holder"));
        if (!caller.seesDetails() && !caller.sites().contains(Caller.ALL_SITES)
                && (query.site() == null || !caller.sites().contains(query.site()))) {
            throw ApiException.forbidden("token " + caller.name() + " reads only the bags of its sites ("
                    + String.join(", ", new java.util.TreeSet<>(caller.sites())) + "): name one with ?site=")
                    .zh("此令牌只能读取本考点的袋，请用 ?site= 指明考点");
        }
        return query;
    }

    private static int limit(Context ctx) {
        String limit = ctx.queryParam("limit");
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new MalformedInputException("limit: not a number of items: " + limit + " / limit 参数应为条数");
        }
    }

    private static <T> ObjectNode page(Page<T> page, Function<T, com.fasterxml.jackson.databind.JsonNode> item) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("items");
        page.items().forEach(i -> items.add(item.apply(i)));
        body.put("next", page.next().orElse(null));
        return body;
    }
}
