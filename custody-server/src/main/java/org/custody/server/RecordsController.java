package org.custody.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custody.audit.FindingCode;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.record.BagMove;
import org.custody.record.Canonical;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.MalformedRecordException;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.crypto.Signature;
import org.custody.failure.MalformedInputException;
import org.custody.record.SignedRecord;

/**
 * {@code POST /api/v1/records}: a fully signed record in one request, {@code {"record": {...}, "signatures":
 * [{"key", "sig"}]}}. The record is bound by the core's strict codec (canonical times, no nulls, no unknown fields),
 * the signatures by {@link SignatureRequest}; the committer stores it in a group commit.
 */
final class RecordsController {
    private static final Duration STORE_WAIT = Duration.ofSeconds(30);

    private final Ledger ledger;
    private final LedgerIndex index;
    private final Committer committer;
    private final Metrics.OfLedger metrics;
    private final long maxBodyBytes;

    RecordsController(Ledger ledger, LedgerIndex index, Committer committer, Metrics.OfLedger metrics, long maxBodyBytes) {
        this.ledger = ledger;
        this.index = index;
        this.committer = committer;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    void post(Context ctx, Caller caller) throws IOException {
        byte[] raw = Requests.json(ctx, maxBodyBytes);
        // the record as its signers signed it, canonical, is decoded from its own bytes; any other body is read
        // the general way (a tree, canonicalised), which also names whatever is wrong with it
        Json.Split split = Json.split(raw, "record");
        SignedRecord unsigned = split == null ? null : decodeQuietly(split.member());
        Record record = unsigned == null ? null : unsigned.record();
        Body b = new Body(record != null ? split.object() : Json.object(raw), "");
        ObjectNode recordNode = b.rawObject("record");
        List<Signature> signatures = b.array("signatures", true, SignedRecord.MAX_SIGNATURES,
                e -> SignatureRequest.read(e.object()).signature());
        b.done();
        if (record == null) {
            unsigned = decode(recordNode);
            record = unsigned.record();
        }
        authorize(caller, record);
        SignedRecord signed;
        try {
            // the record keeps the canonical bytes it was decoded from: no second canonicalisation
            signed = unsigned.withAll(signatures);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw ApiException.badRequest("signatures: " + e.getMessage(), "signatures 有误（详见英文说明）");
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
                    + e.getMessage(), FindingCode.I01.name(), List.of()).zh("记录格式不对（详见英文说明）");
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "malformed record", "record: " + e.getMessage(), FindingCode.I01.name(),
                    List.of()).zh("记录格式不对（详见英文说明）");
        }
    }

    private Appended await(CompletableFuture<Appended> future, Record record) {
        try {
            Appended a = future.get(STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            metrics.record(record.type(), a.alreadyPresent() ? "already_present" : "stored");
            return a;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "the server is stopping; retry (retries never record twice)")
                    .zh("服务器正在停止；请重试（重试不会重复记录）");
        } catch (TimeoutException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "store slow", "the ledger did not answer within "
                    + STORE_WAIT.toSeconds() + " s; the record may still be stored: retry, retries never record twice")
                    .zh("账本未在 " + STORE_WAIT.toSeconds() + " 秒内应答，记录可能仍会存储；请重试（重试不会重复记录）");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AppendRefusedException r) {
                metrics.record(record.type(), "refused");
                throw ApiException.refused(r).meanwhile(ledger, record);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Officers post handoffs, incidents and registrations of their sites' bags; admins post everything but a genesis. */
    private void authorize(Caller caller, Record record) {
        if (record instanceof Genesis) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "genesis", "a ledger has exactly one genesis record, its first",
                    FindingCode.I01.name(), List.of()).zh("账本只有一条创世记录，即第一条");
        }
        if (caller.has(ApiRole.ADMIN)) {
            return;
        }
        List<Bag> bags = new ArrayList<>();
        if (record instanceof Registration r) {
            if (!r.places().isEmpty()) {
                // registering a vault or room turns R24 on for the whole ledger, or makes a typed-wrong id a real place
                throw ApiException.forbidden("places (vaults, exam rooms) are registered by an admin")
                        .zh("保密室、考场等地点只能由管理员登记");
            }
            bags.addAll(r.bags());
        } else if (record instanceof Handoff || record instanceof Incident) {
            for (BagMove m : record.moves()) {
                bags.add(index.bag(m.bag()).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown bag",
                        "bag " + m.bag() + " is not registered in ledger " + ledger.id(), FindingCode.I07.name(), List.of())
                        .zh("袋 " + m.bag() + " 未在账本 " + ledger.id() + " 中登记")));
            }
        } else {
            throw ApiException.forbidden("a " + record.type() + " record is posted by an admin").zh("此类记录只能由管理员提交");
        }
        for (Bag bag : bags) {
            if (!caller.worksAt(bag)) {
                throw ApiException.forbidden("bag " + bag.id() + " belongs to site " + (bag.site() == null ? "(none)" : bag.site())
                        + ", which is not one of token " + caller.name() + "'s sites")
                        .zh("袋 " + bag.id() + " 不属于此令牌的考点");
            }
        }
    }
}
