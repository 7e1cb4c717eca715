package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CheckpointTest {
    private static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    @Test
    void parse_specExample_readsOriginSizeAndRoot() {
        Checkpoint c = Checkpoint.parse("example.com/behind-the-sofa\n20852163\n" + ROOT + "\n");
        assertEquals("example.com/behind-the-sofa", c.origin());
        assertEquals(20852163L, c.size());
        assertEquals("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62", c.root().hex());
        assertEquals(List.of(), c.extensions());
    }

    @Test
    void text_parsed_isTheSameBytes() {
        String text = "custody.example/log\n0\n" + ROOT + "\nextension one\n\u5f53\u65e5 \u2014 two\n";
        Checkpoint c = Checkpoint.parse(text);
        assertEquals(List.of("extension one", "\u5f53\u65e5 \u2014 two"), c.extensions());
        assertEquals(text, c.text());
    }

    @Test
    void parse_largestSize_isAccepted() {
        assertEquals(Long.MAX_VALUE, Checkpoint.parse("o\n9223372036854775807\n" + ROOT + "\n").size());
    }

    static Stream<Arguments> defects() {
        return Stream.of(
                Arguments.of("missing-trailing-newline", "o\n5\n" + ROOT, 3, "missing trailing newline"),
                Arguments.of("two-lines", "o\n5\n", 3, "at least 3 lines"),
                Arguments.of("empty", "", 1, "at least 3 lines"),
                Arguments.of("size-leading-zero", "o\n05\n" + ROOT + "\n", 2, "leading zero"),
                Arguments.of("size-zero-zero", "o\n00\n" + ROOT + "\n", 2, "leading zero"),
                Arguments.of("size-plus-sign", "o\n+5\n" + ROOT + "\n", 2, "not a decimal number"),
                Arguments.of("size-negative", "o\n-1\n" + ROOT + "\n", 2, "not a decimal number"),
                Arguments.of("size-empty", "o\n\n" + ROOT + "\n", 2, "not a decimal number"),
                Arguments.of("size-hex", "o\n0x10\n" + ROOT + "\n", 2, "not a decimal number"),
                Arguments.of("size-arabic-indic-digit", "o\n\u0665\n" + ROOT + "\n", 2, "not a decimal number"),
                Arguments.of("size-2-pow-63", "o\n9223372036854775808\n" + ROOT + "\n", 2, "2^63 or more"),
                Arguments.of("size-20-digits", "o\n10000000000000000000\n" + ROOT + "\n", 2, "2^63 or more"),
                Arguments.of("size-trailing-space", "o\n5 \n" + ROOT + "\n", 2, "trailing space on the tree size line"),
                Arguments.of("origin-empty", "\n5\n" + ROOT + "\n", 1, "origin is empty"),
                Arguments.of("origin-trailing-space", "o \n5\n" + ROOT + "\n", 1, "trailing space on the origin line"),
                Arguments.of("origin-inner-space", "a b\n5\n" + ROOT + "\n", 1, "origin contains a space"),
                Arguments.of("origin-no-break-space", "a\u00a0b\n5\n" + ROOT + "\n", 1, "origin contains a space"),
                Arguments.of("origin-tab", "a\tb\n5\n" + ROOT + "\n", 1, "control character"),
                Arguments.of("carriage-return", "o\r\n5\n" + ROOT + "\n", 1, "control character"),
                Arguments.of("root-wrong-length", "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n", 3, "31 bytes, expected 32"),
                Arguments.of("root-33-bytes", "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n", 3, "33 bytes, expected 32"),
                Arguments.of("root-unpadded", "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", 3, "not canonical base64"),
                Arguments.of("root-spare-bits", "o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", 3, "not canonical base64"),
                Arguments.of("root-url-alphabet", "o\n5\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n", 3, "not canonical base64"),
                Arguments.of("root-hex", "o\n5\n0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62\n", 3, "48 bytes, expected 32"),
                Arguments.of("root-trailing-space", "o\n5\n" + ROOT + " \n", 3, "trailing space on the root hash line"),
                Arguments.of("extension-empty", "o\n5\n" + ROOT + "\n\n", 4, "extension line is empty"),
                Arguments.of("extension-after-blank", "o\n5\n" + ROOT + "\nx\n\ny\n", 5, "extension line is empty"),
                Arguments.of("extension-trailing-space", "o\n5\n" + ROOT + "\nx \n", 4, "trailing space on the extension line")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void parse_defect_throwsNamingTheLine(String defect, String text, int line, String message) {
        MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> Checkpoint.parse(text));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
    }

    @Test
    void constructor_invalidValues_throw() {
        Hash root = Hash.ZERO;
        assertThrows(MalformedInputException.class, () -> Checkpoint.of("", 1, root));
        assertThrows(MalformedInputException.class, () -> Checkpoint.of("a b", 1, root));
        assertThrows(MalformedInputException.class, () -> Checkpoint.of("o", -1, root));
        assertThrows(MalformedInputException.class, () -> Checkpoint.of("x".repeat(256), 1, root));
        assertThrows(MalformedInputException.class, () -> new Checkpoint("o", 1, root, List.of("")));
        assertThrows(MalformedInputException.class, () -> new Checkpoint("o", 1, root, List.of("a\nb")));
        assertThrows(MalformedInputException.class, () -> new Checkpoint("o", 1, root, List.of("trailing ")));
        assertThrows(NullPointerException.class, () -> Checkpoint.of("o", 1, null));
    }

    @Test
    void of_origin255Bytes_isAcceptedAndRoundTrips() {
        Checkpoint c = Checkpoint.of("\u00e9".repeat(127) + "x", 7, Hash.ZERO);
        assertEquals(c, Checkpoint.parse(c.text()));
    }
}
