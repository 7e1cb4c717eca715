package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.custody.audit.FindingCode;
import org.custody.audit.FindingJson;
import org.custody.ledger.Ledger;
import org.custody.ledger.Page;
import org.custody.model.PersonId;
import org.custody.rules.PositionJson;
import org.custody.store.BagQuery;

/**
 * The questions over many bags or entries (bags by attribute and stage, counts by step, what is overdue, a person's, a
 * seal's or a place's entries, the kept findings of a code), asked of a ledger file or of a server, with the answers
 * in one form: the JSON the server sends, which a file's answer is written as too. So the command line shows the same
 * for both, and its JSON output is the server's.
 */
interface Questions extends AutoCloseable {
    /** Items a page holds when a command walks every page. */
    int PAGE = 1000;

    Page<JsonNode> bags(BagQuery query, String after, int limit);

    Map<String, Long> stepCounts(BagQuery query);

    /** The overdue findings at {@code at} (as in docs/formats.md §7.2). */
    List<JsonNode> late(Instant at);

    /** Entries under {@code by} ({@code person}, {@code seal} or {@code place}) = {@code value}, in the stored form. */
    Page<JsonNode> entries(String by, String value, String after, int limit);

    Page<JsonNode> findings(FindingCode code, String after, int limit);

    @Override
    void close();

    /** The questions of the ledger {@code where} names: its file, or its server. */
    static Questions of(LedgerOrServer where) {
        if (where.remote()) {
            return new Remote(where.api());
        }
        return new Local(OpenLedgers.open(where.ledger));
    }

    /** A ledger file's answers, through the library. */
    final class Local implements Questions {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final OpenLedgers.Lease lease;
        private final Ledger ledger;

        Local(OpenLedgers.Lease lease) {
            this.lease = lease;
            this.ledger = lease.ledger();
        }

        @Override
        public Page<JsonNode> bags(BagQuery query, String after, int limit) {
            Page<org.custody.rules.BagPosition> page = ledger.bags(query, after, limit);
            return new Page<>(page.items().stream().map(p -> tree(PositionJson.bytes(p))).toList(), page.next());
        }

        @Override
        public Map<String, Long> stepCounts(BagQuery query) {
            return ledger.stepCounts(query);
        }

        @Override
        public List<JsonNode> late(Instant at) {
            return ledger.overdue(at).stream().map(f -> tree(FindingJson.bytes(f))).toList();
        }

        @Override
        public Page<JsonNode> entries(String by, String value, String after, int limit) {
            Page<org.custody.record.Entry> page = switch (by) {
                case "person" -> ledger.entriesOf(PersonId.of(value), after, limit);
                case "seal" -> ledger.entriesWithSeal(value, after, limit);
                default -> ledger.entriesAt(value, after, limit);
            };
            return new Page<>(page.items().stream().map(e -> tree(e.canonicalBytes())).toList(), page.next());
        }

        @Override
        public Page<JsonNode> findings(FindingCode code, String after, int limit) {
            Page<org.custody.audit.Finding> page = ledger.findings(code, after, limit);
            return new Page<>(page.items().stream().map(f -> tree(FindingJson.bytes(f))).toList(), page.next());
        }

        private static JsonNode tree(byte[] json) {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    /** A server's answers, through its API (docs/server.md, Questions). */
    final class Remote implements Questions {
        private final Api api;

        Remote(Api api) {
            this.api = api;
        }

        @Override
        public Page<JsonNode> bags(BagQuery query, String after, int limit) {
            Map<String, String> params = new LinkedHashMap<>(query.given());
            return page(Api.V1 + "/bags", params, after, limit);
        }

        @Override
        public Map<String, Long> stepCounts(BagQuery query) {
            String path = Api.V1 + "/bags/counts" + params(query.given());
            JsonNode body = api.get(path);
            Map<String, Long> out = new TreeMap<>();
            body.path("steps").properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
            return out;
        }

        @Override
        public List<JsonNode> late(Instant at) {
            JsonNode body = api.get(Api.V1 + "/bags/late" + params(Map.of("at", at.toString())));
            List<JsonNode> out = new ArrayList<>();
            body.path("findings").forEach(out::add);
            return out;
        }

        @Override
        public Page<JsonNode> entries(String by, String value, String after, int limit) {
            return page(Api.V1 + "/entries", new LinkedHashMap<>(Map.of(by, value)), after, limit);
        }

        @Override
        public Page<JsonNode> findings(FindingCode code, String after, int limit) {
            Map<String, String> params = new LinkedHashMap<>();
            if (code != null) {
                params.put("code", code.name());
            }
            return page(Api.V1 + "/findings/kept", params, after, limit);
        }

        private Page<JsonNode> page(String path, Map<String, String> params, String after, int limit) {
            if (after != null) {
                params.put("after", after);
            }
            params.put("limit", Integer.toString(limit));
            JsonNode body = api.get(path + params(params));
            List<JsonNode> items = new ArrayList<>();
            body.path("items").forEach(items::add);
            JsonNode next = body.path("next");
            return new Page<>(items, next.isTextual() ? Optional.of(next.asText()) : Optional.empty());
        }

        private static String params(Map<String, String> params) {
            StringBuilder query = new StringBuilder();
            params.forEach((name, value) -> query.append(query.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return query.toString();
        }

        @Override
        public void close() {
            // nothing held between requests
        }
    }
}
