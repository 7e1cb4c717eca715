package org.custody.record;

import org.custody.failure.MalformedInputException;

/** Bytes that are not a well-formed, canonical Custody record or entry; {@link #path()} says where. */
public final class MalformedRecordException extends MalformedInputException {
    private final String path;

    public MalformedRecordException(String path, String message) {
        super(path.isEmpty() ? message : "at " + path + ": " + message);
        this.path = path;
    }

    public MalformedRecordException(String path, String message, Throwable cause) {
        super(path.isEmpty() ? message : "at " + path + ": " + message, cause);
        this.path = path;
    }

    /** JSON path of the offending value, e.g. {@code record.bags[2].count}; empty for the whole input. */
    public String path() {
        return path;
    }
}
