package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;

/** What the CLI reads from a Custody server's ledger: its identity, people and keys, a bag's history, the findings. */
final class RemoteLedger {
    private final Api api;
    private LedgerId id;
    private Suite suite;

    RemoteLedger(Api api) {
        this.api = api;
    }

    Api api() {
        return api;
    }

    /** The ledger's id, from {@code GET /api/v1/health}. */
    LedgerId id() {
        health();
        return id;
    }

    /** The ledger's algorithm suite, from {@code GET /api/v1/health}. */
    Suite suite() {
        health();
        return suite;
    }

    private void health() {
        if (id == null) {
            String path = Api.V1 + "/health";
            JsonNode h = api.get(path);
            parsed(path, () -> {
                id = LedgerId.of(ServerJson.text(h, "ledger", true));
                suite = Suite.fromWire(ServerJson.text(h, "suite", true));
                return null;
            });
        }
    }

    ServerJson.People people() {
        String path = Api.V1 + "/people";
        JsonNode body = api.get(path);
        return parsed(path, () -> ServerJson.people(body));
    }

    /**
     * A bag's history as the server holds it, oldest first; its head hash is checked against the last entry.
     * {@code findings}: those the ledger kept for the bag, or {@code null} if the server sent none (a token that may not
     * read findings, a ledger that keeps none); {@code checkpoint}: the latest checkpoint, or {@code null}.
     */
    record History(List<Entry> entries, Hash head, List<org.custody.audit.Finding> findings, HistoryCommand.LatestCheckpoint checkpoint) {}

    History history(BagId bag) {
        String path = Api.V1 + "/bags/" + URLEncoder.encode(bag.value(), StandardCharsets.UTF_8) + "/history";
        JsonNode body = api.get(path);
        Suite s = suite();
        return parsed(path, () -> {
            List<Entry> entries = ServerJson.entries(body.path("entries"));
            String head = ServerJson.text(body, "head", false);
            Hash last = entries.isEmpty() ? null : entries.get(entries.size() - 1).hash(s.hash());
            if (last == null ? head != null : !last.hex().equals(head)) {
                throw new IllegalArgumentException("its head " + head + " is not the hash of its last entry");
            }
            List<org.custody.audit.Finding> findings = null;
            if (body.has("findings")) {
                findings = new java.util.ArrayList<>();
                for (JsonNode f : body.get("findings")) {
                    findings.add(org.custody.audit.FindingJson.parse(f.toString().getBytes(StandardCharsets.UTF_8)));
                }
            }
            HistoryCommand.LatestCheckpoint checkpoint = null;
            if (body.has("checkpoint")) {
                JsonNode c = body.get("checkpoint");
                List<String> signers = new java.util.ArrayList<>();
                c.path("signers").forEach(n -> signers.add(n.asText()));
                checkpoint = new HistoryCommand.LatestCheckpoint(c.path("size").asLong(), signers);
            }
            return new History(entries, last, findings, checkpoint);
        });
    }

    /** The findings of the whole ledger ({@code GET /api/v1/findings}, inspectors and admins). */
    List<Finding> findings() {
        String path = Api.V1 + "/findings";
        JsonNode body = api.get(path);
        return parsed(path, () -> ServerJson.findings(body.path("findings")));
    }

    /** {@code read} of the answer to {@code path}; anything that does not fit is a {@link ServerError} naming the URL. */
    <T> T parsed(String path, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw new ServerError("the server's answer to " + api.url(path) + " cannot be read: " + e.getMessage()
                    + "; is it a Custody server of a compatible version?", null);
        }
    }
}
