package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.PersonId;

/**
 * A finding as one compact JSON object, members in a fixed order (docs/formats.md §7.2): how a store keeps the rule
 * findings of each entry it appended, so that the same finding always has the same bytes and a verifier can compare.
 */
public final class FindingJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FindingJson() {}

    public static byte[] bytes(Finding f) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("code", f.code().name());
            g.writeNumberField("seq", f.seq());
            if (f.entry() != null) g.writeStringField("entry", f.entry().hex());
            if (f.at() != null) g.writeStringField("at", f.at().toString());
            g.writeArrayFieldStart("bags");
            for (var b : f.bags()) g.writeString(b.value());
            g.writeEndArray();
            g.writeArrayFieldStart("people");
            for (var p : f.people()) g.writeString(p.value());
            g.writeEndArray();
            g.writeStringField("message", f.message());
            if (f.chinese() != null) g.writeStringField("zh", f.chinese());
            if (f.expected() != null) g.writeStringField("expected", f.expected());
            if (f.actual() != null) g.writeStringField("actual", f.actual());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a finding in memory", e);
        }
        return out.toByteArray();
    }

    /**
     * The finding {@link #bytes} wrote.
     *
     * @throws IllegalArgumentException if {@code bytes} is not such a finding (a damaged store: run a verification)
     */
    public static Finding parse(byte[] bytes) {
        try {
            JsonNode o = JSON.readTree(bytes);
            List<BagId> bags = new ArrayList<>();
            o.path("bags").forEach(b -> bags.add(BagId.of(b.asText())));
            List<PersonId> people = new ArrayList<>();
            o.path("people").forEach(p -> people.add(PersonId.of(p.asText())));
            return new Finding(FindingCode.valueOf(o.path("code").asText()), o.path("seq").asLong(),
                    o.has("entry") ? Hash.fromHex(o.get("entry").asText()) : null,
                    o.has("at") ? Instant.parse(o.get("at").asText()) : null, bags, people,
                    o.path("message").asText(), o.has("zh") ? o.get("zh").asText() : null,
                    o.has("expected") ? o.get("expected").asText() : null, o.has("actual") ? o.get("actual").asText() : null);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a stored finding: " + e.getMessage(), e);
        }
    }
}
