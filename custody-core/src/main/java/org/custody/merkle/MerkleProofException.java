package org.custody.merkle;

import org.custody.failure.VerificationException;

/**
 * A Merkle proof did not verify. {@link #reason()} names the failed check; the preconditions (sizes, index, proof
 * length, hash lengths) are checked before any hashing. A {@link RootMismatchException} carries both roots.
 */
public sealed class MerkleProofException extends VerificationException permits RootMismatchException {
    /** The check that failed, in the order they are made. */
    public enum Reason {
        /** A tree size is negative; or, for consistency, {@code size1} is 0 or larger than {@code size2}. */
        BAD_SIZE,
        /** The leaf index is negative or not below the tree size. */
        INDEX_OUT_OF_RANGE,
        /** The proof does not have exactly the number of hashes the sizes call for. */
        WRONG_PROOF_LENGTH,
        /** A root, leaf hash or proof hash is missing or not exactly 32 bytes. */
        MALFORMED_HASH,
        /** The proof is well-formed, but the root it leads to is not the expected one. */
        ROOT_MISMATCH
    }

    private final Reason reason;

    MerkleProofException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
