package org.custody.record;

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
 * Strict reading of one JSON object: every field must be known and read, optional fields are absent
 * rather than null or empty, and every error names its path.
 */
final class JsonReader {
    private final ObjectNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    private JsonReader(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonReader of(JsonNode node, String path) {
        if (!(node instanceof ObjectNode object)) {
            throw new MalformedRecordException(path, "expected a JSON object");
        }
        return new JsonReader(object, path);
    }

    /** Path of this object itself. */
    String here() {
        return path;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode required(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        if (value == null) {
            throw new MalformedRecordException(path(field), "required field is missing");
        }
        if (value.isNull()) {
            throw new MalformedRecordException(path(field), "null is not allowed; omit optional fields instead");
        }
        return value;
    }

    boolean has(String field) {
        return node.has(field);
    }

    String text(String field) {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw new MalformedRecordException(path(field), "expected a string");
        }
        return value.textValue();
    }

    String optText(String field) {
        return has(field) ? text(field) : null;
    }

    long integer(String field, long min, long max) {
        JsonNode value = required(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedRecordException(path(field), "expected an integer");
        }
        long v = value.longValue();
        if (v < min || v > max) {
            throw new MalformedRecordException(path(field), "must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    boolean bool(String field) {
        JsonNode value = required(field);
        if (!value.isBoolean()) {
            throw new MalformedRecordException(path(field), "expected true or false");
        }
        return value.booleanValue();
    }

    Integer optInt(String field, int max) {
        return has(field) ? (int) integer(field, 0, max) : null;
    }

    JsonReader object(String field) {
        return of(required(field), path(field));
    }

    /** The names of this object's members, in canonical (sorted) order; each must then be read. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    JsonReader optObject(String field) {
        return has(field) ? object(field) : null;
    }

    /** A required, non-empty array of at most {@code max} elements, each converted by {@code element}. */
    <T> List<T> array(String field, int max, Function<Element, T> element) {
        JsonNode value = required(field);
        if (!value.isArray()) {
            throw new MalformedRecordException(path(field), "expected an array");
        }
        if (value.isEmpty()) {
            throw new MalformedRecordException(path(field), "empty array: omit the field instead");
        }
        if (value.size() > max) {
            throw new MalformedRecordException(path(field), "at most " + max + " elements are allowed, got " + value.size());
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(element.apply(new Element(value.get(i), path(field) + "[" + i + "]")));
        }
        return out;
    }

    <T> List<T> optArray(String field, int max, Function<Element, T> element) {
        return has(field) ? array(field, max, element) : List.of();
    }

    /** Converts a value, turning validation errors into a malformed-record error at {@code field}. */
    <T> T convert(String field, Function<String, T> conversion, String raw) {
        return Convert.at(path(field), conversion, raw);
    }

    /** Fails if the object has fields that were never read. */
    void done() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new MalformedRecordException(path(name), "unknown field");
            }
        }
    }

    /** One array element with its path. */
    record Element(JsonNode node, String path) {
        JsonReader object() {
            return JsonReader.of(node, path);
        }

        String text() {
            if (!node.isTextual()) {
                throw new MalformedRecordException(path, "expected a string");
            }
            return node.textValue();
        }
    }

    /** Turns {@link IllegalArgumentException} from value constructors into path-named errors. */
    static final class Convert {
        private Convert() {}

        static <T> T at(String path, Function<String, T> conversion, String raw) {
            try {
                return conversion.apply(raw);
            } catch (MalformedInputException | IllegalArgumentException | java.time.DateTimeException e) {
                throw new MalformedRecordException(path, e.getMessage(), e);
            }
        }
    }
}
