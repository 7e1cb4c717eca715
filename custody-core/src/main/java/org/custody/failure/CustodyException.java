package org.custody.failure;

/**
 * A failure Custody expects and explains: the base of the four kinds in this package. Catch it to handle
 * every anticipated failure of a call; anything else is a bug.
 */
public abstract class CustodyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected CustodyException(String message) {
        super(message);
    }

    protected CustodyException(String message, Throwable cause) {
        super(message, cause);
    }
}
