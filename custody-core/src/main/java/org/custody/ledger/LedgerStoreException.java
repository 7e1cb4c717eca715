package org.custody.ledger;

import org.custody.failure.StoreException;

/** The ledger file could not be created, opened, read or written (missing file, wrong schema, I/O error). */
public final class LedgerStoreException extends StoreException {
    public LedgerStoreException(String message) {
        super(message);
    }

    public LedgerStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
