package org.custody.merkle;

import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.merkle.MerkleProofException.Reason;

/**
 * Verifies RFC 6962 / RFC 9162 inclusion and consistency proofs. Each method returns normally or throws a
 * {@link MerkleProofException}: first for a failed precondition (sizes, index, exact proof length, 32-byte hashes),
 * checked before any hashing, then a {@link RootMismatchException} if the proof leads to another root.
 *
 * <p>Stricter than RFC 9162 in two places: every root and hash must be exactly 32 bytes, even where the proof does
 * not use it (equal sizes), and a consistency proof from the empty tree ({@code size1 = 0}) is refused, as it
 * proves nothing.
 */
public final class ProofVerifier {
    private final TreeHasher hasher;

    private ProofVerifier(TreeHasher hasher) {
        this.hasher = hasher;
    }

    /** A verifier for trees hashed with {@code algorithm}. */
    public static ProofVerifier of(HashAlgorithm algorithm) {
        return new ProofVerifier(TreeHasher.of(algorithm));
    }

    public HashAlgorithm algorithm() {
        return hasher.algorithm();
    }

    /**
     * Checks that {@code proof} (sibling hashes from the leaf upward) shows the leaf with hash {@code leafHash} at
     * {@code leafIndex} in the tree of {@code treeSize} leaves whose root is {@code root}.
     *
     * @throws MerkleProofException if it does not
     */
    public void verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (treeSize < 0) {
            throw new MerkleProofException(Reason.BAD_SIZE, "tree size " + treeSize + " is negative");
        }
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new MerkleProofException(Reason.INDEX_OUT_OF_RANGE,
                    "leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        int length = Shape.inclusionLength(leafIndex, treeSize);
        requireLength(proof, length, "an inclusion proof for leaf " + leafIndex + " in a tree of size " + treeSize);
        Hash leaf = hash(leafHash, "the leaf hash");
        Hash expected = hash(root, "the root");
        List<Hash> path = hashes(proof);

        int inner = Shape.inner(leafIndex, treeSize);
        Hash computed = leaf;
        for (int level = 0; level < inner; level++) {
            Hash sibling = path.get(level);
            computed = ((leafIndex >>> level) & 1) == 0 ? hasher.nodeHash(computed, sibling) : hasher.nodeHash(sibling, computed);
        }
        for (Hash left : path.subList(inner, length)) {
            computed = hasher.nodeHash(left, computed);
        }
        if (!computed.equals(expected)) {
            throw new RootMismatchException("inclusion proof of leaf " + leafIndex, treeSize, expected, computed);
        }
    }

    /** {@link #verifyInclusion(long, long, byte[], List, byte[])} for a proof made by {@link ProofBuilder}. */
    public void verifyInclusion(InclusionProof proof, Hash leafHash, Hash root) {
        verifyInclusion(proof.leafIndex(), proof.treeSize(), bytes(leafHash), bytes(proof.hashes()), bytes(root));
    }

    /**
     * Checks that {@code proof} shows the tree of {@code size1} leaves with root {@code root1} to be a prefix of the
     * tree of {@code size2} leaves with root {@code root2}. Requires {@code 0 < size1 <= size2}; for equal sizes the
     * proof is empty and the roots must be equal.
     *
     * @throws MerkleProofException if it does not
     */
    public void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < 0) {
            throw new MerkleProofException(Reason.BAD_SIZE, "tree sizes " + size1 + " and " + size2 + " must not be negative");
        }
        if (size1 > size2) {
            throw new MerkleProofException(Reason.BAD_SIZE,
                    "size1 " + size1 + " is larger than size2 " + size2 + ": a log never shrinks");
        }
        if (size1 == 0) {
            throw new MerkleProofException(Reason.BAD_SIZE,
                    "a consistency proof from the empty tree proves nothing: size1 must be at least 1");
        }
        int length = size1 == size2 ? 0 : Shape.consistencyLength(size1, size2);
        requireLength(proof, length, "a consistency proof from size " + size1 + " to " + size2);
        Hash first = hash(root1, "root1");
        Hash second = hash(root2, "root2");
        List<Hash> path = hashes(proof);
        String what = "consistency proof from size " + size1 + " to " + size2;
        if (size1 == size2) {
            if (!first.equals(second)) {
                throw new RootMismatchException(what, size2, second, first);
            }
            return;
        }

        // The proof is the inclusion path of the old tree's last leaf, from the level of the old tree's rightmost
        // perfect subtree (the seed) upward. Hashing in only the left siblings gives the old root; all, the new.
        int shift = Long.numberOfTrailingZeros(size1);
        long last = (size1 - 1) >>> shift;
        int start = Shape.isPowerOfTwo(size1) ? 0 : 1;
        Hash seed = start == 0 ? first : path.get(0);
        int inner = Shape.inner(size1 - 1, size2) - shift;
        Hash old = seed;
        Hash now = seed;
        for (int level = 0; level < inner; level++) {
            Hash sibling = path.get(start + level);
            if (((last >>> level) & 1) == 1) {
                old = hasher.nodeHash(sibling, old);
                now = hasher.nodeHash(sibling, now);
            } else {
                now = hasher.nodeHash(now, sibling);
            }
        }
        for (Hash left : path.subList(start + inner, length)) {
            old = hasher.nodeHash(left, old);
            now = hasher.nodeHash(left, now);
        }
        if (!old.equals(first)) {
            throw new RootMismatchException(what, size1, first, old);
        }
        if (!now.equals(second)) {
            throw new RootMismatchException(what, size2, second, now);
        }
    }

    /** {@link #verifyConsistency(long, long, byte[], byte[], List)} for a proof made by {@link ProofBuilder}. */
    public void verifyConsistency(ConsistencyProof proof, Hash root1, Hash root2) {
        verifyConsistency(proof.size1(), proof.size2(), bytes(root1), bytes(root2), bytes(proof.hashes()));
    }

    private static void requireLength(List<byte[]> proof, int want, String what) {
        if (proof == null) {
            throw new MerkleProofException(Reason.WRONG_PROOF_LENGTH, what + " has " + want + " hashes, got no proof");
        }
        if (proof.size() != want) {
            throw new MerkleProofException(Reason.WRONG_PROOF_LENGTH, what + " has " + want + " hashes, got " + proof.size());
        }
    }

    private static Hash hash(byte[] bytes, String what) {
        if (bytes == null) {
            throw new MerkleProofException(Reason.MALFORMED_HASH, what + " is missing");
        }
        if (bytes.length != Hash.LENGTH) {
            throw new MerkleProofException(Reason.MALFORMED_HASH,
                    what + " is " + bytes.length + " bytes, a hash is " + Hash.LENGTH);
        }
        return Hash.of(bytes);
    }

    private static List<Hash> hashes(List<byte[]> proof) {
        List<Hash> out = new ArrayList<>(proof.size());
        for (int i = 0; i < proof.size(); i++) {
            out.add(hash(proof.get(i), "proof[" + i + "]"));
        }
        return out;
    }

    private static byte[] bytes(Hash hash) {
        return hash == null ? null : hash.bytes();
    }

    private static List<byte[]> bytes(List<Hash> hashes) {
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (Hash h : hashes) {
            out.add(h.bytes());
        }
        return out;
    }
}
