package org.custody.crypto;

import org.custody.failure.VerificationException;

/** A signature did not verify: wrong key, wrong bytes, or malformed. */
public final class BadSignatureException extends VerificationException {
    public BadSignatureException(String message) {
        super(message);
    }
}
