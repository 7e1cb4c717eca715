package org.custody.ledger.bundle;

import org.custody.failure.MalformedInputException;

/** The input is not a complete {@code custody-bundle/v1} file; {@link #line()} is where it breaks the format. */
public final class MalformedBundleException extends MalformedInputException {
    private static final long serialVersionUID = 1L;
    private final long line;

    MalformedBundleException(long line, String message) {
        super("bundle line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based line number, or 0 before the first line. */
    public long line() {
        return line;
    }
}
