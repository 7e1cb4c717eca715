package org.custody.merkle;

import java.util.Objects;
import org.custody.crypto.Hash;

/**
 * The hash of a perfect subtree: {@code 2^level} leaves starting at leaf {@code index * 2^level} (level 0: a leaf).
 */
public record Node(int level, long index, Hash hash) {
    /** Highest level a tree of at most {@link Long#MAX_VALUE} leaves can have. */
    public static final int MAX_LEVEL = 62;

    public Node {
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("a node level is 0.." + MAX_LEVEL + ", got " + level);
        }
        if (index < 0 || index > (Long.MAX_VALUE >>> level) - 1) {
            throw new IllegalArgumentException("node index " + index + " is out of range at level " + level);
        }
        Objects.requireNonNull(hash, "hash");
    }
}
