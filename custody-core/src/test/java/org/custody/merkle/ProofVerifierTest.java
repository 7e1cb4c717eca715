package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.merkle.MerkleProofException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ProofVerifierTest {
    private static final HashAlgorithm ALG = HashAlgorithm.SHA_256;
    private static final MemoryTree TREE = Trees.memoryTree(ALG, Trees.leaves(13));
    private static final ProofBuilder BUILDER = ProofBuilder.of(ALG, TREE);
    private static final ProofVerifier VERIFIER = ProofVerifier.of(ALG);

    /** Leaf 6 of 13 (proof of 4 hashes) and its root. */
    private static final InclusionProof INCLUSION = BUILDER.inclusion(6, 13);
    private static final byte[] LEAF = TREE.hash(0, 6).bytes();
    private static final byte[] ROOT = BUILDER.root(13).bytes();
    /** From 6 to 13 (proof of 4 hashes) and the roots. */
    private static final ConsistencyProof CONSISTENCY = BUILDER.consistency(6, 13);
    private static final byte[] ROOT6 = BUILDER.root(6).bytes();

    private static List<byte[]> inclusionPath() {
        return Trees.bytes(INCLUSION.hashes());
    }

    private static List<byte[]> consistencyPath() {
        return Trees.bytes(CONSISTENCY.hashes());
    }

    private static MerkleProofException refused(Reason reason, Executable verification) {
        MerkleProofException e = assertThrows(MerkleProofException.class, verification);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void verifyInclusion_validProof_returns() {
        assertEquals(4, INCLUSION.hashes().size());
        assertDoesNotThrow(() -> VERIFIER.verifyInclusion(6, 13, LEAF, inclusionPath(), ROOT));
        assertDoesNotThrow(() -> VERIFIER.verifyInclusion(INCLUSION, Hash.of(LEAF), Hash.of(ROOT)));
    }

    @Test
    void verifyInclusion_negativeTreeSize_throwsBadSize() {
        refused(Reason.BAD_SIZE, () -> VERIFIER.verifyInclusion(0, -1, LEAF, List.of(), ROOT));
    }

    @Test
    void verifyInclusion_indexNotBelowSize_throwsIndexOutOfRange() {
        refused(Reason.INDEX_OUT_OF_RANGE, () -> VERIFIER.verifyInclusion(13, 13, LEAF, inclusionPath(), ROOT));
        refused(Reason.INDEX_OUT_OF_RANGE, () -> VERIFIER.verifyInclusion(-1, 13, LEAF, inclusionPath(), ROOT));
        refused(Reason.INDEX_OUT_OF_RANGE, () -> VERIFIER.verifyInclusion(0, 0, LEAF, List.of(), ROOT));
    }

    @Test
    void verifyInclusion_truncatedProof_throwsWrongProofLength() {
        MerkleProofException e = refused(Reason.WRONG_PROOF_LENGTH,
                () -> VERIFIER.verifyInclusion(6, 13, LEAF, inclusionPath().subList(0, 3), ROOT));
        assertTrue(e.getMessage().contains("has 4 hashes, got 3"), e.getMessage());
    }

    @Test
    void verifyInclusion_missingProof_throwsWrongProofLength() {
        refused(Reason.WRONG_PROOF_LENGTH, () -> VERIFIER.verifyInclusion(6, 13, LEAF, null, ROOT));
    }

    @Test
    void verifyInclusion_proofHashWithTrailingByte_throwsMalformedHash() {
        List<byte[]> path = inclusionPath();
        path.set(2, Arrays.copyOf(path.get(2), 33));
        MerkleProofException e = refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyInclusion(6, 13, LEAF, path, ROOT));
        assertTrue(e.getMessage().contains("proof[2] is 33 bytes"), e.getMessage());
    }

    @Test
    void verifyInclusion_shortOrMissingLeafOrRoot_throwsMalformedHash() {
        refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyInclusion(6, 13, Arrays.copyOf(LEAF, 31), inclusionPath(), ROOT));
        refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyInclusion(6, 13, LEAF, inclusionPath(), new byte[0]));
        refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyInclusion(6, 13, null, inclusionPath(), ROOT));
        List<byte[]> withNull = new ArrayList<>(inclusionPath());
        withNull.set(0, null);
        refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyInclusion(6, 13, LEAF, withNull, ROOT));
    }

    @Test
    void verifyInclusion_severalDefects_reportsTheFirstCheckInOrder() {
        List<byte[]> shortAndMalformed = List.of(new byte[1]);
        refused(Reason.INDEX_OUT_OF_RANGE, () -> VERIFIER.verifyInclusion(13, 13, new byte[1], shortAndMalformed, new byte[1]));
        refused(Reason.WRONG_PROOF_LENGTH, () -> VERIFIER.verifyInclusion(6, 13, new byte[1], shortAndMalformed, new byte[1]));
    }

    @Test
    void verifyInclusion_wrongRoot_throwsRootMismatchShowingBothRoots() {
        Hash other = BUILDER.root(12);
        RootMismatchException e = assertThrows(RootMismatchException.class,
                () -> VERIFIER.verifyInclusion(6, 13, LEAF, inclusionPath(), other.bytes()));
        assertEquals(Reason.ROOT_MISMATCH, e.reason());
        assertEquals(other, e.expected());
        assertEquals(Hash.of(ROOT), e.computed());
        assertEquals(13, e.treeSize());
        assertTrue(e.getMessage().contains(other.hex()) && e.getMessage().contains(Hash.of(ROOT).hex()), e.getMessage());
    }

    @Test
    void verifyInclusion_wrongIndexSameProofLength_throwsRootMismatch() {
        assertEquals(4, Shape.inclusionLength(7, 13));
        refused(Reason.ROOT_MISMATCH, () -> VERIFIER.verifyInclusion(7, 13, LEAF, inclusionPath(), ROOT));
        refused(Reason.ROOT_MISMATCH, () -> VERIFIER.verifyInclusion(new InclusionProof(7, 13, INCLUSION.hashes()),
                Hash.of(LEAF), Hash.of(ROOT)));
    }

    /** Documented limitation (docs/merkle.md): the root alone does not commit to the size; a checkpoint binds both. */
    @Test
    void verifyInclusion_otherSizeWithTheSameProofShape_verifiesBecauseTheRootDoesNotBindTheSize() {
        assertEquals(Shape.inner(6, 13), Shape.inner(6, 14));
        assertEquals(Shape.border(6, 13), Shape.border(6, 14));
        assertDoesNotThrow(() -> VERIFIER.verifyInclusion(6, 14, LEAF, inclusionPath(), ROOT));
    }

    @Test
    void verifyInclusion_sm3ProofCheckedWithSha256_throwsRootMismatch() {
        MemoryTree sm3 = Trees.memoryTree(HashAlgorithm.SM3, Trees.leaves(13));
        ProofBuilder builder = ProofBuilder.of(HashAlgorithm.SM3, sm3);
        assertDoesNotThrow(() -> ProofVerifier.of(HashAlgorithm.SM3).verifyInclusion(builder.inclusion(6, 13), sm3.hash(0, 6), builder.root(13)));
        refused(Reason.ROOT_MISMATCH, () -> VERIFIER.verifyInclusion(builder.inclusion(6, 13), sm3.hash(0, 6), builder.root(13)));
    }

    @Test
    void verifyConsistency_validProof_returns() {
        assertEquals(4, CONSISTENCY.hashes().size());
        assertDoesNotThrow(() -> VERIFIER.verifyConsistency(6, 13, ROOT6, ROOT, consistencyPath()));
        assertDoesNotThrow(() -> VERIFIER.verifyConsistency(CONSISTENCY, Hash.of(ROOT6), Hash.of(ROOT)));
    }

    @Test
    void verifyConsistency_size1LargerThanSize2_throwsBadSize() {
        refused(Reason.BAD_SIZE, () -> VERIFIER.verifyConsistency(13, 6, ROOT, ROOT6, consistencyPath()));
    }

    @Test
    void verifyConsistency_fromEmptyTree_throwsBadSize() {
        byte[] empty = TreeHasher.of(ALG).emptyRoot().bytes();
        refused(Reason.BAD_SIZE, () -> VERIFIER.verifyConsistency(0, 13, empty, ROOT, List.of()));
        refused(Reason.BAD_SIZE, () -> VERIFIER.verifyConsistency(0, 0, empty, empty, List.of()));
        refused(Reason.BAD_SIZE, () -> VERIFIER.verifyConsistency(-1, 13, empty, ROOT, List.of()));
    }

    @Test
    void verifyConsistency_equalSizesEqualRootsEmptyProof_returns() {
        assertDoesNotThrow(() -> VERIFIER.verifyConsistency(13, 13, ROOT, ROOT, List.of()));
    }

    @Test
    void verifyConsistency_equalSizesDifferentRoots_throwsRootMismatch() {
        RootMismatchException e = assertThrows(RootMismatchException.class,
                () -> VERIFIER.verifyConsistency(13, 13, ROOT6, ROOT, List.of()));
        assertEquals(Hash.of(ROOT), e.expected());
        assertEquals(Hash.of(ROOT6), e.computed());
    }

    @Test
    void verifyConsistency_equalSizesNonEmptyProof_throwsWrongProofLength() {
        refused(Reason.WRONG_PROOF_LENGTH, () -> VERIFIER.verifyConsistency(13, 13, ROOT, ROOT, List.of(ROOT)));
    }

    @Test
    void verifyConsistency_equalSizesShortRoots_throwsMalformedHash() {
        byte[] twelve = new byte[12];
        refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyConsistency(1, 1, twelve, twelve, List.of()));
    }

    @Test
    void verifyConsistency_emptyOrTruncatedProof_throwsWrongProofLength() {
        refused(Reason.WRONG_PROOF_LENGTH, () -> VERIFIER.verifyConsistency(6, 13, ROOT6, ROOT, List.of()));
        refused(Reason.WRONG_PROOF_LENGTH, () -> VERIFIER.verifyConsistency(6, 13, ROOT6, ROOT, consistencyPath().subList(0, 3)));
    }

    @Test
    void verifyConsistency_wrongRoot1_throwsRootMismatchForSize1() {
        RootMismatchException e = assertThrows(RootMismatchException.class,
                () -> VERIFIER.verifyConsistency(6, 13, BUILDER.root(5).bytes(), ROOT, consistencyPath()));
        assertEquals(6, e.treeSize());
        assertEquals(Hash.of(ROOT6), e.computed());
    }

    @Test
    void verifyConsistency_wrongRoot2_throwsRootMismatchForSize2() {
        RootMismatchException e = assertThrows(RootMismatchException.class,
                () -> VERIFIER.verifyConsistency(6, 13, ROOT6, BUILDER.root(12).bytes(), consistencyPath()));
        assertEquals(13, e.treeSize());
        assertEquals(Hash.of(ROOT), e.computed());
    }

    @Test
    void verifyConsistency_swappedRoots_throwsRootMismatch() {
        refused(Reason.ROOT_MISMATCH, () -> VERIFIER.verifyConsistency(6, 13, ROOT, ROOT6, consistencyPath()));
    }

    @Test
    void verifyConsistency_powerOfTwoSize1WithSeedPrepended_throwsWrongProofLength() {
        ConsistencyProof proof = BUILDER.consistency(8, 13);
        List<byte[]> withSeed = new ArrayList<>();
        withSeed.add(BUILDER.root(8).bytes());
        withSeed.addAll(Trees.bytes(proof.hashes()));
        refused(Reason.WRONG_PROOF_LENGTH, () -> VERIFIER.verifyConsistency(8, 13, BUILDER.root(8).bytes(), ROOT, withSeed));
        assertDoesNotThrow(() -> VERIFIER.verifyConsistency(proof, BUILDER.root(8), Hash.of(ROOT)));
    }

    @Test
    void verifyConsistency_proofWithNullHash_throwsMalformedHash() {
        List<byte[]> path = consistencyPath();
        path.set(3, null);
        refused(Reason.MALFORMED_HASH, () -> VERIFIER.verifyConsistency(6, 13, ROOT6, ROOT, path));
    }
}
