package org.custody.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;

/**
 * The body of a C2SP tlog-witness {@code add-checkpoint} request: {@code old <size>}, zero to 63 consistency proof
 * lines (base64 of one 32-byte hash each), an empty line, then the signed checkpoint. Read strictly: every line ends in
 * a newline, the size is decimal without leading zeros, the base64 canonical, and the proof empty when the old size is
 * zero.
 *
 * @param oldSize    the size of the checkpoint the client believes the witness cosigned last (0: none)
 * @param proof      the RFC 6962 consistency proof from {@code oldSize} to the checkpoint's size
 * @param checkpoint the signed checkpoint note, with all its signature lines
 */
public record AddCheckpoint(long oldSize, List<Hash> proof, byte[] checkpoint) {
    /** Most proof lines a request may carry (tlog-witness). */
    public static final int MAX_PROOF_LINES = 63;
    /** Largest request body: the largest note and the largest proof, with room for their line syntax. */
    public static final int MAX_BYTES = NoteText.MAX_NOTE_BYTES + 64 * 64;

    public AddCheckpoint {
        proof = List.copyOf(proof);
        checkpoint = checkpoint.clone();
        if (oldSize < 0) {
            throw new MalformedInputException("the old size is 0 to 2^63-1, got " + oldSize);
        }
        if (proof.size() > MAX_PROOF_LINES) {
            throw new MalformedInputException("a consistency proof has at most " + MAX_PROOF_LINES + " hashes, got " + proof.size());
        }
        if (oldSize == 0 && !proof.isEmpty()) {
            throw new MalformedInputException("the proof must be empty when the old size is 0");
        }
    }

    @Override
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    /** The request body. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("old " + oldSize + "\n").getBytes(StandardCharsets.US_ASCII));
        for (Hash h : proof) {
            out.writeBytes((NoteText.base64(h.bytes()) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write('\n');
        out.writeBytes(checkpoint);
        return out.toByteArray();
    }

    /**
     * Parses a request body. The checkpoint itself is not parsed here.
     *
     * @throws MalformedNoteException naming the line, if the body is not such a request
     */
    public static AddCheckpoint parse(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw new MalformedNoteException(0, "the request is " + body.length + " bytes, more than " + MAX_BYTES);
        }
        int pos = 0;
        int line = 0;
        long oldSize = -1;
        List<Hash> proof = new ArrayList<>();
        while (true) {
            line++;
            int nl = indexOf(body, pos);
            if (nl < 0) {
                throw new MalformedNoteException(line, "the request ends before the empty line that precedes the checkpoint");
            }
            String text = new String(body, pos, nl - pos, StandardCharsets.US_ASCII);
            pos = nl + 1;
            if (line == 1) {
                if (!text.startsWith("old ")) {
                    throw new MalformedNoteException(1, "the request starts with 'old <size>'");
                }
                oldSize = decimal(text.substring(4), 1);
                continue;
            }
            if (text.isEmpty()) {
                break;
            }
            if (proof.size() == MAX_PROOF_LINES) {
                throw new MalformedNoteException(line, "more than " + MAX_PROOF_LINES + " consistency proof lines");
            }
            byte[] hash = NoteText.canonicalBase64(text);
            if (hash == null || hash.length != Hash.LENGTH) {
                throw new MalformedNoteException(line, "a consistency proof line is the canonical base64 of one 32-byte hash");
            }
            proof.add(Hash.of(hash));
        }
        if (oldSize == 0 && !proof.isEmpty()) {
            throw new MalformedNoteException(2, "the proof must be empty when the old size is 0");
        }
        return new AddCheckpoint(oldSize, proof, Arrays.copyOfRange(body, pos, body.length));
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long decimal(String s, int line) {
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9') || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new MalformedNoteException(line, "'" + s + "' is not a size in decimal without leading zeros");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedNoteException(line, s + " is 2^63 or more");
        }
    }
}
