package org.custody.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 (JCS) canonical JSON, via the java-json-canonicalization library, and strict parsing. */
public final class Canonical {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private Canonical() {}

    /**
     * The canonical UTF-8 bytes of a JSON tree.
     *
     * @throws IllegalArgumentException if a string holds a lone surrogate: RFC 8785 (section 3.2.2.2) makes that an
     *                                  error, where the JCS library would silently write '?'
     */
    public static byte[] bytes(JsonNode node) {
        String canonical;
        try {
            canonical = new JsonCanonicalizer(MAPPER.writeValueAsString(node)).getEncodedString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot canonicalise a JSON tree built in memory", e);
        }
        requireNoLoneSurrogate(canonical);
        return canonical.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The canonical form of JSON text (used by conformance tests and tools), read as strictly as stored entries:
     * UTF-8 only, no duplicate keys, nothing after the value, no lone surrogates.
     *
     * @throws MalformedRecordException if the bytes are not such JSON
     */
    public static byte[] canonicalize(byte[] json) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException("", "not valid UTF-8: " + e.getMessage(), e);
        }
        JsonNode node = parse(json);
        try {
            return bytes(node);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("", "not canonicalisable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code bytes} as JSON and checks they are already in canonical form.
     *
     * @throws MalformedRecordException if the bytes are not JSON, have duplicate keys, or are not canonical
     */
    static JsonNode parseCanonical(byte[] bytes) {
        JsonNode node = parse(bytes);
        byte[] canonical;
        try {
            canonical = bytes(node);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("", e.getMessage(), e);
        }
        int mismatch = Arrays.mismatch(canonical, bytes);
        if (mismatch >= 0) {
            throw new MalformedRecordException("", "not in RFC 8785 canonical form: first difference at byte " + mismatch);
        }
        return node;
    }

    /** Strict parsing: one JSON object or array, no duplicate keys, nothing after it. */
    private static JsonNode parse(byte[] bytes) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("", "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (byte " + e.getLocation().getByteOffset() + ")"), e);
        } catch (IOException e) {
            throw new MalformedRecordException("", "not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new MalformedRecordException("", "empty input");
        }
        if (!node.isContainerNode()) {
            // the canonicaliser only takes objects and arrays; anything else is not an entry or record anyway
            throw new MalformedRecordException("", "expected a JSON object, found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    private static void requireNoLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format("a string holds the lone surrogate U+%04X", (int) c));
            }
        }
    }

    /**
     * The bytes of the value of the top-level member {@code field} of {@code canonical}, which must already
     * be in canonical form (checked by {@link #parseCanonical}). RFC 8785 serialises members recursively,
     * without context, so these bytes are the value's own canonical form: the same as {@link #bytes} of it,
     * without serialising it again.
     *
     * @throws IllegalArgumentException if {@code canonical} is not an object with an object or array member {@code field}
     */
    static byte[] memberBytes(byte[] canonical, String field) {
        try (JsonParser p = MAPPER.getFactory().createParser(canonical)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(field)) {
                    if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("member " + field + " is not an object or array");
                    }
                    long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    long end = p.currentLocation().getByteOffset();
                    return Arrays.copyOfRange(canonical, (int) start, (int) end);
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no member " + field);
    }
}
