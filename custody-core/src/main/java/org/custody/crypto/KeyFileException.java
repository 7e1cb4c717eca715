package org.custody.crypto;

import org.custody.failure.MalformedInputException;

/** A key file could not be read or written: missing, malformed, too weakly protected, or a wrong passphrase. */
public final class KeyFileException extends MalformedInputException {
    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
