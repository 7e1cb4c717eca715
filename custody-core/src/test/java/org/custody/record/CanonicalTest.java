package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Edge cases of canonicalisation that RFC 8785 says must be errors rather than silently altered output. */
class CanonicalTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void canonicalize_validJson_sortsKeysAndDropsWhitespace() {
        assertArrayEquals(utf8("{\"a\":[1,\"x\"],\"b\":2}"), Canonical.canonicalize(utf8("{ \"b\": 2, \"a\": [1.0, \"x\"] }")));
    }

    /** RFC 8785 section 3.2.2.2: lone surrogates must make a compliant implementation stop with an error. */
    @Test
    void canonicalize_loneSurrogateEscape_refused() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> Canonical.canonicalize(utf8("[\"\\ud800\"]")));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    /** RFC 8785 section 3.1: input is I-JSON, which is UTF-8; invalid bytes must not turn into U+FFFD. */
    @Test
    void canonicalize_invalidUtf8_refused() {
        assertThrows(MalformedRecordException.class,
                () -> Canonical.canonicalize(new byte[] {'[', '"', (byte) 0xff, '"', ']'}));
    }

    @Test
    void canonicalize_overlongUtf8_refused() {
        assertThrows(MalformedRecordException.class,
                () -> Canonical.canonicalize(new byte[] {'[', '"', (byte) 0xc0, (byte) 0xaf, '"', ']'}));
    }

    /** {@code 01} is not a JSON number (RFC 8259 section 6). */
    @Test
    void canonicalize_leadingZero_refused() {
        assertThrows(MalformedRecordException.class, () -> Canonical.canonicalize(utf8("[01]")));
    }

    @Test
    void canonicalize_duplicateKey_refused() {
        assertThrows(MalformedRecordException.class, () -> Canonical.canonicalize(utf8("{\"a\":1,\"a\":2}")));
    }

    @Test
    void bytes_treeWithLoneSurrogate_refusedNotReplaced() {
        var tree = JsonNodeFactory.instance.objectNode().put("note", "a\ud800b");
        assertThrows(MalformedRecordException.class, () -> Canonical.bytes(tree));
    }

    @Test
    void parseCanonical_loneSurrogateEscape_refused() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> Canonical.parseCanonical(utf8("{\"note\":\"\\ud800\"}")));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    @Test
    void parseCanonical_surrogatePair_accepted() {
        byte[] canonical = utf8("{\"note\":\"\ud83d\ude02\"}");
        Canonical.parseCanonical(canonical);
        assertArrayEquals(canonical, Canonical.canonicalize(canonical));
    }

    @Test
    void parseCanonicalWithMember_canonicalObject_sameTreeAndMemberBytesAsTheTwoSteps() {
        byte[] canonical = utf8("{\"a\":\"湘\",\"record\":{\"b\":[1,{\"c\":null}],\"d\":\"\\u001f\"},\"z\":2}");
        Canonical.Parsed parsed = Canonical.parseCanonical(canonical, "record");
        assertEquals(Canonical.parseCanonical(canonical), parsed.node());
        assertArrayEquals(Canonical.memberBytes(canonical, "record"),
                java.util.Arrays.copyOfRange(canonical, parsed.memberFrom(), parsed.memberTo()));
    }

    @Test
    void parseCanonicalWithMember_defects_refusedAsParseCanonicalRefusesThem() {
        for (String bad : new String[] {"{\"record\":{\"note\":\"\\ud800\"}}", "{\"record\":{},\"a\":1}",
                "{\"record\":{},\"record\":{}}", "{\"record\":{}} []", "{\"record\":{\"a\":1.0}}"}) {
            MalformedRecordException whole = assertThrows(MalformedRecordException.class, () -> Canonical.parseCanonical(utf8(bad)));
            MalformedRecordException member = assertThrows(MalformedRecordException.class,
                    () -> Canonical.parseCanonical(utf8(bad), "record"), bad);
            assertEquals(whole.getMessage(), member.getMessage(), bad);
        }
    }

    @Test
    void parseCanonicalWithMember_noSuchObjectMember_illegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> Canonical.parseCanonical(utf8("{\"record\":1}"), "record"));
        assertThrows(IllegalArgumentException.class, () -> Canonical.parseCanonical(utf8("{\"a\":{}}"), "record"));
    }
}
