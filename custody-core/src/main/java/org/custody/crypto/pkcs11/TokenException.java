package org.custody.crypto.pkcs11;

import org.custody.failure.MalformedInputException;

/**
 * A token key could not be used: the URI is malformed, the PKCS#11 module or the token or the key is not found, the key
 * is not one Custody signs with, or the PIN is wrong or locked. The message says which, in English and Chinese.
 */
public final class TokenException extends MalformedInputException {
    private final boolean wrongPin;

    TokenException(String message) {
        this(message, false, null);
    }

    TokenException(String message, boolean wrongPin, Throwable cause) {
        super(message, cause);
        this.wrongPin = wrongPin;
    }

    /** True if the token refused the PIN (and may accept another try). */
    public boolean wrongPin() {
        return wrongPin;
    }
}
