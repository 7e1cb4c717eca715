package org.custody.checkpoint;

import org.custody.failure.MalformedInputException;

/**
 * Text that is not a well-formed signed note, checkpoint body, verifier key or witness state: the input is refused
 * before anything is verified. {@link #line()} is the 1-based line that failed, or 0 if the whole input did.
 */
public final class MalformedNoteException extends MalformedInputException {
    private final int line;

    MalformedNoteException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    MalformedNoteException(String message, Throwable cause) {
        super(message, cause);
        this.line = 0;
    }

    /** The 1-based line of the note (or checkpoint body) that failed, or 0 if not one line. */
    public int line() {
        return line;
    }
}
