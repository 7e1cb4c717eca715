package org.custody.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;

/**
 * The right frontier of a growing Merkle tree: the hashes of its perfect subtrees, one per set bit of the size,
 * largest (leftmost) first. Appending a leaf merges O(log n) of them; the root folds them in O(log n). Enough to
 * keep a log's root current without storing the tree. Not thread-safe.
 */
public final class CompactRange {
    private final TreeHasher hasher;
    private final List<Hash> frontier = new ArrayList<>();
    private long size;

    private CompactRange(TreeHasher hasher) {
        this.hasher = hasher;
    }

    /** The range of the empty tree. */
    public static CompactRange empty(HashAlgorithm algorithm) {
        return new CompactRange(TreeHasher.of(algorithm));
    }

    /** The range of the whole tree in {@code source}, from the popcount(size) perfect subtrees it stores. */
    public static CompactRange of(HashAlgorithm algorithm, HashSource source) {
        CompactRange range = empty(algorithm);
        long size = source.size();
        long at = 0;
        for (int level = Node.MAX_LEVEL; level >= 0; level--) {
            if (((size >>> level) & 1) == 1) {
                range.frontier.add(Objects.requireNonNull(source.hash(level, at >>> level), "stored node"));
                at += 1L << level;
            }
        }
        range.size = size;
        return range;
    }

    /** Number of leaves appended. */
    public long size() {
        return size;
    }

    /**
     * Appends a leaf and returns the perfect subtrees it completes, from the leaf itself (level 0) upward: what a
     * store must record so that {@link ProofBuilder} can read them.
     */
    public List<Node> append(Hash leafHash) {
        Objects.requireNonNull(leafHash, "leafHash");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("the tree is full");
        }
        List<Node> completed = new ArrayList<>();
        Hash hash = leafHash;
        completed.add(new Node(0, size, hash));
        int merges = Long.numberOfTrailingZeros(~size);
        for (int level = 1; level <= merges; level++) {
            hash = hasher.nodeHash(frontier.remove(frontier.size() - 1), hash);
            completed.add(new Node(level, size >>> level, hash));
        }
        frontier.add(hash);
        size++;
        return completed;
    }

    /** The root of the tree so far; {@link TreeHasher#emptyRoot()} when empty. */
    public Hash root() {
        if (frontier.isEmpty()) {
            return hasher.emptyRoot();
        }
        Hash root = frontier.get(frontier.size() - 1);
        for (int i = frontier.size() - 2; i >= 0; i--) {
            root = hasher.nodeHash(frontier.get(i), root);
        }
        return root;
    }
}
