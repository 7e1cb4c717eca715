package org.custody.merkle;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;

/**
 * RFC 6962 §2.1 hashing with the ledger's hash {@code H}: {@code leafHash(d) = H(0x00 || d)},
 * {@code nodeHash(l, r) = H(0x01 || l || r)}, and the root of the empty tree {@code H("")}.
 */
public final class TreeHasher {
    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};
    private static final Map<HashAlgorithm, TreeHasher> HASHERS = new EnumMap<>(HashAlgorithm.class);

    static {
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            HASHERS.put(algorithm, new TreeHasher(algorithm));
        }
    }

    private final HashAlgorithm algorithm;
    private final Hash emptyRoot;

    private TreeHasher(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.emptyRoot = algorithm.digest();
    }

    /** The hasher for {@code algorithm}. */
    public static TreeHasher of(HashAlgorithm algorithm) {
        return HASHERS.get(Objects.requireNonNull(algorithm, "algorithm"));
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** Root of the tree with no leaves: {@code H("")}. */
    public Hash emptyRoot() {
        return emptyRoot;
    }

    /** Hash of a leaf whose data is {@code data} (for the ledger: the canonical entry bytes). */
    public Hash leafHash(byte[] data) {
        return algorithm.digest(LEAF_PREFIX, Objects.requireNonNull(data, "data"));
    }

    /** Hash of an interior node with children {@code left} and {@code right}. */
    public Hash nodeHash(Hash left, Hash right) {
        return algorithm.digest(NODE_PREFIX, left.bytes(), right.bytes());
    }
}
