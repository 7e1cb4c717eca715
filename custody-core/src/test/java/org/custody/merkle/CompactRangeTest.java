package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompactRangeTest {
    /** The leaves of RFC 6962's test data (as used by transparency-dev/merkle) and the roots of their prefixes. */
    private static final String[] RFC_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    private static final String[] RFC_ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    @Test
    void root_rfc6962TestLeaves_matchesPublishedRoots() {
        CompactRange range = CompactRange.empty(HashAlgorithm.SHA_256);
        TreeHasher hasher = TreeHasher.of(HashAlgorithm.SHA_256);
        List<String> roots = new ArrayList<>();
        for (String leaf : RFC_LEAVES) {
            range.append(hasher.leafHash(HexFormat.of().parseHex(leaf)));
            roots.add(range.root().hex());
        }
        assertEquals(List.of(RFC_ROOTS), roots);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void root_everySizeUpTo70_equalsReferenceMth(HashAlgorithm algorithm) {
        List<byte[]> leaves = Trees.leaves(70);
        ReferenceMerkle reference = new ReferenceMerkle(algorithm);
        CompactRange range = CompactRange.empty(algorithm);
        TreeHasher hasher = TreeHasher.of(algorithm);
        List<String> wrong = new ArrayList<>();
        for (int n = 0; n <= leaves.size(); n++) {
            if (!range.root().equals(reference.mth(leaves.subList(0, n)))) {
                wrong.add("size " + n);
            }
            if (n < leaves.size()) {
                range.append(hasher.leafHash(leaves.get(n)));
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void append_toSizeSeven_returnsLeafAndEveryCompletedSubtree() {
        MemoryTree tree = Trees.memoryTree(HashAlgorithm.SHA_256, Trees.leaves(7));
        CompactRange range = CompactRange.of(HashAlgorithm.SHA_256, tree);
        Hash leaf = TreeHasher.of(HashAlgorithm.SHA_256).leafHash(new byte[] {7});
        List<Node> completed = range.append(leaf);
        tree.append(leaf);
        assertEquals(List.of(new Node(0, 7, leaf), new Node(1, 3, tree.hash(1, 3)), new Node(2, 1, tree.hash(2, 1)),
                new Node(3, 0, tree.hash(3, 0))), completed);
        assertEquals(tree.hash(3, 0), range.root());
    }

    @Test
    void append_toEvenSize_completesOnlyTheLeaf() {
        CompactRange range = CompactRange.of(HashAlgorithm.SM3, Trees.memoryTree(HashAlgorithm.SM3, Trees.leaves(6)));
        Hash leaf = TreeHasher.of(HashAlgorithm.SM3).leafHash(new byte[0]);
        assertEquals(List.of(new Node(0, 6, leaf)), range.append(leaf));
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void of_storedTree_continuesLikeTheRangeThatBuiltIt(HashAlgorithm algorithm) {
        List<byte[]> leaves = Trees.leaves(45);
        MemoryTree tree = Trees.memoryTree(algorithm, leaves.subList(0, 37));
        Trees.Counting counting = new Trees.Counting(tree);
        CompactRange restored = CompactRange.of(algorithm, counting);
        assertEquals(Long.bitCount(37), counting.reads.get(), "nodes read to restore the range");
        assertEquals(tree.root(), restored.root());
        TreeHasher hasher = TreeHasher.of(algorithm);
        for (byte[] leaf : leaves.subList(37, 45)) {
            restored.append(hasher.leafHash(leaf));
        }
        assertEquals(new ReferenceMerkle(algorithm).mth(leaves), restored.root());
        assertEquals(45, restored.size());
    }

    @Test
    void root_empty_isEmptyRoot() {
        assertEquals(TreeHasher.of(HashAlgorithm.SM3).emptyRoot(), CompactRange.empty(HashAlgorithm.SM3).root());
        assertEquals(TreeHasher.of(HashAlgorithm.SM3).emptyRoot(), MemoryTree.create(HashAlgorithm.SM3).root());
    }

    @Test
    void hash_subtreeNotYetComplete_throws() {
        MemoryTree tree = Trees.memoryTree(HashAlgorithm.SHA_256, Trees.leaves(5));
        assertEquals(tree.hash(2, 0), tree.hash(2, 0));
        assertThrows(IllegalArgumentException.class, () -> tree.hash(2, 1));
        assertThrows(IllegalArgumentException.class, () -> tree.hash(0, 5));
        assertThrows(IllegalArgumentException.class, () -> tree.hash(3, 0));
        assertThrows(IllegalArgumentException.class, () -> tree.hash(-1, 0));
    }

    @Test
    void node_indexBeyondLongRange_throws() {
        Hash zero = Hash.ZERO;
        assertEquals(new Node(62, 0, zero).level(), 62);
        assertThrows(IllegalArgumentException.class, () -> new Node(62, 1, zero));
        assertThrows(IllegalArgumentException.class, () -> new Node(63, 0, zero));
        assertThrows(IllegalArgumentException.class, () -> new Node(0, -1, zero));
    }
}
