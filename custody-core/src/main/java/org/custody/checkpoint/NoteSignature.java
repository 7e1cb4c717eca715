package org.custody.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One signature line of a note, {@code — <name> <base64(key id || signature)>}, not yet verified. Compared by value.
 */
public final class NoteSignature {
    private final String name;
    private final int keyId;
    private final byte[] signature;

    NoteSignature(String name, int keyId, byte[] signature) {
        this.name = name;
        this.keyId = keyId;
        this.signature = signature.clone();
    }

    /** The key name on the line. */
    public String name() {
        return name;
    }

    /** The key id on the line, 8 lowercase hex digits. */
    public String keyId() {
        return NoteKey.hex(keyId);
    }

    int keyIdValue() {
        return keyId;
    }

    /** The bytes after the key id: for cosignatures the timestamp, then the signature. */
    byte[] payload() {
        return signature.clone();
    }

    boolean sameKey(NoteSignature other) {
        return name.equals(other.name) && keyId == other.keyId;
    }

    boolean isFrom(NoteKey key) {
        return name.equals(key.name()) && keyId == key.idValue();
    }

    /** The line as written in a note, without its final newline. */
    public String line() {
        byte[] all = new byte[4 + signature.length];
        all[0] = (byte) (keyId >>> 24);
        all[1] = (byte) (keyId >>> 16);
        all[2] = (byte) (keyId >>> 8);
        all[3] = (byte) keyId;
        System.arraycopy(signature, 0, all, 4, signature.length);
        return NoteText.SIGNATURE_PREFIX + name + " " + NoteText.base64(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && name.equals(s.name) && keyId == s.keyId && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return line();
    }
}
