package org.custody.crypto;

/**
 * Identifier of a public key: the first 16 bytes, as 32 lowercase hex digits, of
 * {@code H("custody/key/v1\n" || alg || "\n" || publicKey)} with the algorithm's hash.
 */
public record KeyId(String hex) {
    public KeyId {
        if (hex == null || !hex.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("a key id is 32 lowercase hex digits, got '" + hex + "'");
        }
    }

    public static KeyId of(String hex) {
        return new KeyId(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
