package org.custody.merkle;

import org.custody.crypto.Hash;

/** A well-formed proof leads to a root other than the expected one; the message shows both. */
public final class RootMismatchException extends MerkleProofException {
    private final long treeSize;
    private final Hash expected;
    private final Hash computed;

    RootMismatchException(String what, long treeSize, Hash expected, Hash computed) {
        super(Reason.ROOT_MISMATCH, what + ": root of the tree of size " + treeSize + " is " + computed.hex()
                + " by the proof, expected " + expected.hex());
        this.treeSize = treeSize;
        this.expected = expected;
        this.computed = computed;
    }

    /** Size of the tree whose root did not match. */
    public long treeSize() {
        return treeSize;
    }

    /** The root the caller trusts. */
    public Hash expected() {
        return expected;
    }

    /** The root the proof leads to. */
    public Hash computed() {
        return computed;
    }
}
