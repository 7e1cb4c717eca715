package org.custody.merkle;

/**
 * Where proof hashes sit, without hashing anything. Seen from leaf {@code index} of a tree of {@code size} leaves,
 * the path to the root runs in two parts: below the node where it meets the path of the last leaf ({@code size - 1}),
 * every node has a sibling (the <em>inner</em> part, one hash per level, the top one possibly an imperfect right
 * edge); above it the path runs along the right border, where a node has a sibling (to its left) only when the
 * corresponding bit of {@code index} is set (the <em>border</em> part); otherwise the node is carried up unchanged.
 */
final class Shape {
    private Shape() {}

    /** Levels below the meeting point of the paths to {@code index} and to {@code size - 1}; {@code 0 <= index < size}. */
    static int inner(long index, long size) {
        return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
    }

    /** Left siblings on the right border above the meeting point; {@code 0 <= index < size}. */
    static int border(long index, long size) {
        return Long.bitCount(index >>> inner(index, size));
    }

    /** Hashes in an inclusion proof; {@code 0 <= index < size}. */
    static int inclusionLength(long index, long size) {
        return inner(index, size) + border(index, size);
    }

    /**
     * Hashes in a consistency proof from {@code size1} to {@code size2}, {@code 0 < size1 < size2}: the inclusion
     * path of the old tree's last leaf, starting at the level of the old tree's smallest perfect subtree (its
     * rightmost, {@code 2^shift} leaves), preceded by that subtree's hash unless it is the whole old tree.
     */
    static int consistencyLength(long size1, long size2) {
        int shift = Long.numberOfTrailingZeros(size1);
        long last = size1 - 1;
        return (isPowerOfTwo(size1) ? 0 : 1) + inner(last, size2) - shift + border(last, size2);
    }

    static boolean isPowerOfTwo(long n) {
        return n > 0 && (n & (n - 1)) == 0;
    }
}
