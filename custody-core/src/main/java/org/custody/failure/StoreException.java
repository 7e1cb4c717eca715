package org.custody.failure;

/**
 * A store (a ledger file, a witness's state file) that cannot be opened, read or written: missing, not a
 * Custody file, of a newer version, locked, or failing underneath. A failed write stores nothing.
 */
public class StoreException extends CustodyException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
