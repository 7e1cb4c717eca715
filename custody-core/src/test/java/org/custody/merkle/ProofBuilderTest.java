package org.custody.merkle;

import org.custody.failure.MalformedInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProofBuilderTest {
    private static final int EXHAUSTIVE = 33;

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void inclusion_everyLeafOfEveryTreeUpTo33_equalsReferencePathAndVerifies(HashAlgorithm algorithm) {
        List<byte[]> leaves = Trees.leaves(EXHAUSTIVE);
        MemoryTree tree = Trees.memoryTree(algorithm, leaves);
        ProofBuilder builder = ProofBuilder.of(algorithm, tree);
        ReferenceMerkle reference = new ReferenceMerkle(algorithm);
        ProofVerifier verifier = ProofVerifier.of(algorithm);
        List<String> wrong = new ArrayList<>();
        for (int n = 1; n <= EXHAUSTIVE; n++) {
            Hash root = builder.root(n);
            if (!root.equals(reference.mth(leaves.subList(0, n)))) {
                wrong.add("root of size " + n);
            }
            for (int i = 0; i < n; i++) {
                InclusionProof proof = builder.inclusion(i, n);
                if (!proof.hashes().equals(reference.path(i, leaves.subList(0, n)))) {
                    wrong.add("path of leaf " + i + " in size " + n);
                }
                try {
                    verifier.verifyInclusion(proof, tree.hash(0, i), root);
                } catch (MerkleProofException e) {
                    wrong.add("leaf " + i + " in size " + n + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void consistency_everyPairOfSizesUpTo33_equalsReferenceProofAndVerifies(HashAlgorithm algorithm) {
        List<byte[]> leaves = Trees.leaves(EXHAUSTIVE);
        MemoryTree tree = Trees.memoryTree(algorithm, leaves);
        ProofBuilder builder = ProofBuilder.of(algorithm, tree);
        ReferenceMerkle reference = new ReferenceMerkle(algorithm);
        ProofVerifier verifier = ProofVerifier.of(algorithm);
        List<String> wrong = new ArrayList<>();
        for (int n = 1; n <= EXHAUSTIVE; n++) {
            for (int m = 1; m <= n; m++) {
                ConsistencyProof proof = builder.consistency(m, n);
                if (!proof.hashes().equals(reference.proof(m, leaves.subList(0, n)))) {
                    wrong.add("proof from " + m + " to " + n);
                }
                try {
                    verifier.verifyConsistency(proof, builder.root(m), builder.root(n));
                } catch (MerkleProofException e) {
                    wrong.add(m + " to " + n + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void proofs_treeOf1000Leaves_readLogarithmicallyManyNodes() {
        Trees.Counting source = new Trees.Counting(Trees.memoryTree(HashAlgorithm.SHA_256, Trees.leaves(1000)));
        ProofBuilder builder = ProofBuilder.of(HashAlgorithm.SHA_256, source);
        int bound = 2 * 10 + 1;
        int most = 0;
        for (int n : new int[] {1, 2, 3, 511, 512, 513, 767, 999, 1000}) {
            for (int i = 0; i < n; i += Math.max(1, n / 37)) {
                source.reads.set(0);
                builder.inclusion(i, n);
                most = Math.max(most, source.reads.get());
                source.reads.set(0);
                builder.consistency(Math.max(1, i), n);
                most = Math.max(most, source.reads.get());
            }
            source.reads.set(0);
            builder.root(n);
            assertEquals(Long.bitCount(n), source.reads.get(), "nodes read for the root of " + n);
        }
        assertTrue(most <= bound, "a proof read " + most + " nodes, more than " + bound);
    }

    /** A tree far too large to scan: the builder must only ask for the O(log n) nodes on the proof's paths. */
    @Test
    void proofs_treeOfTrillionsOfLeaves_readOnlyNodesOnThePaths() {
        long size = (1L << 41) + 12345;
        HashSource synthetic = new HashSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public Hash hash(int level, long index) {
                if (((index + 1) << level) > size) {
                    throw new MalformedInputException("imperfect subtree asked for: " + level + "/" + index);
                }
                return HashAlgorithm.SHA_256.digest(new byte[] {(byte) level}, Long.toString(index).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        };
        Trees.Counting source = new Trees.Counting(synthetic);
        ProofBuilder builder = ProofBuilder.of(HashAlgorithm.SHA_256, source);
        InclusionProof inclusion = builder.inclusion(size / 3, size);
        assertEquals(Shape.inclusionLength(size / 3, size), inclusion.hashes().size());
        ConsistencyProof consistency = builder.consistency(size - 1000, size);
        assertEquals(Shape.consistencyLength(size - 1000, size), consistency.hashes().size());
        builder.root(size);
        assertTrue(source.reads.get() < 3 * 2 * 42, "read " + source.reads.get() + " nodes");
    }

    @Test
    void root_sizeZero_isEmptyRoot() {
        MemoryTree tree = Trees.memoryTree(HashAlgorithm.SM3, Trees.leaves(3));
        assertEquals(TreeHasher.of(HashAlgorithm.SM3).emptyRoot(), ProofBuilder.of(HashAlgorithm.SM3, tree).root(0));
    }

    @Test
    void builder_argumentsOutsideTheStoredTree_throw() {
        ProofBuilder builder = ProofBuilder.of(HashAlgorithm.SHA_256, Trees.memoryTree(HashAlgorithm.SHA_256, Trees.leaves(5)));
        assertThrows(MalformedInputException.class, () -> builder.root(6));
        assertThrows(MalformedInputException.class, () -> builder.root(-1));
        assertThrows(MalformedInputException.class, () -> builder.inclusion(5, 5));
        assertThrows(MalformedInputException.class, () -> builder.inclusion(-1, 5));
        assertThrows(MalformedInputException.class, () -> builder.inclusion(0, 6));
        assertThrows(MalformedInputException.class, () -> builder.consistency(0, 5));
        assertThrows(MalformedInputException.class, () -> builder.consistency(4, 3));
        assertThrows(MalformedInputException.class, () -> builder.consistency(3, 6));
    }
}
