package org.custody.checkpoint;

import org.custody.failure.StoreException;

/**
 * The witness's state file could not be created, read, locked or durably written, or is not in its format. The
 * witness cosigns nothing it could not record first.
 */
public final class WitnessStateException extends StoreException {
    WitnessStateException(String message) {
        super(message);
    }

    WitnessStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
