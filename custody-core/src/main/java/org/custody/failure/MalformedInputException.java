package org.custody.failure;

/**
 * Input that cannot be used as given: bytes that do not parse (a record, entry, note, bundle, label, CSV
 * row, key file), or a value out of its range, or a name that refers to nothing. Nothing was stored. The
 * message says what was wrong and where.
 */
public class MalformedInputException extends CustodyException {
    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
        super(message);
    }

    public MalformedInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
