package org.custody.crypto;

import java.util.Arrays;
import java.util.Base64;
import org.custody.failure.MalformedInputException;

/** A signature with the id of the key that made it; the value is written as standard padded base64. */
public final class Signature {
    /** Longest signature value accepted when decoding. */
    public static final int MAX_LENGTH = 128;

    private final KeyId key;
    private final byte[] value;

    private Signature(KeyId key, byte[] value) {
        if (key == null) {
            throw new MalformedInputException("a signature needs its key id");
        }
        if (value.length == 0 || value.length > MAX_LENGTH) {
            throw new MalformedInputException("a signature value is 1-" + MAX_LENGTH + " bytes, got " + value.length);
        }
        this.key = key;
        this.value = value;
    }

    public static Signature of(KeyId key, byte[] value) {
        return new Signature(key, value.clone());
    }

    /** Parses canonical base64 (standard alphabet, padded). */
    public static Signature fromBase64(KeyId key, String base64) {
        byte[] raw = CanonicalBase64.decode("signature", base64);
        return new Signature(key, raw);
    }

    public KeyId key() {
        return key;
    }

    public byte[] valueBytes() {
        return value.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature s && key.equals(s.key) && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + ":" + base64();
    }
}
