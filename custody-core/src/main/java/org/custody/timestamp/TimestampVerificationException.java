package org.custody.timestamp;

import org.custody.failure.VerificationException;

/** A well-formed token that does not vouch for the text as required: {@link #reason()} says which check failed. */
public final class TimestampVerificationException extends VerificationException {
    private static final long serialVersionUID = 1L;

    /** The failed check, in the order they are made. */
    public enum Reason {
        /** The message imprint is not SHA-256, or not the SHA-256 of the checkpoint's note text. */
        IMPRINT_MISMATCH,
        /** Neither the token nor the trusted certificates hold the certificate that signed it. */
        NO_CERTIFICATE,
        /** The signer's certificate does not chain to a trusted certificate (valid at the token's time). */
        UNTRUSTED,
        /** The signer's certificate is not a time-stamping certificate (extended key usage {@code timeStamping}). */
        NOT_TIMESTAMPING,
        /** The CMS signature, or the signer certificate reference (ESS), does not verify. */
        BAD_SIGNATURE
    }

    private final Reason reason;

    TimestampVerificationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
