package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.audit.FindingJson;
import org.custody.audit.ReportWriter;
import org.custody.model.Labelled;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;

/** How the answers of {@link Questions} are shown: one line per item in text, or the server's JSON. */
final class QuestionOutput {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The output formats of the question verbs. */
    enum Format { text, json }

    private QuestionOutput() {}

    /** A page (or all pages) of items as the server's page object: {@code items} and {@code next}. */
    static void json(PrintWriter out, List<JsonNode> items, Optional<String> next) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("items");
        items.forEach(list::add);
        body.put("next", next.orElse(null));
        print(out, body);
    }

    /** An empty JSON object, for an answer other than a page. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static void print(PrintWriter out, JsonNode body) {
        try {
            out.println(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON in memory", e);
        }
    }

    /** One bag where it stands: id, kind, copies, secrecy, last step and holder, container, time limits running. */
    static String bag(JsonNode p) {
        String secrecy = p.has("secrecy") ? Labelled.fromWire(Secrecy.class, p.get("secrecy").asText()).chinese() : "";
        String stand;
        if (!p.has("step")) {
            stand = "registered, not handed over yet";
        } else {
            Step step = Labelled.fromWire(Step.class, p.get("step").asText());
            stand = step.wire() + " " + step.chinese() + ", held by " + p.path("holder").asText();
        }
        StringBuilder line = new StringBuilder(String.format("%-34s %-15s %s%s  %s", p.path("bag").asText(),
                p.path("kind").asText(), p.has("copies") ? p.get("copies").asInt() + " copies " : "", secrecy, stand));
        if (p.has("container")) {
            line.append("  in ").append(p.get("container").asText());
        }
        if (!p.path("deadlines").isEmpty()) {
            line.append("  time limit running: ");
            p.get("deadlines").forEach(code -> line.append(code.asText()).append(' '));
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }

    /** The number of bags at each step, then the total. */
    static void counts(PrintWriter out, Map<String, Long> steps) {
        long total = 0;
        for (Map.Entry<String, Long> e : steps.entrySet()) {
            String name = e.getKey().equals(org.custody.store.BagQuery.REGISTERED) ? "registered 已登记"
                    : Labelled.fromWire(Step.class, e.getKey()).wire() + " " + Labelled.fromWire(Step.class, e.getKey()).chinese();
            out.printf("%-26s %8d%n", name, e.getValue());
            total += e.getValue();
        }
        out.printf("%-26s %8d%n", "total 合计", total);
    }

    /** A finding in the stored form, as a verification's text report shows it. */
    static String finding(JsonNode f, ZoneId zone) {
        return ReportWriter.finding(FindingJson.parse(f.toString().getBytes(StandardCharsets.UTF_8)), zone).stripTrailing();
    }

    /** One entry: its position, time, what it records, its bags and its parties. */
    static String entry(JsonNode stored, DateTimeFormatter time) {
        Entry e = Entry.decode(org.custody.record.Canonical.bytes(stored));
        StringBuilder line = new StringBuilder(String.format("#%-7d %s  %s", e.seq(), time.format(e.record().at()), e.record().type()));
        if (e.record() instanceof Handoff h) {
            line.append(' ').append(h.step().wire()).append(' ').append(h.step().chinese()).append("  ")
                    .append(h.from() == null ? "" : h.from() + " ").append("→ ").append(h.to());
            if (h.place() != null) {
                line.append(" at ").append(h.place().id());
            }
        } else if (e.record() instanceof Incident i) {
            line.append(' ').append(i.incident().wire()).append(' ').append(i.incident().chinese());
        }
        List<org.custody.record.BagMove> moves = e.record().moves();
        if (!moves.isEmpty()) {
            line.append("  ").append(moves.size()).append(moves.size() == 1 ? " bag: " : " bags: ").append(moves.get(0).bag());
            if (moves.size() > 1) {
                line.append(", …");
            }
        }
        line.append("  signed by ").append(String.join(", ", e.record().parties().stream().map(Object::toString).toList()));
        return line.toString();
    }
}
