package org.custody.merkle;

import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;

/**
 * A Merkle tree kept in memory: every leaf hash and every perfect subtree hash, so that {@link ProofBuilder} can
 * serve proofs for any size up to {@link #size()}. Appending is O(log n) through a {@link CompactRange}. Not
 * thread-safe; for tests, tools and trees that fit in memory.
 */
public final class MemoryTree implements HashSource {
    private final List<List<Hash>> levels = new ArrayList<>();
    private final CompactRange range;

    private MemoryTree(HashAlgorithm algorithm) {
        this.range = CompactRange.empty(algorithm);
    }

    /** An empty tree hashed with {@code algorithm}. */
    public static MemoryTree create(HashAlgorithm algorithm) {
        return new MemoryTree(algorithm);
    }

    /** Appends a leaf hash and returns its index. */
    public long append(Hash leafHash) {
        if (range.size() == Integer.MAX_VALUE) {
            throw new IllegalStateException("a memory tree holds at most " + Integer.MAX_VALUE + " leaves");
        }
        for (Node node : range.append(leafHash)) {
            if (levels.size() == node.level()) {
                levels.add(new ArrayList<>());
            }
            levels.get(node.level()).add(node.hash());
        }
        return range.size() - 1;
    }

    @Override
    public long size() {
        return range.size();
    }

    @Override
    public Hash hash(int level, long index) {
        if (level < 0 || level >= levels.size() || index < 0 || index >= levels.get(level).size()) {
            throw new IllegalArgumentException("no perfect subtree at level " + level + ", index " + index
                    + " in a tree of size " + size());
        }
        return levels.get(level).get((int) index);
    }

    /** The root of the whole tree, in O(log n). */
    public Hash root() {
        return range.root();
    }
}
