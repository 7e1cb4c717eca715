package org.custody.ledger.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;

/**
 * The one strict reader of Custody's line formats, export bundles and bag evidence (formats.md §11, §12):
 * streamed, every line ends in a newline, at most {@code maxLine} bytes a line and {@code maxTotal} in all,
 * text lines strict UTF-8 without a carriage return, numbers in one spelling, canonical base64 and hex. Every
 * error is a {@link MalformedBundleException} naming the line; nothing is read past what was asked for.
 */
final class StrictLines {
    private final InputStream in;
    private final String what;
    private final int maxLine;
    private final long maxTotal;
    private byte[] pending;
    private long number;
    private long total;

    /**
     * @param what     what is read, for messages ("bundle", "evidence")
     * @param maxLine  the longest line allowed, in bytes
     * @param maxTotal the most bytes read in all
     */
    StrictLines(InputStream in, String what, int maxLine, long maxTotal) {
        this.in = new java.io.BufferedInputStream(in, 1 << 16);
        this.what = what;
        this.maxLine = maxLine;
        this.maxTotal = maxTotal;
    }

    /** Whether there is a next line and it starts with {@code prefix}; reads no further than that line. */
    boolean nextStartsWith(String prefix) {
        fill();
        if (pending == null || pending.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (pending[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The next line's bytes as they are (without the newline). */
    byte[] nextBytes() {
        fill();
        if (pending == null) {
            throw new MalformedBundleException(number + 1, "the " + what + " ends early (truncated?)");
        }
        byte[] line = pending;
        pending = null;
        number++;
        return line;
    }

    /** The next line as text: strict UTF-8, no carriage return. */
    String next() {
        byte[] line = nextBytes();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            throw error("not valid UTF-8");
        }
        if (text.indexOf('\r') >= 0) {
            throw error("carriage return: lines end in a newline only");
        }
        return text;
    }

    void expect(String text) {
        String line = next();
        if (!line.equals(text)) {
            throw error("expected '" + text + "', got '" + shorten(line) + "'");
        }
    }

    /** The next line split on single spaces; its first field must be {@code kind}, and it must have {@code n} fields (any if negative). */
    String[] fields(String kind, int n) {
        String line = next();
        String[] f = line.split(" ", -1);
        if (!f[0].equals(kind)) {
            throw error("expected a '" + kind + "' line, got '" + shorten(line) + "'");
        }
        if (n >= 0 && f.length != n) {
            throw error("a '" + kind + "' line has " + n + " fields, got " + f.length);
        }
        return f;
    }

    /** {@code line} split on single spaces into exactly {@code n} parts (the last keeps its spaces), or an error naming {@code form}. */
    String[] split(String line, int n, String form) {
        String[] f = line.split(" ", n);
        if (f.length != n) {
            throw error("expected '" + form + "'");
        }
        return f;
    }

    /** Nothing may follow: the last line has been read. */
    void expectEnd() {
        fill();
        if (pending != null) {
            number++;
            throw error("trailing data after the 'end' line");
        }
    }

    /** A decimal number without sign or leading zeros, below 2^63. */
    long number(String s) {
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                || (s.length() > 1 && s.charAt(0) == '0')) {
            throw error("'" + shorten(s) + "' is not a decimal number without leading zeros");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error(s + " is 2^63 or more");
        }
    }

    /** Standard, padded base64 with no other spelling of the same bytes. */
    byte[] base64(String s) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) { // the JDK's decoder
            throw error("not canonical base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(s)) {
            throw error("not canonical base64 (standard alphabet, padded)");
        }
        return bytes;
    }

    Hash hash(String hex) {
        try {
            return Hash.fromHex(hex);
        } catch (MalformedInputException e) {
            throw error("'" + shorten(hex) + "' is not a hash of 64 lowercase hex digits");
        }
    }

    /** An error at the line read last. */
    MalformedBundleException error(String message) {
        return new MalformedBundleException(number, message);
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private void fill() {
        if (pending != null) {
            return;
        }
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
            int ch;
            while ((ch = in.read()) >= 0) {
                if (++total > maxTotal) {
                    throw new MalformedBundleException(number + 1, "the " + what + " is larger than " + maxTotal + " bytes");
                }
                if (ch == '\n') {
                    pending = b.toByteArray();
                    return;
                }
                if (b.size() >= maxLine) {
                    throw new MalformedBundleException(number + 1, "line longer than " + maxLine + " bytes");
                }
                b.write(ch);
            }
            if (b.size() > 0) {
                throw new MalformedBundleException(number + 1, "the last line does not end in a newline (truncated?)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + ": " + e.getMessage(), e);
        }
    }
}
