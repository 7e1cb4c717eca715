package org.custody.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
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

    /** The canonical UTF-8 bytes of a JSON tree. */
    public static byte[] bytes(JsonNode node) {
        try {
            return new JsonCanonicalizer(MAPPER.writeValueAsString(node)).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalStateException("cannot canonicalise a JSON tree built in memory", e);
        }
    }

    /** The canonical form of arbitrary JSON text (used by conformance tests and tools). */
    public static byte[] canonicalize(byte[] json) {
        try {
            return new JsonCanonicalizer(new String(json, StandardCharsets.UTF_8)).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("", "not canonicalisable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code bytes} as JSON and checks they are already in canonical form.
     *
     * @throws MalformedRecordException if the bytes are not JSON, have duplicate keys, or are not canonical
     */
    static JsonNode parseCanonical(byte[] bytes) {
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
        byte[] canonical = bytes(node);
        int mismatch = Arrays.mismatch(canonical, bytes);
        if (mismatch >= 0) {
            throw new MalformedRecordException("", "not in RFC 8785 canonical form: first difference at byte " + mismatch);
        }
        return node;
    }
}
