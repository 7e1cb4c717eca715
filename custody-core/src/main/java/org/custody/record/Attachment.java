package org.custody.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.Text;

/**
 * A file taken at the scene (a photo of the seal, a video segment of the vault camera) that a handoff or incident
 * vouches for without carrying it: its digest, size in bytes, media type and, optionally, the name it was taken under.
 * The file itself stays with the evidence; {@code custody verify --attachments DIR} finds it again by its digest.
 *
 * @param alg       the digest's algorithm: SHA-256 or SM3, whatever the ledger's suite
 * @param digest    the file's digest (32 bytes for both)
 * @param size      the file's length in bytes, 0 to 2^53 − 1
 * @param mediaType an RFC 6838 media type {@code type/subtype} in lowercase, without parameters
 * @param name      the file's name as taken (no folder), or {@code null}; a label for people, never trusted to find the file
 */
public record Attachment(HashAlgorithm alg, Hash digest, long size, String mediaType, String name) {
    /** Most attachments one record may carry. */
    public static final int MAX_PER_RECORD = 64;
    /** The largest size a record can state (JSON integers are exact up to 2^53 − 1, as sequence numbers). */
    public static final long MAX_SIZE = (1L << 53) - 1;
    /** Longest media type accepted: RFC 6838 names are at most 127 characters on each side of the slash. */
    public static final int MAX_MEDIA_TYPE = 255;

    /** RFC 6838 §4.2 restricted-name, lowercase (media types are case-insensitive: one spelling per type). */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

    public Attachment {
        if (alg == null || digest == null) {
            throw new MalformedInputException("an attachment needs its digest algorithm and digest");
        }
        if (size < 0 || size > MAX_SIZE) {
            throw new MalformedInputException("an attachment's size is 0 to " + MAX_SIZE + " bytes, got " + size);
        }
        requireMediaType(mediaType);
        requireName(name);
    }

    /**
     * The attachment describing the regular file at {@code file}, hashed with {@code alg} as it is read; named by the
     * file's own name.
     *
     * @throws MalformedInputException if {@code file} is not a regular file, its name cannot be recorded, or the media type
     *                                 is not one
     * @throws IOException             if the file cannot be read
     */
    public static Attachment ofFile(Path file, HashAlgorithm alg, String mediaType) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new MalformedInputException(printable(file.toString()) + " is not a regular file (a folder, a link or missing): attach the file itself");
        }
        requireMediaType(mediaType);
        String name = file.getFileName().toString();
        requireName(name);
        HashAlgorithm.Streamed streamed;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            streamed = alg.digest(in);
        }
        return new Attachment(alg, streamed.digest(), streamed.size(), mediaType, name);
    }

    /** This attachment in a few words for people: name (if any), media type, size and the digest's first 16 digits. */
    public String describe() {
        return (name == null ? "" : name + " ") + "(" + mediaType + ", " + size + " bytes, " + alg.wire() + " "
                + digest.hex().substring(0, 16) + "…)";
    }

    /**
     * {@code attachments} as a record keeps them: at most {@link #MAX_PER_RECORD}, no file twice (the same algorithm and
     * digest); {@code null} is none.
     */
    static List<Attachment> require(String what, List<Attachment> attachments) {
        if (attachments == null) {
            return List.of();
        }
        if (attachments.size() > MAX_PER_RECORD) {
            throw new MalformedInputException(what + " carries " + attachments.size() + " attachments; at most " + MAX_PER_RECORD
                    + " are allowed");
        }
        Set<List<Object>> seen = new HashSet<>();
        for (Attachment a : attachments) {
            Objects.requireNonNull(a, "attachment");
            if (!seen.add(a.key())) {
                throw new MalformedInputException(what + " lists the file " + a.alg().wire() + " " + a.digest().hex() + " twice");
            }
        }
        return List.copyOf(attachments);
    }

    /** What makes two attachments the same file. */
    List<Object> key() {
        return List.of(alg, digest);
    }

    static void requireMediaType(String mediaType) {
        if (mediaType == null) {
            throw new MalformedInputException("an attachment needs its media type, e.g. image/jpeg or video/mp4");
        }
        if (mediaType.length() > MAX_MEDIA_TYPE || !MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new MalformedInputException("'" + printable(mediaType) + "' is not a media type as RFC 6838 writes one: type/subtype"
                    + " in lowercase letters, digits and !#$&^_.+- (each part starting with a letter or digit, at most 127 long),"
                    + " without parameters, e.g. image/jpeg");
        }
    }

    /**
     * A name a file was taken under, as a label only: no folder ({@code /}, {@code \}, {@code :}), not {@code .} or
     * {@code ..}, no control, line-separator or invisible formatting character (a right-to-left override could make
     * {@code gpj.exe} read as {@code exe.jpg}), no leading or trailing space.
     */
    static void requireName(String name) {
        if (name == null) {
            return;
        }
        Text.optional("attachment name", name, Text.MAX_SHORT);
        if (name.equals(".") || name.equals("..") || name.strip().length() != name.length()) {
            throw new MalformedInputException("attachment name '" + printable(name) + "' is not a file name: no leading or trailing space, not . or ..");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            if (c == '/' || c == '\\' || c == ':' || Character.isISOControl(c) || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE) {
                throw new MalformedInputException("attachment name '" + printable(name) + "' has " + String.format("U+%04X", c)
                        + " at position " + i + ": a file name as taken, without a folder (/ \\ :), control or invisible formatting characters");
            }
            i += Character.charCount(c);
        }
    }

    /** {@code s} with everything that is not printable shown as {@code U+XXXX}, for messages (at most 80 characters). */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.PRIVATE_USE) {
                out.append(String.format("U+%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return s.codePoints().count() > 80 ? out + "…" : out.toString();
    }
}
