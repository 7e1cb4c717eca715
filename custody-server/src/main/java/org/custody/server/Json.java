package org.custody.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.custody.audit.Finding;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.record.Record;
import org.custody.record.RecordCodec;

/**
 * JSON in and out. Request bodies (read within their size limit by {@link Requests}) are parsed strictly: no
 * duplicate keys, nothing after the value, nesting at most {@value #MAX_DEPTH} deep.
 */
final class Json {
    static final int MAX_DEPTH = 32;
    static final ObjectMapper MAPPER = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).maxNumberLength(32).maxStringLength(1 << 20).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads one member's value from a parser positioned on it (the object goes on after it). */
    private static final ObjectReader MEMBER_READER = MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /**
     * A request body's object with the exact bytes of one member's object value, and that member standing as an
     * empty object in {@code object} (its tree is not built).
     */
    record Split(ObjectNode object, byte[] member) {}

    /**
     * {@link #object} of {@code body} in one streaming pass that also cuts out the bytes of the object value of
     * {@code member} (such as a record that its signers signed in canonical form, which can then be decoded from
     * those bytes without building, writing and canonicalising a tree). {@code null} when the body is not a
     * well-formed object within the limits with such a member: the caller then reads it with {@link #object}, which
     * names what is wrong.
     */
    static Split split(byte[] body, String member) {
        ObjectNode object = MAPPER.createObjectNode();
        byte[] cut = null;
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && name.equals(member)) {
                    long from = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    long to = p.currentLocation().getByteOffset();
                    cut = Arrays.copyOfRange(body, (int) from, (int) to);
                    object.putObject(name);
                } else {
                    object.set(name, MEMBER_READER.readValue(p));
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null || cut == null) {
                return null;
            }
            return new Split(object, cut);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses a request body that must be one JSON object. */
    static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
            throw ApiException.badRequest("the request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("the request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("expected a JSON object, found " + (node == null ? "nothing"
                    : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return (ObjectNode) node;
    }

    /** The record as its canonical JSON tree, the form clients read and sign. */
    static JsonNode record(Record record) {
        try {
            return MAPPER.readTree(RecordCodec.canonicalBytes(record));
        } catch (IOException e) {
            throw new IllegalStateException("canonical record bytes are not JSON", e);
        }
    }

    static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON cannot be read", e);
        }
    }

    /** One finding in the {@code custody-audit-report/v1} finding shape (docs/formats.md section 8). */
    static ObjectNode finding(Finding f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("code", f.code().name());
        o.put("class", f.code().findingClass().name().toLowerCase(Locale.ROOT));
        o.put("severity", f.code().severity().name().toLowerCase(Locale.ROOT));
        o.putObject("title").put("en", f.code().english()).put("zh", f.code().chinese());
        if (f.seq() >= 0) o.put("seq", f.seq());
        if (f.entry() != null) o.put("entry", f.entry().hex());
        if (f.at() != null) o.put("at", f.at().toString());
        ArrayNode bags = o.putArray("bags");
        f.bags().stream().map(BagId::value).forEach(bags::add);
        ArrayNode people = o.putArray("people");
        f.people().stream().map(PersonId::value).forEach(people::add);
        ObjectNode message = o.putObject("message").put("en", f.message());
        if (f.chinese() != null) message.put("zh", f.chinese());
        if (f.expected() != null) o.put("expected", f.expected());
        if (f.actual() != null) o.put("actual", f.actual());
        return o;
    }

    static ArrayNode findings(List<Finding> findings) {
        ArrayNode out = MAPPER.createArrayNode();
        findings.forEach(f -> out.add(finding(f)));
        return out;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON built in memory", e);
        }
    }
}
