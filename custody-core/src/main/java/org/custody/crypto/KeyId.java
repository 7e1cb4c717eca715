package org.custody.crypto;

import org.custody.failure.MalformedInputException;

/**
 * Identifier of a public key: the first 16 bytes, as 32 lowercase hex digits, of
 * {@code H("custody/key/v1\n" || alg || "\n" || publicKey)} with the algorithm's hash.
 */
public record KeyId(String hex) {
    public KeyId {
        if (!isLowerHex32(hex)) {
            throw new MalformedInputException("a key id is 32 lowercase hex digits, got '" + hex + "'");
        }
    }

    /** Same as {@code hex.matches("[0-9a-f]{32}")}, without compiling a pattern on every call. */
    private static boolean isLowerHex32(String hex) {
        if (hex == null || hex.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    public static KeyId of(String hex) {
        return new KeyId(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
