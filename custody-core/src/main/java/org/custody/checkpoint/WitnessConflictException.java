package org.custody.checkpoint;

/**
 * A tlog-witness {@code add-checkpoint} request that does not start from what the witness holds: its old size is not
 * the size the witness cosigned last for the log, or the same size has another root (409 Conflict, with the witness's
 * size, {@link #knownSize}, for the client to retry from).
 */
public final class WitnessConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long knownSize;

    public WitnessConflictException(long knownSize, String message) {
        super(message);
        this.knownSize = knownSize;
    }

    /** The size of the checkpoint the witness cosigned last for the log (0 if none). */
    public long knownSize() {
        return knownSize;
    }
}
