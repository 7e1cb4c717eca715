package org.custody.timestamp;

import org.custody.failure.CustodyException;

/** A time-stamping authority that could not be reached, refused, or answered with something other than a token. */
public final class TimestampUnavailableException extends CustodyException {
    private static final long serialVersionUID = 1L;

    TimestampUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
