package org.custody.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.testing.Golden;

/**
 * Writes the Merkle proof vectors (see {@code src/test/resources/merkle/README.md}), one file per hash. Run it only
 * when the format changes on purpose, then review the diff and commit it with the change (from {@code custody-core}):
 *
 * <pre>
 * ../mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.custody.merkle.MerkleVectorsGenerator
 * </pre>
 *
 * <p>The optional argument is the output folder (default {@code src/test/resources/merkle}). Nothing is random:
 * running it twice writes identical files. A negative case's {@code reason} is what Custody's verifier says; the
 * generator fails if a mutation would verify, so every negative case is refused.
 */
public final class MerkleVectorsGenerator {
    /** Leaves in every file: roots are given for sizes 0 to this. */
    static final int LEAVES = 21;
    static final String FOLDER = "/merkle/";

    private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 21};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private final HashAlgorithm algorithm;
    private final List<byte[]> leaves = Trees.leaves(LEAVES);
    private final MemoryTree tree;
    private final ProofBuilder builder;
    private final ProofVerifier verifier;

    private MerkleVectorsGenerator(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.tree = Trees.memoryTree(algorithm, leaves);
        this.builder = ProofBuilder.of(algorithm, tree);
        this.verifier = ProofVerifier.of(algorithm);
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/merkle");
        Files.createDirectories(out);
        for (Map.Entry<String, JsonNode> file : generate().entrySet()) {
            Files.write(out.resolve(file.getKey()), Golden.render(file.getValue()));
        }
    }

    /** The vector file name of a hash, e.g. {@code sha-256.json}. */
    static String file(HashAlgorithm algorithm) {
        return algorithm.wire() + ".json";
    }

    /** Every vector file, by name. */
    static Map<String, JsonNode> generate() {
        Map<String, JsonNode> files = new LinkedHashMap<>();
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            files.put(file(algorithm), new MerkleVectorsGenerator(algorithm).vectors());
        }
        return files;
    }

    private ObjectNode vectors() {
        ObjectNode file = JSON.objectNode();
        file.put("hash", algorithm.wire());
        ArrayNode leafArray = file.putArray("leaves");
        for (int i = 0; i < LEAVES; i++) {
            leafArray.addObject().put("data", HEX.formatHex(leaves.get(i))).put("leafHash", tree.hash(0, i).hex());
        }
        ArrayNode roots = file.putArray("roots");
        for (int n = 0; n <= LEAVES; n++) {
            roots.add(builder.root(n).hex());
        }
        inclusionCases(file.putArray("inclusion"));
        consistencyCases(file.putArray("consistency"));
        return file;
    }

    private void inclusionCases(ArrayNode out) {
        for (int n : SIZES) {
            for (long i : new TreeSet<>(List.of(0L, (long) n / 2, (long) n - 1))) {
                InclusionProof p = builder.inclusion(i, n);
                inclusion(out, "leaf-" + i + "-of-" + n, i, n, tree.hash(0, (int) i).bytes(), bytes(p.hashes()), builder.root(n).bytes());
            }
        }
        for (long[] base : new long[][] {{6, 13}, {16, 21}}) {
            long i = base[0];
            long n = base[1];
            String name = "leaf-" + i + "-of-" + n + "/";
            byte[] leaf = tree.hash(0, (int) i).bytes();
            byte[] root = builder.root(n).bytes();
            List<byte[]> proof = bytes(builder.inclusion(i, n).hashes());
            for (int j = 0; j < proof.size(); j++) {
                int bit = flipBit(j);
                inclusion(out, name + "flipped-bit-" + bit + "-in-proof-" + j, i, n, leaf, replace(proof, j, flip(proof.get(j), bit)), root);
            }
            inclusion(out, name + "flipped-bit-" + flipBit(7) + "-in-leaf-hash", i, n, flip(leaf, flipBit(7)), proof, root);
            inclusion(out, name + "flipped-bit-" + flipBit(8) + "-in-root", i, n, leaf, proof, flip(root, flipBit(8)));
            inclusion(out, name + "wrong-index-plus-1", i + 1, n, leaf, proof, root);
            inclusion(out, name + "wrong-index-minus-1", i - 1, n, leaf, proof, root);
            inclusion(out, name + "index-equals-size", n, n, leaf, proof, root);
            inclusion(out, name + "wrong-size-doubled", i, 2 * n, leaf, proof, root);
            inclusion(out, name + "wrong-size-halved", i, n / 2, leaf, proof, root);
            inclusion(out, name + "truncated-proof", i, n, leaf, proof.subList(0, proof.size() - 1), root);
            inclusion(out, name + "trailing-hash", i, n, leaf, append(proof, root), root);
            inclusion(out, name + "preceding-hash", i, n, leaf, prepend(leaf, proof), root);
            inclusion(out, name + "trailing-byte-in-proof-0", i, n, leaf, replace(proof, 0, Arrays.copyOf(proof.get(0), 33)), root);
            inclusion(out, name + "truncated-root", i, n, leaf, proof, Arrays.copyOf(root, 31));
            inclusion(out, name + "swapped-proof-0-and-1", i, n, leaf, replace(replace(proof, 0, proof.get(1)), 1, proof.get(0)), root);
            inclusion(out, name + "root-of-size-minus-1", i, n, leaf, proof, builder.root(n - 1).bytes());
        }
        inclusion(out, "leaf-0-of-0/empty-tree", 0, 0, tree.hash(0, 0).bytes(), List.of(), builder.root(0).bytes());
    }

    private void consistencyCases(ArrayNode out) {
        for (int m : SIZES) {
            for (int n : new TreeSet<>(List.of(m, Math.min(m + 1, LEAVES), Math.max(m, 13), LEAVES))) {
                consistency(out, m + "-to-" + n, m, n, builder.root(m).bytes(), builder.root(n).bytes(),
                        bytes(builder.consistency(m, n).hashes()));
            }
        }
        for (long[] base : new long[][] {{6, 13}, {8, 21}}) {
            long m = base[0];
            long n = base[1];
            String name = m + "-to-" + n + "/";
            byte[] root1 = builder.root(m).bytes();
            byte[] root2 = builder.root(n).bytes();
            List<byte[]> proof = bytes(builder.consistency(m, n).hashes());
            for (int j = 0; j < proof.size(); j++) {
                int bit = flipBit(j);
                consistency(out, name + "flipped-bit-" + bit + "-in-proof-" + j, m, n, root1, root2, replace(proof, j, flip(proof.get(j), bit)));
            }
            consistency(out, name + "flipped-bit-" + flipBit(7) + "-in-root1", m, n, flip(root1, flipBit(7)), root2, proof);
            consistency(out, name + "flipped-bit-" + flipBit(8) + "-in-root2", m, n, root1, flip(root2, flipBit(8)), proof);
            consistency(out, name + "swapped-roots", m, n, root2, root1, proof);
            consistency(out, name + "swapped-sizes", n, m, root1, root2, proof);
            consistency(out, name + "wrong-size1-plus-1", m + 1, n, root1, root2, proof);
            consistency(out, name + "wrong-size1-minus-1", m - 1, n, root1, root2, proof);
            consistency(out, name + "wrong-size2-doubled", m, 2 * n, root1, root2, proof);
            consistency(out, name + "wrong-size2-halved", m, n / 2, root1, root2, proof);
            consistency(out, name + "size1-zero", 0, n, builder.root(0).bytes(), root2, proof);
            consistency(out, name + "empty-proof", m, n, root1, root2, List.of());
            consistency(out, name + "truncated-proof", m, n, root1, root2, proof.subList(0, proof.size() - 1));
            consistency(out, name + "trailing-hash", m, n, root1, root2, append(proof, root2));
            consistency(out, name + "preceding-hash", m, n, root1, root2, prepend(root1, proof));
            consistency(out, name + "trailing-byte-in-proof-0", m, n, root1, root2, replace(proof, 0, Arrays.copyOf(proof.get(0), 33)));
            consistency(out, name + "truncated-root1", m, n, Arrays.copyOf(root1, 31), root2, proof);
        }
        byte[] root13 = builder.root(13).bytes();
        consistency(out, "13-to-13/different-roots", 13, 13, builder.root(12).bytes(), root13, List.of());
        consistency(out, "13-to-13/non-empty-proof", 13, 13, root13, root13, List.of(root13));
        consistency(out, "0-to-0/empty-tree", 0, 0, builder.root(0).bytes(), builder.root(0).bytes(), List.of());
    }

    private void inclusion(ArrayNode out, String name, long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
        ObjectNode c = out.addObject();
        c.put("name", name);
        c.put("leafIndex", index);
        c.put("treeSize", size);
        c.put("leafHash", HEX.formatHex(leaf));
        c.put("root", HEX.formatHex(root));
        ArrayNode hashes = c.putArray("proof");
        proof.forEach(h -> hashes.add(HEX.formatHex(h)));
        outcome(c, name, () -> verifier.verifyInclusion(index, size, leaf, proof, root));
    }

    private void consistency(ArrayNode out, String name, long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        ObjectNode c = out.addObject();
        c.put("name", name);
        c.put("size1", size1);
        c.put("size2", size2);
        c.put("root1", HEX.formatHex(root1));
        c.put("root2", HEX.formatHex(root2));
        ArrayNode hashes = c.putArray("proof");
        proof.forEach(h -> hashes.add(HEX.formatHex(h)));
        outcome(c, name, () -> verifier.verifyConsistency(size1, size2, root1, root2, proof));
    }

    /** Records {@code valid}, and for a mutation (a name with a '/') the reason Custody refuses it. */
    private static void outcome(ObjectNode c, String name, Runnable verification) {
        boolean mutated = name.contains("/");
        try {
            verification.run();
            if (mutated) {
                throw new IllegalStateException("mutation " + name + " verifies: choose another");
            }
            c.put("valid", true);
        } catch (MerkleProofException e) {
            if (!mutated) {
                throw new IllegalStateException("valid case " + name + " is refused: " + e.getMessage(), e);
            }
            c.put("valid", false);
            c.put("reason", e.reason().name());
        }
    }

    /** The bit flipped in the {@code j}-th mutated hash: spread over the 256 bits. */
    private static int flipBit(int j) {
        return (37 * j + 5) % 256;
    }

    /** {@code hash} with bit {@code bit} flipped: byte {@code bit / 8}, mask {@code 1 << (bit % 8)}. */
    static byte[] flip(byte[] hash, int bit) {
        byte[] out = hash.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    private static List<byte[]> bytes(List<Hash> hashes) {
        return Trees.bytes(hashes);
    }

    private static List<byte[]> replace(List<byte[]> proof, int j, byte[] hash) {
        List<byte[]> out = new ArrayList<>(proof);
        out.set(j, hash);
        return out;
    }

    private static List<byte[]> append(List<byte[]> proof, byte[] hash) {
        List<byte[]> out = new ArrayList<>(proof);
        out.add(hash);
        return out;
    }

    private static List<byte[]> prepend(byte[] hash, List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        out.add(hash);
        out.addAll(proof);
        return out;
    }
}
