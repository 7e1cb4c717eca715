package org.custody.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;

/**
 * The kinds of note key Custody uses, each with its signed-note signature type identifier (hashed into the key id and
 * written at the start of a verifier key's base64). Two are C2SP's; the SM2 ones are a Custody extension under the
 * signed-note escape byte {@code 0xff} (see {@code docs/checkpoints.md}).
 */
public enum NoteKeyType {
    /** Ed25519 over the note text; C2SP signed-note type {@code 0x01}. */
    ED25519(new byte[] {0x01}, SignatureAlgorithm.ED25519, null),
    /** SM2 with SM3 over the note text; Custody type {@code 0xff "custody/note-sm2/v1\n"}. */
    SM2(extension("custody/note-sm2/v1\n"), SignatureAlgorithm.SM2, null),
    /** Timestamped Ed25519 witness cosignature, C2SP tlog-cosignature {@code cosignature/v1}; type {@code 0x04}. */
    COSIGNATURE_ED25519(new byte[] {0x04}, SignatureAlgorithm.ED25519, "cosignature/v1\n"),
    /** Timestamped SM2 witness cosignature; Custody type {@code 0xff "custody/cosignature-sm2/v1\n"}. */
    COSIGNATURE_SM2(extension("custody/cosignature-sm2/v1\n"), SignatureAlgorithm.SM2, "custody/cosignature-sm2/v1\n");

    /** The signed-note byte for "a type without an assigned byte, followed by a longer identifier". */
    static final int ESCAPE = 0xff;

    private final byte[] identifier;
    private final SignatureAlgorithm algorithm;
    private final byte[] cosignatureHeader;

    NoteKeyType(byte[] identifier, SignatureAlgorithm algorithm, String cosignatureHeader) {
        this.identifier = identifier;
        this.algorithm = algorithm;
        this.cosignatureHeader = cosignatureHeader == null ? null : cosignatureHeader.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] extension(String label) {
        byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[ascii.length + 1];
        out[0] = (byte) ESCAPE;
        System.arraycopy(ascii, 0, out, 1, ascii.length);
        return out;
    }

    /** The signature algorithm of keys of this type. */
    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** Whether signatures of this type are timestamped witness cosignatures rather than plain note signatures. */
    public boolean isCosignature() {
        return cosignatureHeader != null;
    }

    /** The note-signature type for {@code algorithm}: plain or cosignature. */
    public static NoteKeyType of(SignatureAlgorithm algorithm, boolean cosignature) {
        for (NoteKeyType t : values()) {
            if (t.algorithm == algorithm && t.isCosignature() == cosignature) {
                return t;
            }
        }
        throw new MalformedInputException("no note key type for " + algorithm);
    }

    /** The type identifier bytes: one assigned byte, or 0xff and a newline-terminated label. */
    byte[] identifier() {
        return identifier.clone();
    }

    /** The first line of the cosigned message (cosignature types only). */
    byte[] cosignatureHeader() {
        return cosignatureHeader.clone();
    }

    /** Length of a signature line's payload after the 4-byte key id: a timestamp for cosignatures, then r||s or R||S. */
    int payloadLength() {
        return (isCosignature() ? 8 : 0) + algorithm.signatureLength();
    }

    /** The type whose identifier starts {@code typeAndKey}, or null. */
    static NoteKeyType identify(byte[] typeAndKey) {
        for (NoteKeyType t : values()) {
            if (typeAndKey.length >= t.identifier.length
                    && Arrays.equals(typeAndKey, 0, t.identifier.length, t.identifier, 0, t.identifier.length)) {
                return t;
            }
        }
        return null;
    }
}
