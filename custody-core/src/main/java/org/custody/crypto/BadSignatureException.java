package org.custody.crypto;

/** A signature did not verify: wrong key, wrong bytes, or malformed. */
public final class BadSignatureException extends RuntimeException {
    public BadSignatureException(String message) {
        super(message);
    }
}
