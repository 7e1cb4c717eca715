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
 * Strict reading of one JSON object from a request: every field is claimed by name and type, an unknown
 * field is an error, and every error names the field's path (e.g. {@code bags[1].count}).
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
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(at(field) + " is required");
            }
            return null;
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
            throw ApiException.badRequest(at(field) + " must be a string");
        }
        return v.textValue();
    }

    Integer optInt(String field) {
        JsonNode v = get(field, false);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.badRequest(at(field) + " must be a whole number");
        }
        return v.intValue();
    }

    Body object(String field, boolean required) {
        JsonNode v = get(field, required);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badRequest(at(field) + " must be an object");
        }
        return new Body((ObjectNode) v, at(field));
    }

    /** The raw subtree (for a record that the codec reads). */
    ObjectNode rawObject(String field) {
        JsonNode v = get(field, true);
        if (!v.isObject()) {
            throw ApiException.badRequest(at(field) + " must be an object");
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
            throw ApiException.badRequest(at(field) + " must be a non-empty array");
        }
        if (v.size() > max) {
            throw ApiException.badRequest(at(field) + " has " + v.size() + " elements; at most " + max + " are allowed");
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
                throw ApiException.badRequest(at(name) + " is not a known field");
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
            throw ApiException.badRequest(at(field) + ": " + e.getMessage());
        }
    }

    /** One array element. */
    record Element(JsonNode node, String path) {
        Body object() {
            if (!node.isObject()) {
                throw ApiException.badRequest(path + " must be an object");
            }
            return new Body((ObjectNode) node, path);
        }

        String text() {
            if (!node.isTextual()) {
                throw ApiException.badRequest(path + " must be a string");
            }
            return node.textValue();
        }
    }
}
