package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.merkle.MerkleProofException.Reason;

/** Flipping any one bit of any proof hash, root or leaf hash of a valid proof makes verification throw. */
class ProofVerifierBitFlipTest {
    @Provide
    Arbitrary<TreeCases> trees() {
        return TreeCases.upTo(8, 300);
    }

    /** {@code hash} with bit {@code bit} (0-255) flipped. */
    private static byte[] flip(byte[] hash, int bit) {
        byte[] out = hash.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    @Property(tries = 150)
    void verifyInclusion_anySingleBitFlip_throwsRootMismatch(@ForAll("trees") TreeCases t,
            @ForAll @IntRange(min = 0, max = 1000) int target, @ForAll @IntRange(min = 0, max = 255) int bit) {
        MemoryTree tree = Trees.memoryTree(t.algorithm(), Trees.leaves(t.size()));
        InclusionProof proof = ProofBuilder.of(t.algorithm(), tree).inclusion(t.leafIndex(), t.size());
        List<byte[]> path = Trees.bytes(proof.hashes());
        byte[] leaf = tree.hash(0, t.leafIndex()).bytes();
        byte[] root = tree.root().bytes();
        ProofVerifier verifier = ProofVerifier.of(t.algorithm());
        verifier.verifyInclusion(t.leafIndex(), t.size(), leaf, path, root);

        int which = target % (path.size() + 2);
        if (which < path.size()) {
            path.set(which, flip(path.get(which), bit));
        } else if (which == path.size()) {
            leaf = flip(leaf, bit);
        } else {
            root = flip(root, bit);
        }
        byte[] flippedLeaf = leaf;
        byte[] flippedRoot = root;
        MerkleProofException e = assertThrows(MerkleProofException.class,
                () -> verifier.verifyInclusion(t.leafIndex(), t.size(), flippedLeaf, path, flippedRoot));
        assertEquals(Reason.ROOT_MISMATCH, e.reason(), e.getMessage());
    }

    @Property(tries = 150)
    void verifyConsistency_anySingleBitFlip_throwsRootMismatch(@ForAll("trees") TreeCases t,
            @ForAll @IntRange(min = 0, max = 1000) int target, @ForAll @IntRange(min = 0, max = 255) int bit) {
        MemoryTree tree = Trees.memoryTree(t.algorithm(), Trees.leaves(t.size()));
        ProofBuilder builder = ProofBuilder.of(t.algorithm(), tree);
        List<byte[]> path = new ArrayList<>(Trees.bytes(builder.consistency(t.size1(), t.size()).hashes()));
        byte[] root1 = builder.root(t.size1()).bytes();
        byte[] root2 = tree.root().bytes();
        ProofVerifier verifier = ProofVerifier.of(t.algorithm());
        verifier.verifyConsistency(t.size1(), t.size(), root1, root2, path);

        int which = target % (path.size() + 2);
        if (which < path.size()) {
            path.set(which, flip(path.get(which), bit));
        } else if (which == path.size()) {
            root1 = flip(root1, bit);
        } else {
            root2 = flip(root2, bit);
        }
        byte[] flipped1 = root1;
        byte[] flipped2 = root2;
        MerkleProofException e = assertThrows(MerkleProofException.class,
                () -> verifier.verifyConsistency(t.size1(), t.size(), flipped1, flipped2, path));
        assertEquals(Reason.ROOT_MISMATCH, e.reason(), e.getMessage());
    }
}
