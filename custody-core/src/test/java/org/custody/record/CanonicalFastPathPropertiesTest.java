package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.crypto.Suite;
import org.custody.testing.Chains;
import org.custody.testing.Chains.Chain;

/**
 * The fast ways of decoding (the canonical check on the bytes as they are, {@link Canonical#canonicalFast(byte[])},
 * and canonical times read without {@code Instant.parse}, {@link RecordCodec#canonicalInstant}) accept exactly what
 * the slow ways accept, with the same values, on generated records and on mutated bytes: whitespace, key order,
 * escapes, number forms and time forms. What they do not take goes the slow way, so errors stay as they were.
 */
class CanonicalFastPathPropertiesTest {
    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 12);
    }

    @Property(tries = 40)
    void fastCheck_generatedRecords_acceptsWithTheSlowPathsValue(@ForAll("chains") Chain chain) {
        for (SignedRecord signed : chain.records()) {
            byte[] bytes = RecordCodec.canonicalBytes(signed.record());
            JsonNode fast = Canonical.canonicalFast(bytes);
            assertNotNull(fast, "canonical record refused by the fast check: " + utf8(bytes));
            assertEquals(Canonical.parseCanonicalSlow(bytes), fast);
            assertEquals(signed.record(), RecordCodec.decode(bytes));
            SignedRecord decoded = SignedRecord.decodeUnsigned(bytes);
            assertArrayEquals(bytes, decoded.canonicalRecord());
            assertArrayEquals(signed.signedBytes(), decoded.withAll(signed.signatures()).signedBytes());
        }
    }

    @Property(tries = 300)
    void fastCheck_mutatedRecordBytes_agreesWithSlowPath(@ForAll("chains") Chain chain,
            @ForAll @IntRange(min = 0, max = 1000) int which, @ForAll("mutations") Mutation mutation) {
        List<SignedRecord> records = chain.records();
        byte[] bytes = RecordCodec.canonicalBytes(records.get(which % records.size()).record());
        assertAgree(mutation.apply(bytes));
    }

    @Property(tries = 1000)
    void canonicalInstant_agreesWithParseThenFormat(@ForAll("times") String text) {
        Instant fast = RecordCodec.canonicalInstant(text);
        Instant slow = slowInstant(text);
        if (fast != null) {
            assertEquals(slow, fast, text);
        } else if (slow != null) {
            // the slow way alone takes only what records refuse anyway (Record.requireTime)
            assertTrue(slow.getEpochSecond() < 0 || slow.isAfter(RecordCodec.LATEST_TIME) || slow.getNano() % 1_000_000 != 0,
                    "canonical time refused by the fast way: " + text);
        }
    }

    @Example
    void decode_nonCanonicalTimeForms_areRefusedAsBefore() {
        String[] forms = {"2021-06-07T08:00:00.000Z", "2021-06-07T08:00:00+00:00", "2021-06-07T08:00:00.100000Z",
            "2021-06-07t08:00:00Z", "2021-06-07T08:00Z", "2021-06-07T08:00:00z", "2021-02-29T08:00:00Z",
            "2021-06-07T24:00:00Z", "2021-06-07T08:00:60Z", "+2021-06-07T08:00:00Z", "2021-06-07T08:00:00.1Z"};
        for (String form : forms) {
            byte[] bytes = sampleHandoff().replace("2021-06-07T08:00:00Z", form).getBytes(StandardCharsets.UTF_8);
            MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(bytes), form);
            assertEquals("at", e.path(), form + ": " + e.getMessage());
            Instant slow = slowInstant(form);
            if (slow == null) {
                assertTrue(e.getMessage().contains("'" + form + "'") || e.getMessage().contains(form), e.getMessage());
            }
        }
    }

    @Example
    void decode_canonicalTimeWithMillis_isRead() {
        byte[] bytes = sampleHandoff().replace("2021-06-07T08:00:00Z", "2021-06-07T08:00:00.120Z")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Instant.parse("2021-06-07T08:00:00.120Z"), RecordCodec.decode(bytes).at());
    }

    // ------------------------------------------------------------------ helpers

    /** Both checks take the bytes with the same value, or both refuse them. */
    private static void assertAgree(byte[] bytes) {
        JsonNode fast = Canonical.canonicalFast(bytes);
        JsonNode slow;
        try {
            slow = Canonical.parseCanonicalSlow(bytes);
        } catch (MalformedRecordException e) {
            slow = null;
        }
        if (slow == null) {
            assertNull(fast, "fast check took what the slow one refuses: " + utf8(bytes));
        } else {
            assertEquals(slow, fast, "fast check disagrees on: " + utf8(bytes));
        }
    }

    private static Instant slowInstant(String text) {
        try {
            Instant at = Instant.parse(text);
            return at.toString().equals(text) ? at : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String sampleHandoff() {
        // a canonical handoff (keys sorted, no spaces); only its time is varied above
        return "{\"at\":\"2021-06-07T08:00:00Z\",\"bags\":[{\"bag\":\"B-1\",\"prev\":\"" + "ab".repeat(32) + "\"}],"
                + "\"id\":\"R-1\",\"ledger\":\"L-1\",\"place\":{\"id\":\"vault\"},\"step\":\"vault_in\",\"to\":\"p2\","
                + "\"type\":\"handoff\",\"v\":1}";
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> times() {
        Arbitrary<Instant> instants = Arbitraries.longs().between(-100_000_000_000L, 260_000_000_000L)
                .map(Instant::ofEpochMilli);
        Arbitrary<String> formatted = Combinators.combine(instants, Arbitraries.integers().between(0, 6))
                .as((at, form) -> switch (form) {
                    case 0 -> at.toString();
                    case 1 -> at.truncatedTo(ChronoUnit.SECONDS).toString();
                    case 2 -> at.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ".000Z");
                    case 3 -> at.toString().replace("Z", "+00:00");
                    case 4 -> at.plusNanos(1000).toString();
                    case 5 -> at.toString().toLowerCase(java.util.Locale.ROOT);
                    default -> at.toString().replace("Z", "0Z");
                });
        Arbitrary<String> edited = Combinators.combine(formatted, Arbitraries.integers().between(0, 30),
                Arbitraries.chars().with('0', '1', '2', '3', '5', '9', ':', '-', '.', 'T', 'Z', ' ', '+', '\u0663'))
                .as((s, i, c) -> {
                    int at = Math.min(i, s.length() - 1);
                    return s.substring(0, at) + c + s.substring(at + 1);
                });
        Arbitrary<String> invalidDates = Combinators.combine(Arbitraries.integers().between(0, 9999),
                Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 32),
                Arbitraries.integers().between(0, 25), Arbitraries.integers().between(0, 61))
                .as((y, mo, d, h, s) -> String.format("%04d-%02d-%02dT%02d:59:%02dZ", y, mo, d, h, s));
        return Arbitraries.oneOf(formatted, edited, invalidDates);
    }

    /** A change to canonical record bytes; most make them non-canonical, some keep them canonical. */
    interface Mutation {
        byte[] apply(byte[] canonical);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Mutation> whitespace = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.of(" ", "\n", "\t", "\r", "  "))
                .as((at, ws) -> bytes -> insert(bytes, at % (bytes.length + 1), ws));
        Arbitrary<Mutation> keyOrder = Arbitraries.integers().between(0, 3).map(depth -> bytes -> reorder(bytes, depth));
        Arbitrary<Mutation> escape = Combinators.combine(Arbitraries.integers().between(0, 10_000),
                Arbitraries.of("\\u%04x", "\\u%04X", "\\/"))
                .as((at, form) -> bytes -> escapeOne(bytes, at, form));
        Arbitrary<Mutation> number = Arbitraries.of("1.0", "1e0", "1E0", "01", "-0", "1.", "10e-1", "0.1e1", "1 ", "2",
                "9007199254740993", "1e400").map(form -> bytes -> replace(bytes, "\"v\":1", "\"v\":" + form));
        Arbitrary<Mutation> time = Combinators.combine(Arbitraries.of(".000Z", "+00:00", ".100Z", ".1Z", "z", ".000000Z", "Z"),
                Arbitraries.of(true, false))
                .as((form, milli) -> bytes -> retime(bytes, form, milli));
        Arbitrary<Mutation> flip = Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(1, 255))
                .as((at, x) -> bytes -> {
                    byte[] out = bytes.clone();
                    out[at % out.length] ^= (byte) (int) x;
                    return out;
                });
        Arbitrary<Mutation> none = Arbitraries.just(bytes -> bytes);
        return Arbitraries.oneOf(whitespace, keyOrder, escape, number, time, flip, none);
    }

    private static byte[] insert(byte[] bytes, int at, String text) {
        String s = utf8(bytes);
        int i = Math.min(at, s.length());
        if (i > 0 && i < s.length() && Character.isLowSurrogate(s.charAt(i))) {
            i--;
        }
        return (s.substring(0, i) + text + s.substring(i)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        return utf8(bytes).replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    /** Escapes the first ASCII letter, digit or '/' inside a string from {@code at} on (or a slash, escaped). */
    private static byte[] escapeOne(byte[] bytes, int at, String form) {
        String s = utf8(bytes);
        boolean inString = false;
        for (int i = 0, seen = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (c == '"') {
                inString = !inString;
                continue;
            }
            if (inString && Character.isLetterOrDigit(c) && c < 128 && seen++ >= at % 40) {
                String escaped = form.equals("\\/") ? "\\/" : String.format(form, (int) c);
                return (s.substring(0, i) + escaped + s.substring(i + (form.equals("\\/") ? 0 : 1)))
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
        return bytes;
    }

    /** The same members written in reverse key order at {@code depth} (0: the top level), otherwise unchanged. */
    private static byte[] reorder(byte[] bytes, int depth) {
        try {
            JsonNode node = Canonical.MAPPER.readTree(bytes);
            return Canonical.MAPPER.writeValueAsBytes(reversed(node, depth));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode reversed(JsonNode node, int depth) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, reversed(node.get(i), depth));
            }
            return node;
        }
        if (!node.isObject()) {
            return node;
        }
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
        ObjectNode out = Canonical.MAPPER.createObjectNode();
        if (depth == 0) {
            for (int i = members.size() - 1; i >= 0; i--) {
                out.set(members.get(i).getKey(), members.get(i).getValue());
            }
        } else {
            members.forEach(m -> out.set(m.getKey(), reversed(m.getValue(), depth - 1)));
        }
        return out;
    }

    /** The record's time written with another ending, e.g. {@code 2021-06-07T08:00:00.000Z} or {@code +00:00}. */
    private static byte[] retime(byte[] bytes, String ending, boolean keepMillis) {
        String s = utf8(bytes);
        int at = s.indexOf("\"at\":\"");
        if (at < 0) {
            return bytes;
        }
        int from = at + 6;
        int to = s.indexOf('"', from);
        String time = s.substring(from, to);
        String seconds = time.length() >= 19 ? time.substring(0, 19) : time;
        String written = keepMillis && time.length() == 24 ? time.substring(0, 23) + ending.replace(".000", "") : seconds + ending;
        byte[] out = (s.substring(0, from) + written + s.substring(to)).getBytes(StandardCharsets.UTF_8);
        // whatever the form, decoding must give the same outcome as the slow way of reading times
        assertDecodeAgrees(out);
        return out;
    }

    private static void assertDecodeAgrees(byte[] bytes) {
        String fast = outcome(() -> RecordCodec.decode(bytes));
        String slow = outcome(() -> slowDecode(bytes));
        assertEquals(slow, fast, utf8(bytes));
    }

    /** The decoding as it was: slow canonical check, and every time through parse and format. */
    private static Record slowDecode(byte[] bytes) {
        JsonNode node = Canonical.parseCanonicalSlow(bytes);
        String at = node.path("at").asText();
        Instant parsed;
        try {
            parsed = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("at", e.getMessage(), e);
        }
        if (!parsed.toString().equals(at)) {
            throw new MalformedRecordException("at", "time '" + at + "' is not in canonical form; expected " + parsed);
        }
        return RecordCodec.fromJson(node, "");
    }

    private static String outcome(java.util.function.Supplier<Record> decode) {
        try {
            return "ok " + decode.get();
        } catch (MalformedRecordException e) {
            return "refused at " + e.path();
        }
    }
}
