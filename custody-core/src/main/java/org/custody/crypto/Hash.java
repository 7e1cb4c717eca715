package org.custody.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.custody.failure.MalformedInputException;

/** A 32-byte digest (SHA-256 or SM3), compared by value and written as lowercase hex. */
public final class Hash {
    /** Length in bytes of every hash the ledger uses. */
    public static final int LENGTH = 32;
    /** The all-zero hash: the previous-entry link of the first entry. */
    public static final Hash ZERO = new Hash(new byte[LENGTH]);

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be exactly 32 bytes long. */
    public static Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new MalformedInputException("a hash is " + LENGTH + " bytes, got " + (bytes == null ? "none" : bytes.length));
        }
        return new Hash(bytes.clone());
    }

    /** Parses 64 lowercase hex digits. */
    public static Hash fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new MalformedInputException("a hash is 64 lowercase hex digits, got '" + hex + "'");
        }
        return new Hash(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Constant-time comparison, for places where the hash is secret-derived. */
    public boolean equalsConstantTime(Hash other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
