package org.custody.crypto;

import java.util.Base64;
import org.custody.failure.MalformedInputException;

/** Strict decoding of standard, padded base64 (RFC 4648 §4): any other spelling of the same bytes is refused. */
final class CanonicalBase64 {
    private CanonicalBase64() {}

    static byte[] decode(String what, String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(what + " is not valid base64", e);
        }
        if (!Base64.getEncoder().encodeToString(raw).equals(base64)) {
            throw new MalformedInputException(what + " is not in canonical base64 (standard alphabet, padded)");
        }
        return raw;
    }
}
