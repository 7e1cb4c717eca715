package org.custody.checkpoint;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.custody.failure.MalformedInputException;

/** The lexical rules shared by notes, checkpoint bodies and verifier keys: UTF-8, names, canonical base64. */
final class NoteText {
    /** Longest signed note accepted, in bytes (text and signature lines). */
    static final int MAX_NOTE_BYTES = 65_536;
    /** Most signature lines accepted in one note. */
    static final int MAX_SIGNATURES = 100;
    /** Longest key name or origin, in UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 255;
    /** The start of every signature line: em dash (U+2014) and a space. */
    static final String SIGNATURE_PREFIX = "\u2014 ";

    private NoteText() {}

    /**
     * Decodes strict UTF-8 (no overlong forms, no surrogates) and refuses ASCII control characters other than the
     * newline, naming the line of the first bad byte.
     */
    static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new MalformedNoteException(lineAt(bytes, in.position()),
                    "not valid UTF-8 (byte 0x" + String.format("%02x", bytes[in.position()] & 0xff) + " at offset "
                            + in.position() + ")");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        requireNoControl(text, 1);
        return text;
    }

    /** Refuses ASCII control characters other than newline; {@code firstLine} is the line number of text[0]. */
    static void requireNoControl(String text, int firstLine) {
        int line = firstLine;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c < 0x20) {
                throw new MalformedNoteException(line, "control character U+" + String.format("%04X", (int) c)
                        + " (only the newline is allowed)");
            }
        }
    }

    /** Checks that {@code text} can be written as UTF-8 (no unpaired surrogates). */
    static byte[] utf8(String text) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new MalformedInputException("text has an unpaired surrogate and cannot be written as UTF-8", e);
        }
    }

    private static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** A Unicode space: Go's {@code unicode.IsSpace}, the White_Space property. */
    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
    }

    /** What is wrong with a key name (signed-note: non-empty, no Unicode space, no plus), or null. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "is longer than " + MAX_NAME_BYTES + " bytes";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (cp == '+') {
                return "contains a plus sign";
            }
            if (isSpace(cp) || cp < 0x20) {
                return "contains a space or control character (U+" + String.format("%04X", cp) + ")";
            }
            if (Character.isSurrogate((char) cp)) {
                return "contains an unpaired surrogate";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Decodes standard padded base64, refusing every other spelling of the same bytes; null if not canonical. */
    static byte[] canonicalBase64(String text) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(raw).equals(text) ? raw : null;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
