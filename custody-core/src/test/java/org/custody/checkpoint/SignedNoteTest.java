package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignedNoteTest {
    private static final String SIG = "\u2014 a.example/k AAAAAAE=\n";

    @Test
    void parse_wellFormed_keepsTextAndLines() {
        String note = "line one\n\nline three after an inner blank line\n\n" + SIG + "\u2014 b xxllOAI=\n";
        SignedNote parsed = SignedNote.parse(Fixtures.utf8(note));
        assertEquals("line one\n\nline three after an inner blank line\n", parsed.text());
        assertEquals(2, parsed.signatures().size());
        assertEquals("a.example/k", parsed.signatures().get(0).name());
        assertEquals("00000000", parsed.signatures().get(0).keyId());
        assertArrayEquals(new byte[] {1}, parsed.signatures().get(0).payload());
        assertEquals("c7196538", parsed.signatures().get(1).keyId());
        assertEquals(note, parsed.toString());
        assertArrayEquals(Fixtures.utf8(note), parsed.bytes());
    }

    static Stream<Arguments> defects() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("missing-trailing-newline", "t\n\n\u2014 a AAAAAAE=", 3, "does not end in a newline"));
        cases.add(Arguments.of("no-blank-line", "t\n" + SIG, 0, "no blank line"));
        cases.add(Arguments.of("no-signature-lines", "t\n\n", 3, "at least one signature line"));
        cases.add(Arguments.of("no-text", "\n\n" + SIG, 1, "no text"));
        cases.add(Arguments.of("extra-blank-line", "t\n\n\n" + SIG, 2, "extra blank line"));
        cases.add(Arguments.of("em-dash-missing", "t\n\na.example/k AAAAAAE=\n", 3, "em dash"));
        cases.add(Arguments.of("hyphen-for-em-dash", "t\n\n- a.example/k AAAAAAE=\n", 3, "em dash"));
        cases.add(Arguments.of("en-dash-for-em-dash", "t\n\n\u2013 a.example/k AAAAAAE=\n", 3, "em dash"));
        cases.add(Arguments.of("em-dash-without-space", "t\n\n\u2014a.example/k AAAAAAE=\n", 3, "em dash"));
        cases.add(Arguments.of("no-space-after-name", "t\n\n\u2014 a.example/kAAAAAAE=\n", 3, "no space"));
        cases.add(Arguments.of("two-spaces-after-name", "t\n\n\u2014 a  AAAAAAE=\n", 3, "not canonical base64"));
        cases.add(Arguments.of("trailing-space", "t\n\n\u2014 a AAAAAAE= \n", 3, "not canonical base64"));
        cases.add(Arguments.of("name-with-plus", "t\n\n\u2014 a+b AAAAAAE=\n", 3, "plus sign"));
        cases.add(Arguments.of("empty-name", "t\n\n\u2014  AAAAAAE=\n", 3, "is empty"));
        cases.add(Arguments.of("signature-unpadded", "t\n\n\u2014 a AAAAAAE\n", 3, "not canonical base64"));
        cases.add(Arguments.of("signature-spare-bits", "t\n\n\u2014 a AAAAAAF=\n", 3, "not canonical base64"));
        cases.add(Arguments.of("signature-too-short", "t\n\n\u2014 a AAAAAA==\n", 3, "4-byte key id"));
        cases.add(Arguments.of("duplicate-key", "t\n\n" + SIG + "\u2014 a.example/k AAAAAAI=\n", 4, "repeats the key"));
        cases.add(Arguments.of("carriage-return", "t\r\n\n" + SIG, 1, "control character"));
        cases.add(Arguments.of("tab-in-text", "a\n\tb\n\n" + SIG, 2, "control character"));
        cases.add(Arguments.of("nul-in-signature-line", "t\n\n\u2014 a AAAAAAE=\u0000\n", 3, "control character"));
        StringBuilder many = new StringBuilder("t\n\n");
        for (int i = 0; i <= NoteText.MAX_SIGNATURES; i++) {
            many.append("\u2014 k").append(i).append(" AAAAAAE=\n");
        }
        cases.add(Arguments.of("too-many-signatures", many.toString(), 103, "more than 100"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void parse_defect_throwsNamingTheLine(String defect, String note, int line, String message) {
        MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> SignedNote.parse(Fixtures.utf8(note)));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void parse_blankLineBetweenSignatures_readsTheFirstSignatureAsText() {
        String note = "t\n\n" + SIG + "\n" + SIG.replace("a.example/k", "b");
        SignedNote parsed = SignedNote.parse(Fixtures.utf8(note));
        assertEquals("t\n\n" + SIG, parsed.text());
        assertEquals(1, parsed.signatures().size());
        assertThrows(MalformedNoteException.class, () -> Checkpoint.parse(parsed.text()));
    }

    @Test
    void parse_invalidUtf8_throwsNamingTheLine() {
        byte[] note = Fixtures.utf8("ok\nbad \n\n" + SIG);
        note[6] = (byte) 0xc0;
        MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> SignedNote.parse(note));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void parse_overlongEncodingOfNewline_throws() {
        byte[] note = Fixtures.utf8("t\n\n" + SIG);
        byte[] overlong = new byte[note.length + 1];
        overlong[0] = 't';
        overlong[1] = (byte) 0xc0;
        overlong[2] = (byte) 0x8a;
        System.arraycopy(note, 2, overlong, 3, note.length - 2);
        assertThrows(MalformedNoteException.class, () -> SignedNote.parse(overlong));
    }

    @Test
    void parse_tooLarge_throws() {
        byte[] note = Fixtures.utf8("x".repeat(NoteText.MAX_NOTE_BYTES) + "\n\n" + SIG);
        MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> SignedNote.parse(note));
        assertTrue(e.getMessage().contains("more than 65536"), e.getMessage());
    }

    @Test
    void parse_hundredSignatures_isAccepted() {
        StringBuilder b = new StringBuilder("t\n\n");
        for (int i = 0; i < NoteText.MAX_SIGNATURES; i++) {
            b.append("\u2014 k").append(i).append(" AAAAAAE=\n");
        }
        assertEquals(NoteText.MAX_SIGNATURES, SignedNote.parse(Fixtures.utf8(b.toString())).signatures().size());
    }

    @Test
    void withSignature_sameKeyAgain_replacesTheLine() {
        NoteSigner signer = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        NoteSigner other = NoteSigner.of("other.example/k", Fixtures.key(SignatureAlgorithm.ED25519, "other"));
        SignedNote note = other.sign(signer.sign("hello\n"));
        assertEquals(2, note.signatures().size());
        SignedNote again = signer.sign(note);
        assertEquals(note, again);
        assertEquals(signer.key().name(), again.signatures().get(0).name());
    }

    @Test
    void sign_invalidText_throws() {
        NoteSigner signer = Fixtures.logSigner(SignatureAlgorithm.ED25519);
        for (String text : new String[] {"", "no newline", "blank line at end\n\n", "\n", "tab\there\n", "cr\r\n", "\ud800\n"}) {
            assertThrows(MalformedInputException.class, () -> signer.sign(text), text);
        }
    }
}
