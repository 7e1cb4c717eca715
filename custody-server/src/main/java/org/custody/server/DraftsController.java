package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.Base64;
import org.custody.crypto.Signature;

/**
 * The drafts resource: open a handoff draft, read it and its exact bytes to sign, post one party's signature,
 * cancel it. Bodies are bound strictly ({@link DraftRequest}, {@link SignatureRequest}); what a draft may become is
 * {@link Drafts}'s.
 */
final class DraftsController {
    private final Drafts drafts;
    private final long maxBodyBytes;

    DraftsController(Drafts drafts, long maxBodyBytes) {
        this.drafts = drafts;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code POST /api/v1/drafts}. */
    void open(Context ctx, Caller caller) throws IOException {
        byte[] raw = Requests.json(ctx, maxBodyBytes);
        DraftRequest request = DraftRequest.read(new Body(Json.object(raw), ""));
        Drafts.Opened opened = drafts.open(caller, raw, request);
        ctx.status(opened.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .header("Location", AppFactory.API + "/drafts/" + opened.draft().id)
                .json(view(opened.draft()));
    }

    /**
     * {@code POST /api/v1/drafts/preflight}: the body of an open, answered with the record as it would be opened (bags
     * linked, sealed containers' contents carried), its exact bytes to sign, and what the custody rules find now:
     * {@code refusals} (the ledger would refuse it) and {@code warnings} (recorded with it). Nothing is opened or stored.
     */
    void preflight(Context ctx, Caller caller) throws IOException {
        DraftRequest request = DraftRequest.read(new Body(Json.object(Requests.json(ctx, maxBodyBytes)), ""));
        org.custody.ledger.Draft draft = drafts.preflight(caller, request);
        java.util.List<org.custody.audit.Finding> refusals = draft.refusals();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("record", Json.record(draft.record()));
        o.put("signedBytes", Base64.getEncoder().encodeToString(draft.signedBytes()));
        o.set("refusals", Json.findings(refusals));
        o.set("warnings", Json.findings(draft.preflight().stream().filter(f -> !refusals.contains(f)).toList()));
        ctx.json(o);
    }

    /** {@code GET /api/v1/drafts/{id}}. */
    void get(Context ctx, Caller caller) {
        ctx.json(view(drafts.get(caller, ctx.pathParam("id"))));
    }

    /** {@code GET /api/v1/drafts/{id}/signed-bytes}: the exact bytes to sign, raw. */
    void signedBytes(Context ctx, Caller caller) {
        ctx.contentType("application/octet-stream").result(drafts.get(caller, ctx.pathParam("id")).signedBytes);
    }

    /** {@code POST /api/v1/drafts/{id}/signatures}: one party's {@code {"key", "sig"}}. */
    void sign(Context ctx, Caller caller) throws IOException {
        Signature sig = SignatureRequest.read(new Body(Json.object(Requests.json(ctx, maxBodyBytes)), "")).signature();
        ctx.json(view(drafts.sign(caller, ctx.pathParam("id"), sig)));
    }

    /** {@code DELETE /api/v1/drafts/{id}}. */
    void cancel(Context ctx, Caller caller) {
        ctx.json(view(drafts.cancel(caller, ctx.pathParam("id"))));
    }

    private static ObjectNode view(Draft d) {
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
}
