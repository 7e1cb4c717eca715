package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.crypto.Hash;

/** The incremental tree and proof builder against the naive RFC 6962 §2.1 definitions, on random trees up to ~1000 leaves. */
class ProofBuilderReferenceTest {
    @Provide
    Arbitrary<TreeCases> trees() {
        return TreeCases.upTo(10, 1000);
    }

    @Property(tries = 120)
    void builder_randomTree_rootsAndProofsEqualReference(@ForAll("trees") TreeCases t) {
        List<byte[]> leaves = Trees.leaves(t.size());
        List<byte[]> older = leaves.subList(0, t.size1());
        MemoryTree tree = Trees.memoryTree(t.algorithm(), leaves);
        ProofBuilder builder = ProofBuilder.of(t.algorithm(), tree);
        ReferenceMerkle reference = new ReferenceMerkle(t.algorithm());

        Hash root = reference.mth(leaves);
        Hash root1 = reference.mth(older);
        assertEquals(root, tree.root(), "compact range root");
        assertEquals(root, builder.root(t.size()), "root");
        assertEquals(root1, builder.root(t.size1()), "earlier root");
        assertEquals(reference.path(t.leafIndex(), leaves), builder.inclusion(t.leafIndex(), t.size()).hashes(), "inclusion proof");
        assertEquals(reference.proof(t.size1(), leaves), builder.consistency(t.size1(), t.size()).hashes(), "consistency proof");

        ProofVerifier verifier = ProofVerifier.of(t.algorithm());
        verifier.verifyInclusion(builder.inclusion(t.leafIndex(), t.size()), tree.hash(0, t.leafIndex()), root);
        verifier.verifyConsistency(builder.consistency(t.size1(), t.size()), root1, root);
    }
}
