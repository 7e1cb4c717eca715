package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * {@link Canonical#writtenBackByJackson}, the verifier's shortcut past the JCS library, is sound: whatever bytes it
 * calls canonical, the JCS library leaves exactly as they are, on JSON of every kind (keys and strings with control
 * characters, escapes, surrogate pairs and non-ASCII text; integers near and past 2^53, fractions, exponents, negative
 * zero; nesting) written canonically, written by Jackson, or changed by a byte. And it is used: stored records and
 * entries take it.
 */
class CanonicalJacksonShortcutPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 2000)
    void shortcut_neverCallsBytesCanonicalThatTheLibraryWouldChange(@ForAll("trees") JsonNode tree,
            @ForAll("writers") int writer, @ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll @IntRange(min = 0, max = 255) int x) {
        byte[] bytes = switch (writer) {
            case 0 -> canonical(tree);
            case 1 -> jackson(tree);
            default -> flip(canonical(tree), at, x);
        };
        JsonNode parsed;
        try {
            parsed = Canonical.MAPPER.readTree(bytes);
        } catch (java.io.IOException | RuntimeException e) {
            return; // not JSON: the shortcut is never asked
        }
        if (parsed != null && Canonical.writtenBackByJackson(parsed, bytes)) {
            assertArrayEquals(library(bytes), bytes, () -> "the shortcut took non-canonical bytes: " + utf8(bytes));
        }
    }

    @Property(tries = 500)
    void shortcut_takesCanonicalTreesOfIntegersAndPlainText(@ForAll("plainTrees") JsonNode tree) {
        byte[] bytes = Canonical.bytes(tree);
        assertTrue(Canonical.writtenBackByJackson(tree, bytes), () -> utf8(bytes));
    }

    @Property(tries = 20)
    void storedRecordsAndEntries_takeTheShortcut(@ForAll("chains") Chain chain) {
        for (Entry entry : chain.entries()) {
            byte[] bytes = entry.canonicalBytes();
            assertTrue(Canonical.writtenBackByJackson(Canonical.parseCanonicalSlow(bytes), bytes), () -> utf8(bytes));
        }
    }

    @Example
    void shortcut_leavesEscapesByCodePointAndNumbersOtherThanExactIntegers_toTheLibrary() {
        for (String json : List.of("{\"a\":\"\\u001f\"}", "{\"a\":\"\\u001F\"}", "{\"a\":1.5}", "{\"a\":9007199254740992}",
                "{\"a\":-9223372036854775808}", "{\"a\":1e2}")) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertFalse(Canonical.writtenBackByJackson(parse(bytes), bytes), json);
        }
    }

    @Example
    void bytesThatAreNotUtf8_orNotCanonical_areRefusedOnBothPaths() {
        byte[][] refused = {
            {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},             // a surrogate, encoded
            {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80, '"', '}'},
            {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xA2, '"', '}'},                           // overlong
            {'{', '"', 'a', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'}, // above U+10FFFF
            {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'},                                             // a byte-order mark
            "{\"a\":1,\"a\":1}".getBytes(StandardCharsets.UTF_8),
            "{\"a\":-0}".getBytes(StandardCharsets.UTF_8),
            "{\"a\":\"\\/\"}".getBytes(StandardCharsets.UTF_8),
            "{\"b\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8),
        };
        for (byte[] bytes : refused) {
            org.junit.jupiter.api.Assertions.assertThrows(MalformedRecordException.class, () -> Canonical.parseCanonical(bytes),
                    () -> utf8(bytes));
        }
        byte[] withMember = "{\"b\":1,\"a\":{\"x\":2}}".getBytes(StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertThrows(MalformedRecordException.class, () -> Canonical.parseCanonical(withMember, "a"));
    }

    @Property(tries = 20)
    void storedEntries_readWithTheirRecordMember_takeTheShortcutToo(@ForAll("chains") Chain chain) {
        for (Entry entry : chain.entries()) {
            byte[] bytes = entry.canonicalBytes();
            Canonical.Parsed parsed = Canonical.parseCanonical(bytes, "record");
            assertTrue(Canonical.writtenBackByJackson(parsed.node(), bytes), () -> utf8(bytes));
        }
    }

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 8);
    }

    @Provide
    Arbitrary<Integer> writers() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return tree(3, text(), numbers());
    }

    @Provide
    Arbitrary<JsonNode> plainTrees() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').withChars('中', '文', 'é', '\n', '\t')
                .ofMaxLength(12).filter(s -> !s.contains("\\u"));
        Arbitrary<JsonNode> ints = Arbitraries.longs().between(-((1L << 53) - 1), (1L << 53) - 1).map(NODES::numberNode);
        return tree(3, plain, ints);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars('\u2028', '\ud83d', '\ude00', '中', '\u007f',
                '\\', '"', '/').ofMaxLength(10);
    }

    private static Arbitrary<JsonNode> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.longs().between((1L << 53) - 3, (1L << 53) + 3).map(n -> NODES.numberNode(n)),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(-0.0, 1e21, 1e-7, 0.1, 100.0).map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20), BigInteger.TEN.pow(25)).map(NODES::numberNode));
    }

    private static Arbitrary<JsonNode> tree(int depth, Arbitrary<String> text, Arbitrary<JsonNode> numbers) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(text.map(NODES::textNode), numbers,
                Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> tree(depth - 1, text, numbers));
        Arbitrary<JsonNode> object = Combinators.combine(text.list().ofMaxSize(4), child.list().ofSize(4)).as((keys, values) -> {
            ObjectNode o = NODES.objectNode();
            for (int i = 0; i < keys.size(); i++) {
                o.set(keys.get(i), values.get(i));
            }
            return o;
        });
        Arbitrary<JsonNode> array = child.list().ofMaxSize(3).map(values -> {
            ArrayNode a = NODES.arrayNode();
            values.forEach(a::add);
            return a;
        });
        return depth == 3 ? Arbitraries.oneOf(object, array) : Arbitraries.oneOf(leaf, object, array);
    }

    /** The tree's canonical bytes, or Jackson's where it has none (a lone surrogate). */
    private static byte[] canonical(JsonNode tree) {
        try {
            return Canonical.bytes(tree);
        } catch (MalformedRecordException e) {
            return jackson(tree);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Canonical.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] jackson(JsonNode tree) {
        try {
            return Canonical.MAPPER.writeValueAsBytes(tree);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] flip(byte[] bytes, int at, int x) {
        byte[] out = bytes.clone();
        out[at % out.length] ^= (byte) x;
        return out;
    }

    private static byte[] library(byte[] bytes) {
        try {
            return new JsonCanonicalizer(bytes).getEncodedString().getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
