package org.custody.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;

/**
 * Computes roots and RFC 6962 inclusion and consistency proofs for any tree size up to {@link HashSource#size()},
 * reading only O(log n) stored perfect-subtree hashes: a subtree on the right edge that is not perfect is hashed
 * from the perfect subtrees it is made of, never rebuilt from its leaves.
 */
public final class ProofBuilder {
    private final TreeHasher hasher;
    private final HashSource source;

    private ProofBuilder(TreeHasher hasher, HashSource source) {
        this.hasher = hasher;
        this.source = source;
    }

    /** A builder over the hashes in {@code source}, a tree hashed with {@code algorithm}. */
    public static ProofBuilder of(HashAlgorithm algorithm, HashSource source) {
        return new ProofBuilder(TreeHasher.of(algorithm), Objects.requireNonNull(source, "source"));
    }

    /** Root of the tree of the first {@code size} leaves; {@link TreeHasher#emptyRoot()} for 0. */
    public Hash root(long size) {
        requireStored(size);
        return size == 0 ? hasher.emptyRoot() : rangeHash(0, size);
    }

    /** The inclusion proof of leaf {@code leafIndex} in the tree of the first {@code treeSize} leaves. */
    public InclusionProof inclusion(long leafIndex, long treeSize) {
        requireStored(treeSize);
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new MalformedInputException("leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        List<Hash> hashes = new ArrayList<>(Shape.inclusionLength(leafIndex, treeSize));
        addPath(hashes, leafIndex, treeSize, 0);
        return new InclusionProof(leafIndex, treeSize, hashes);
    }

    /** The consistency proof from the tree of the first {@code size1} leaves to the first {@code size2}; {@code 0 < size1 <= size2}. */
    public ConsistencyProof consistency(long size1, long size2) {
        requireStored(size2);
        if (size1 <= 0 || size1 > size2) {
            throw new MalformedInputException("a consistency proof needs 0 < size1 <= size2, got " + size1 + " and " + size2);
        }
        if (size1 == size2) {
            return new ConsistencyProof(size1, size2, List.of());
        }
        List<Hash> hashes = new ArrayList<>(Shape.consistencyLength(size1, size2));
        int shift = Long.numberOfTrailingZeros(size1);
        if (!Shape.isPowerOfTwo(size1)) {
            // the old tree's rightmost perfect subtree; when it is the whole old tree, the verifier has it as root1
            hashes.add(perfect(shift, (size1 - 1) >>> shift));
        }
        addPath(hashes, size1 - 1, size2, shift);
        return new ConsistencyProof(size1, size2, hashes);
    }

    /** Appends the siblings on the path from leaf {@code index} to the root of a tree of {@code size}, from {@code fromLevel} up. */
    private void addPath(List<Hash> out, long index, long size, int fromLevel) {
        int inner = Shape.inner(index, size);
        for (int level = fromLevel; level < inner; level++) {
            long begin = ((index >>> level) ^ 1) << level;
            long width = 1L << level;
            // the topmost inner sibling lies on the right edge and may be imperfect
            out.add(rangeHash(begin, size - begin <= width ? size : begin + width));
        }
        for (int level = inner; (index >>> level) != 0; level++) {
            if (((index >>> level) & 1) == 1) {
                out.add(perfect(level, (index >>> level) - 1));
            }
        }
    }

    /**
     * MTH of leaves {@code [begin, end)}, a subtree of the RFC 6962 tree: {@code begin} is a multiple of the largest
     * power of two not above the width, so the range splits into perfect subtrees of decreasing size (one per set bit
     * of the width), hashed together from the right.
     */
    Hash rangeHash(long begin, long end) {
        long width = end - begin;
        if (width <= 0 || begin % Long.highestOneBit(width) != 0) {
            throw new IllegalStateException("[" + begin + ", " + end + ") is not a subtree of the tree");
        }
        Hash hash = null;
        long at = end;
        for (long rest = width; rest != 0; rest &= rest - 1) {
            long piece = Long.lowestOneBit(rest);
            int level = Long.numberOfTrailingZeros(piece);
            at -= piece;
            Hash node = perfect(level, at >>> level);
            hash = hash == null ? node : hasher.nodeHash(node, hash);
        }
        return hash;
    }

    private Hash perfect(int level, long index) {
        Hash hash = source.hash(level, index);
        if (hash == null) {
            throw new IllegalStateException("the hash source has no node at level " + level + ", index " + index);
        }
        return hash;
    }

    private void requireStored(long size) {
        long stored = source.size();
        if (size < 0 || size > stored) {
            throw new MalformedInputException("tree size " + size + " is not in 0.." + stored + " (the leaves stored)");
        }
    }
}
