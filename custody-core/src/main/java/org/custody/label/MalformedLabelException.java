package org.custody.label;

import org.custody.failure.MalformedInputException;

/**
 * Text that is not a well-formed Custody label payload: it is refused before anything is looked up.
 * {@link #field()} names the part that failed ({@code payload}, {@code prefix}, {@code ledger}, {@code bag},
 * {@code seq} or {@code tag}) and {@link #offset()} is its 0-based character offset in the payload.
 */
public final class MalformedLabelException extends MalformedInputException {
    private final String field;
    private final int offset;

    MalformedLabelException(String field, int offset, String message) {
        super("label " + field + (offset > 0 ? " at character " + (offset + 1) : "") + ": " + message);
        this.field = field;
        this.offset = offset;
    }

    /** The part of the payload that failed. */
    public String field() {
        return field;
    }

    /** The 0-based character offset of that part in the payload (0 for the whole payload or its prefix). */
    public int offset() {
        return offset;
    }
}
