package org.custody.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.custody.failure.MalformedInputException;

/**
 * A signed note (C2SP signed-note) as parsed, before any signature is checked: the text (each line ending in a
 * newline), a blank line, and 1-100 signature lines {@code — <key name> <base64(key id || signature)>}. Parsing is
 * strict: valid UTF-8, no control character but the newline, at most 64 KiB, canonical base64, no key twice, no blank
 * line at the end of the text. Only a {@link NoteVerifier} says whether the text can be trusted.
 */
public final class SignedNote {
    private final String text;
    private final List<NoteSignature> signatures;

    private SignedNote(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = List.copyOf(signatures);
    }

    /**
     * Parses a signed note.
     *
     * @throws MalformedNoteException naming the line that breaks the format
     */
    public static SignedNote parse(byte[] note) {
        if (note.length > NoteText.MAX_NOTE_BYTES) {
            throw new MalformedNoteException(0, "note is " + note.length + " bytes, more than " + NoteText.MAX_NOTE_BYTES);
        }
        String all = NoteText.decode(note);
        int split = all.lastIndexOf("\n\n");
        if (split < 0) {
            throw new MalformedNoteException(0, "no blank line separates the text from the signature lines");
        }
        String text = all.substring(0, split + 1);
        int textLines = lines(text);
        requireText(text);
        String block = all.substring(split + 2);
        int first = textLines + 2;
        if (block.isEmpty()) {
            throw new MalformedNoteException(first, "a note has at least one signature line after the blank line");
        }
        if (block.charAt(block.length() - 1) != '\n') {
            throw new MalformedNoteException(first + lines(block), "the last signature line does not end in a newline");
        }
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > NoteText.MAX_SIGNATURES) {
            throw new MalformedNoteException(first + NoteText.MAX_SIGNATURES,
                    "more than " + NoteText.MAX_SIGNATURES + " signature lines");
        }
        List<NoteSignature> signatures = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            NoteSignature s = signatureLine(lines[i], first + i);
            for (int j = 0; j < signatures.size(); j++) {
                if (signatures.get(j).sameKey(s)) {
                    throw new MalformedNoteException(first + i, "repeats the key " + s.name() + "+" + s.keyId()
                            + " of line " + (first + j));
                }
            }
            signatures.add(s);
        }
        return new SignedNote(text, signatures);
    }

    private static NoteSignature signatureLine(String line, int number) {
        if (!line.startsWith(NoteText.SIGNATURE_PREFIX)) {
            throw new MalformedNoteException(number,
                    "a signature line starts with an em dash (U+2014) and a space, got '" + shorten(line) + "'");
        }
        String rest = line.substring(NoteText.SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new MalformedNoteException(number, "no space between the key name and the signature");
        }
        String name = rest.substring(0, space);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new MalformedNoteException(number, "key name '" + shorten(name) + "' " + problem);
        }
        byte[] raw = NoteText.canonicalBase64(rest.substring(space + 1));
        if (raw == null) {
            throw new MalformedNoteException(number, "signature is not canonical base64 (standard alphabet, padded)");
        }
        if (raw.length < 5) {
            throw new MalformedNoteException(number, "signature is " + raw.length + " bytes: a 4-byte key id and at least one more");
        }
        int id = ((raw[0] & 0xff) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        return new NoteSignature(name, id, Arrays.copyOfRange(raw, 4, raw.length));
    }

    /** Checks note text: non-empty, ending in a newline, not in a blank line; the caller has checked the characters. */
    private static void requireText(String text) {
        if (text.equals("\n")) {
            throw new MalformedNoteException(1, "the note has no text before the blank line");
        }
        if (text.endsWith("\n\n")) {
            throw new MalformedNoteException(lines(text), "extra blank line: the text ends in a blank line");
        }
    }

    /** A note of {@code text} with {@code signatures}; for signers. */
    static SignedNote of(String text, List<NoteSignature> signatures) {
        checkText(text);
        if (signatures.isEmpty() || signatures.size() > NoteText.MAX_SIGNATURES) {
            throw new MalformedInputException("a note has 1-" + NoteText.MAX_SIGNATURES + " signatures, got " + signatures.size());
        }
        for (int i = 0; i < signatures.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (signatures.get(i).sameKey(signatures.get(j))) {
                    throw new MalformedInputException("two signatures by key " + signatures.get(i).name() + "+"
                            + signatures.get(i).keyId());
                }
            }
        }
        SignedNote note = new SignedNote(text, signatures);
        int size = note.bytes().length;
        if (size > NoteText.MAX_NOTE_BYTES) {
            throw new MalformedInputException("note would be " + size + " bytes, more than " + NoteText.MAX_NOTE_BYTES);
        }
        return note;
    }

    /** Checks text to be signed, throwing {@link IllegalArgumentException}. */
    static byte[] checkText(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new MalformedInputException("note text must end in a newline");
        }
        byte[] bytes = NoteText.utf8(text);
        if (bytes.length > NoteText.MAX_NOTE_BYTES) {
            throw new MalformedInputException("note text is " + bytes.length + " bytes, more than " + NoteText.MAX_NOTE_BYTES);
        }
        try {
            NoteText.requireNoControl(text, 1);
            requireText(text);
        } catch (MalformedNoteException e) {
            throw new MalformedInputException("not valid note text: " + e.getMessage(), e);
        }
        return bytes;
    }

    private static int lines(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** The signed text, including its final newline. */
    public String text() {
        return text;
    }

    /** The signature lines in order, unverified. */
    public List<NoteSignature> signatures() {
        return signatures;
    }

    /** This note with {@code signature} added, or put in place of an earlier signature by the same key. */
    public SignedNote withSignature(NoteSignature signature) {
        List<NoteSignature> out = new ArrayList<>(signatures.size() + 1);
        boolean replaced = false;
        for (NoteSignature s : signatures) {
            if (s.sameKey(signature)) {
                out.add(signature);
                replaced = true;
            } else {
                out.add(s);
            }
        }
        if (!replaced) {
            out.add(signature);
        }
        return of(text, out);
    }

    /** The 1-based line number of signature {@code index} in the note. */
    int lineOf(int index) {
        return lines(text) + 2 + index;
    }

    /** The note as written: text, blank line, signature lines. */
    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(text.length() + 128 * signatures.size()).append(text).append('\n');
        for (NoteSignature s : signatures) {
            b.append(s.line()).append('\n');
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedNote n && text.equals(n.text) && signatures.equals(n.signatures);
    }

    @Override
    public int hashCode() {
        return 31 * text.hashCode() + signatures.hashCode();
    }
}
