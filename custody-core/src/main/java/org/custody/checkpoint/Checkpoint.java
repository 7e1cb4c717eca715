package org.custody.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;

/**
 * A log checkpoint, the body of a C2SP tlog-checkpoint note: origin, tree size and root hash, then optional extension
 * lines, each line ending in a newline. The root is the RFC 6962 Merkle root of the first {@code size} entries
 * ({@code docs/merkle.md}), so the size and root are only meaningful together, from one signed note.
 *
 * @param origin the log's identity: non-empty, at most 255 UTF-8 bytes, no Unicode space or control character
 * @param size the number of leaves, 0 to 2^63-1
 * @param root the Merkle root of the first {@code size} leaves (32 bytes)
 * @param extensions opaque extra lines, each non-empty, without control characters or trailing space
 */
public record Checkpoint(String origin, long size, Hash root, List<String> extensions) {
    /** Digits of the largest tree size, 2^63-1. */
    private static final int MAX_SIZE_DIGITS = 19;

    public Checkpoint {
        String problem = originProblem(Objects.requireNonNull(origin, "origin"));
        if (problem != null) {
            throw new MalformedInputException("origin '" + origin + "' " + problem);
        }
        if (size < 0) {
            throw new MalformedInputException("tree size " + size + " is negative");
        }
        Objects.requireNonNull(root, "root");
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            problem = extensionProblem(line);
            if (problem != null) {
                throw new MalformedInputException("extension line '" + line + "' " + problem);
            }
        }
    }

    /** A checkpoint without extension lines. */
    public static Checkpoint of(String origin, long size, Hash root) {
        return new Checkpoint(origin, size, root, List.of());
    }

    /**
     * Parses a checkpoint body strictly: at least three lines, every line ending in a newline, no trailing space, the
     * size in decimal without leading zeros and below 2^63, the root canonical base64 of exactly 32 bytes.
     *
     * @throws MalformedNoteException naming the line that is wrong
     */
    public static Checkpoint parse(String text) {
        if (text.length() > NoteText.MAX_NOTE_BYTES) {
            throw new MalformedNoteException(0, "checkpoint is longer than " + NoteText.MAX_NOTE_BYTES + " characters");
        }
        NoteText.requireNoControl(text, 1);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            lines.add(text.substring(start, nl));
            start = nl + 1;
        }
        if (start != text.length()) {
            throw new MalformedNoteException(lines.size() + 1, "missing trailing newline: every checkpoint line ends in a newline");
        }
        if (lines.size() < 3) {
            throw new MalformedNoteException(lines.size() + 1,
                    "a checkpoint has at least 3 lines (origin, tree size, root hash), got " + lines.size());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.isEmpty() && NoteText.isSpace(line.codePointBefore(line.length()))) {
                throw new MalformedNoteException(i + 1, "trailing space on the " + what(i) + " line");
            }
        }
        String problem = originProblem(lines.get(0));
        if (problem != null) {
            throw new MalformedNoteException(1, "origin " + problem);
        }
        long size = parseSize(lines.get(1));
        byte[] root = NoteText.canonicalBase64(lines.get(2));
        if (root == null) {
            throw new MalformedNoteException(3, "root hash is not canonical base64 (standard alphabet, padded)");
        }
        if (root.length != Hash.LENGTH) {
            throw new MalformedNoteException(3, "root hash is " + root.length + " bytes, expected " + Hash.LENGTH);
        }
        List<String> extensions = lines.subList(3, lines.size());
        for (int i = 0; i < extensions.size(); i++) {
            problem = extensionProblem(extensions.get(i));
            if (problem != null) {
                throw new MalformedNoteException(i + 4, "extension line " + problem);
            }
        }
        return new Checkpoint(lines.get(0), size, Hash.of(root), extensions);
    }

    private static String what(int index) {
        return index == 0 ? "origin" : index == 1 ? "tree size" : index == 2 ? "root hash" : "extension";
    }

    private static long parseSize(String line) {
        if (line.isEmpty() || !line.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedNoteException(2, "tree size '" + line + "' is not a decimal number");
        }
        if (line.length() > 1 && line.charAt(0) == '0') {
            throw new MalformedNoteException(2, "tree size '" + line + "' has a leading zero");
        }
        if (line.length() > MAX_SIZE_DIGITS) {
            throw new MalformedNoteException(2, "tree size " + line + " is 2^63 or more");
        }
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new MalformedNoteException(2, "tree size " + line + " is 2^63 or more");
        }
    }

    static String originProblem(String origin) {
        if (origin.isEmpty()) {
            return "is empty";
        }
        if (origin.getBytes(StandardCharsets.UTF_8).length > NoteText.MAX_NAME_BYTES) {
            return "is longer than " + NoteText.MAX_NAME_BYTES + " bytes";
        }
        for (int i = 0; i < origin.length(); ) {
            int cp = origin.codePointAt(i);
            if (NoteText.isSpace(cp) || cp < 0x20) {
                return "contains a space or control character (U+" + String.format("%04X", cp) + ")";
            }
            if (Character.isSurrogate((char) cp)) {
                return "contains an unpaired surrogate";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String extensionProblem(String line) {
        if (line.isEmpty()) {
            return "is empty (a blank line)";
        }
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) < 0x20) {
                return "contains a control character";
            }
        }
        if (NoteText.isSpace(line.codePointBefore(line.length()))) {
            return "ends in a space";
        }
        return null;
    }

    /** The body as signed: {@code origin\nsize\nbase64(root)\n} and one line per extension. */
    public String text() {
        StringBuilder b = new StringBuilder().append(origin).append('\n').append(size).append('\n')
                .append(NoteText.base64(root.bytes())).append('\n');
        extensions.forEach(e -> b.append(e).append('\n'));
        return b.toString();
    }
}
