package org.custody.failure;

/**
 * Well-formed data that does not verify: a signature, a Merkle proof, a checkpoint or its cosignatures.
 * Fail closed: whatever depended on it must not be trusted.
 */
public class VerificationException extends CustodyException {
    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
