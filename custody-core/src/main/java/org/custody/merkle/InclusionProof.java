package org.custody.merkle;

import java.util.List;
import org.custody.crypto.Hash;

/**
 * A claimed proof that leaf {@code leafIndex} is in the tree of the first {@code treeSize} leaves: the RFC 6962
 * audit path, sibling hashes from the leaf upward. Only {@link ProofVerifier} decides whether it holds.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> hashes) {
    public InclusionProof {
        hashes = List.copyOf(hashes);
    }
}
