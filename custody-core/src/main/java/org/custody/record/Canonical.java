package org.custody.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** Writes trees with every object's members sorted by key: String order, which is RFC 8785's (UTF-16 code units). */
    private static final ObjectWriter SORTED = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build().writer();
    /** The largest integer RFC 8785 writes as plain digits exactly (ECMAScript numbers are doubles). */
    private static final long MAX_EXACT = (1L << 53) - 1;

    /** Reads one member's value from a parser positioned on it (the object goes on after it). */
    private static final ObjectReader MEMBER_READER = MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Canonical() {}

    /**
     * The canonical UTF-8 bytes of a JSON tree.
     *
     * @throws MalformedRecordException if a string holds a lone surrogate: RFC 8785 (section 3.2.2.2) makes that an
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
     * Canonical input takes the way of {@link #canonicalFast(byte[])}; anything else the slow way, which names
     * what is wrong.
     *
     * @throws MalformedRecordException if the bytes are not JSON, have duplicate keys, or are not canonical
     */
    static JsonNode parseCanonical(byte[] bytes) {
        JsonNode node = canonicalFast(bytes);
        return node != null ? node : parseCanonicalSlow(bytes);
    }

    /**
     * The fast way of {@link #parseCanonical(byte[])}, or {@code null} if it does not apply: a strict parse
     * (Jackson), then one canonicalisation of the bytes as they are (the JCS library), without writing the
     * tree out again; bytes it leaves unchanged are canonical (as in {@link #canonicalFast(byte[], String)}).
     */
    static JsonNode canonicalFast(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isContainerNode()) {
                return null;
            }
            if (writtenBackByJackson(node, bytes)) {
                return node;
            }
            byte[] canonical = new JsonCanonicalizer(bytes).getEncodedString().getBytes(StandardCharsets.UTF_8);
            return Arrays.equals(canonical, bytes) ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@link #parseCanonical(byte[])} the slow way: parse, write the tree, canonicalise it, compare. */
    static JsonNode parseCanonicalSlow(byte[] bytes) {
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

    /** A JSON object parsed from canonical bytes, with where the value of one of its members lies in them. */
    record Parsed(JsonNode node, int memberFrom, int memberTo) {}

    /**
     * {@link #parseCanonical} of an object, also finding the bytes of the object or array value of its
     * top-level member {@code field} (as {@link #memberBytes} does) in the same pass. Well-formed canonical
     * input takes one streaming parse (Jackson) and one canonicalisation of the bytes as they are (the JCS
     * library); anything else, or a member that is missing, goes the way of {@link #parseCanonicalSlow} and
     * {@link #memberBytes}, so errors are the same.
     *
     * @throws MalformedRecordException if the bytes are not JSON, have duplicate keys, or are not canonical
     * @throws IllegalArgumentException if the object has no object or array member {@code field}
     */
    static Parsed parseCanonical(byte[] bytes, String field) {
        Parsed parsed = canonicalFast(bytes, field);
        if (parsed != null) {
            return parsed;
        }
        JsonNode node = parseCanonicalSlow(bytes);
        byte[] member = memberBytes(bytes, field);
        int from = indexOf(bytes, member);
        return new Parsed(node, from, from + member.length);
    }

    /** The fast way of {@link #parseCanonical(byte[], String)}, or {@code null} if it does not apply. */
    private static Parsed canonicalFast(byte[] bytes, String field) {
        ObjectNode object = MAPPER.getNodeFactory().objectNode();
        int from = -1;
        int to = -1;
        try (JsonParser p = MAPPER.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                long start = p.currentTokenLocation().getByteOffset();
                object.set(name, MEMBER_READER.readValue(p));
                if (name.equals(field) && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
                    from = (int) start;
                    to = (int) p.currentLocation().getByteOffset();
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null || from < 0) {
                return null;
            }
            if (writtenBackByJackson(object, bytes)) {
                return new Parsed(object, from, to);
            }
            // bytes the JCS library leaves as they are are canonical, and then hold no lone surrogate (it would
            // come out as '?' where the input has its escape)
            byte[] canonical = new JsonCanonicalizer(bytes).getEncodedString().getBytes(StandardCharsets.UTF_8);
            return Arrays.equals(canonical, bytes) ? new Parsed(object, from, to) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether {@code bytes}, parsed as {@code node}, are certainly canonical without asking the JCS library (which
     * costs the verifier more than anything but the signatures): Jackson writes the tree back, members sorted, as
     * exactly these bytes, and they hold nothing that Jackson and RFC 8785 write differently. Those are escapes by
     * code point (backslash, {@code u}, four hex digits: Jackson's hex digits are upper case, RFC 8785's lower case),
     * numbers other than integers within &plusmn;(2<sup>53</sup>&minus;1) (RFC 8785 writes numbers as ECMAScript does;
     * both write such integers as plain digits) and surrogate code points encoded in UTF-8 (not UTF-8 at all).
     * Everything else Jackson writes as RFC 8785 does: no whitespace; a quote, a backslash, backspace, tab, line feed,
     * form feed and carriage return as their two-character escapes (any other control character would come out as an
     * escape by code point); other characters as their UTF-8 bytes (a character outside the BMP as one four-byte sequence); literals as they are. {@code false} means "not
     * certain": the caller asks the JCS library, which also says why bytes are not canonical.
     */
    static boolean writtenBackByJackson(JsonNode node, byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if ((bytes[i] == '\\' && bytes[i + 1] == 'u') || (bytes[i] == (byte) 0xED && (bytes[i + 1] & 0xFF) >= 0xA0)) {
                return false;
            }
        }
        if (!onlyExactIntegers(node)) {
            return false;
        }
        try {
            return Arrays.equals(SORTED.writeValueAsBytes(node), bytes);
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static boolean onlyExactIntegers(JsonNode node) {
        if (node.isNumber()) {
            return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= -MAX_EXACT
                    && node.longValue() <= MAX_EXACT;
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (!onlyExactIntegers(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalStateException("a member's bytes are not in the object they came from");
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
                throw new MalformedRecordException("", String.format("a string holds the lone surrogate U+%04X", (int) c));
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
