package org.custody.merkle;

import org.custody.crypto.Hash;

/**
 * Stored hashes of the perfect subtrees of a Merkle tree, read by {@link ProofBuilder} and {@link CompactRange}.
 *
 * <p>The perfect subtree at {@code (level, index)} covers the {@code 2^level} leaves from {@code index * 2^level};
 * level 0 holds the leaf hashes. Callers only ask for subtrees that lie entirely within the first {@link #size()}
 * leaves, and only for O(log n) of them per root or proof. An implementation backed by storage reports storage
 * failures with its own unchecked exception.
 */
public interface HashSource {
    /** Number of leaves stored. */
    long size();

    /** Hash of the perfect subtree at {@code level} and {@code index}, which ends at or before leaf {@link #size()}. */
    Hash hash(int level, long index);
}
