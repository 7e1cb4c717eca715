package org.custody.merkle;

import java.util.List;
import org.custody.crypto.Hash;

/**
 * A claimed proof that the tree of the first {@code size1} leaves is a prefix of the tree of the first
 * {@code size2}: the RFC 6962 consistency proof. Only {@link ProofVerifier} decides whether it holds.
 */
public record ConsistencyProof(long size1, long size2, List<Hash> hashes) {
    public ConsistencyProof {
        hashes = List.copyOf(hashes);
    }
}
