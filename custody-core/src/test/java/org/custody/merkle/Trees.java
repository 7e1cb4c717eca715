package org.custody.merkle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;

/** Test trees: deterministic leaf data, memory trees built from it, and a hash source that counts its reads. */
final class Trees {
    private Trees() {}

    /** Leaf data 0..n-1: leaf 0 is empty, leaf i is the ASCII text {@code leaf i}. */
    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i == 0 ? new byte[0] : ("leaf " + i).getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    static MemoryTree memoryTree(HashAlgorithm algorithm, List<byte[]> leaves) {
        MemoryTree tree = MemoryTree.create(algorithm);
        TreeHasher hasher = TreeHasher.of(algorithm);
        for (byte[] leaf : leaves) {
            tree.append(hasher.leafHash(leaf));
        }
        return tree;
    }

    static List<byte[]> bytes(List<Hash> hashes) {
        List<byte[]> out = new ArrayList<>(hashes.size());
        hashes.forEach(h -> out.add(h.bytes()));
        return out;
    }

    /** A source that counts the nodes read from it. */
    static final class Counting implements HashSource {
        private final HashSource source;
        final AtomicInteger reads = new AtomicInteger();

        Counting(HashSource source) {
            this.source = source;
        }

        @Override
        public long size() {
            return source.size();
        }

        @Override
        public Hash hash(int level, long index) {
            reads.incrementAndGet();
            return source.hash(level, index);
        }
    }
}
