package org.custody.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.custody.failure.MalformedInputException;

/**
 * Strict reading of one JSON object from a request into a request type: every field is claimed by name and type,
 * an unknown field is an error, {@code null} is never a value (leave an optional field out instead), a required
 * field that is missing is named, a time is written only as records write it ({@link #time}), and every error names
 * the field's path (e.g. {@code bags[1].count}) in English and Chinese. Duplicate keys never get this far
 * ({@link Json#MAPPER} refuses them).
 */
final class Body {
    private final ObjectNode node;
    private final String path;
    private final Set<String> claimed = new HashSet<>();

    Body(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    private String at(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode get(String field, boolean required) {
        claimed.add(field);
        JsonNode v = node.get(field);
        if (v != null && v.isNull()) {
            throw ApiException.badRequest(at(field) + " is null; leave an optional field out instead of sending null",
                    at(field) + " 不能为 null；可选字段不填时请省略");
        }
        if (v == null && required) {
            throw ApiException.badRequest(at(field) + " is required", "缺少必填字段 " + at(field));
        }
        return v;
    }

    String text(String field) {
        return optText(field, true);
    }

    String optText(String field) {
        return optText(field, false);
    }

    private String optText(String field, boolean required) {
        JsonNode v = get(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(at(field) + " must be a string", at(field) + " 必须是字符串");
        }
        return v.textValue();
    }

    /**
     * An optional time, written only as records write it (docs/formats.md): UTC, {@code Z}, seconds, and milliseconds
     * only when they are not zero, e.g. {@code 2026-06-07T00:00:00Z} or {@code 2026-06-07T00:00:00.250Z}; an offset,
     * a zero or longer fraction, or a missing second is refused with the canonical spelling of the same instant.
     */
    java.time.Instant optTime(String field) {
        String raw = optText(field, false);
        if (raw == null) {
            return null;
        }
        java.time.Instant at;
        try {
            at = java.time.Instant.parse(raw);
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest(at(field) + ": '" + Requests.shorten(raw) + "' is not a time; write it as records do, e.g. "
                    + CANONICAL_EXAMPLE, at(field) + " 不是时间；请按记录的写法填写，例如 " + CANONICAL_EXAMPLE);
        }
        if (!at.toString().equals(raw)) {
            throw ApiException.badRequest(at(field) + ": time '" + Requests.shorten(raw) + "' is not in canonical form; expected "
                    + at, at(field) + " 的时间写法不是规范形式，应写作 " + at);
        }
        if (at.getNano() % 1_000_000 != 0 || at.getEpochSecond() < 0 || at.isAfter(LATEST)) {
            throw ApiException.badRequest(at(field) + ": time " + raw + " must be 1970-9999 in whole milliseconds",
                    at(field) + " 的时间必须在 1970-9999 年之间，精确到毫秒");
        }
        return at;
    }

    private static final String CANONICAL_EXAMPLE = "2026-06-07T00:00:00Z";
    private static final java.time.Instant LATEST = java.time.Instant.parse("9999-12-31T23:59:59Z");

    Integer optInt(String field) {
        JsonNode v = get(field, false);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(at(field) + " must be a whole number", at(field) + " 必须是整数");
        }
        return v.intValue();
    }

    Body object(String field, boolean required) {
        JsonNode v = get(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(at(field) + " must be an object", at(field) + " 必须是对象");
        }
        return new Body((ObjectNode) v, at(field));
    }

    /** The raw subtree (for a record that the codec reads). */
    ObjectNode rawObject(String field) {
        JsonNode v = get(field, true);
        if (!v.isObject()) {
            throw ApiException.badRequest(at(field) + " must be an object", at(field) + " 必须是对象");
        }
        return (ObjectNode) v;
    }

    /** An array of at most {@code max} elements, each converted by {@code each} (given the element and its path). */
    <T> List<T> array(String field, boolean required, int max, Function<Element, T> each) {
        JsonNode v = get(field, required);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray() || v.isEmpty()) {
            throw ApiException.badRequest(at(field) + " must be a non-empty array", at(field) + " 必须是非空数组");
        }
        if (v.size() > max) {
            throw ApiException.badRequest(at(field) + " has " + v.size() + " elements; at most " + max + " are allowed",
                    at(field) + " 有 " + v.size() + " 个元素，最多 " + max + " 个");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(each.apply(new Element(v.get(i), at(field) + "[" + i + "]")));
        }
        return out;
    }

    /** Fails on any field nobody claimed. */
    void done() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!claimed.contains(name)) {
                throw ApiException.badRequest(at(name) + " is not a known field", at(name) + " 不是已知字段");
            }
        }
    }

    /** Converts a value, turning the model's IllegalArgumentException into a 400 that names the field. */
    <T> T convert(String field, Function<String, T> f, String value) {
        if (value == null) {
            return null;
        }
        try {
            return f.apply(value);
        } catch (MalformedInputException | IllegalArgumentException | java.time.DateTimeException e) {
            throw ApiException.badRequest(at(field) + ": " + e.getMessage(), at(field) + " 的值无效（详见英文说明）");
        }
    }

    /** One array element. */
    record Element(JsonNode node, String path) {
        Body object() {
            if (node.isNull()) {
                throw ApiException.badRequest(path + " is null", path + " 不能为 null");
            }
            if (!node.isObject()) {
                throw ApiException.badRequest(path + " must be an object", path + " 必须是对象");
            }
            return new Body((ObjectNode) node, path);
        }

        String text() {
            if (!node.isTextual()) {
                throw ApiException.badRequest(path + " must be a string", path + " 必须是字符串");
            }
            return node.textValue();
        }
    }
}
