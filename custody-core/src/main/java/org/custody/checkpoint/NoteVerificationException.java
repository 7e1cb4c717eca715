package org.custody.checkpoint;

import org.custody.failure.VerificationException;

/** A well-formed note that does not verify: {@link #reason()} says which check failed. */
public final class NoteVerificationException extends VerificationException {
    /** The failed check. */
    public enum Reason {
        /** A signature line from a known key does not verify: the whole note is refused. */
        BAD_SIGNATURE,
        /** No signature line is from a known key, so nothing vouches for the text. */
        NO_KNOWN_SIGNATURE,
        /** Fewer of the named keys signed (or cosigned recently enough) than a policy requires. */
        TOO_FEW_SIGNATURES
    }

    private final Reason reason;

    NoteVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    NoteVerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
