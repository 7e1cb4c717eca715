package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.merkle.MerkleProofException.Reason;
import org.custody.testing.Golden;
import org.custody.testing.SharedVectors;
import org.junit.jupiter.api.Test;

/**
 * transparency-dev/merkle's RFC 6962 proof cases ({@code ../shared/vectors/rfc6962-proofs}, SHA-256): every case
 * must verify or be refused as its {@code wantErr} says, with a {@link MerkleProofException} and nothing else.
 */
class Rfc6962VectorsTest {
    private static final String FOLDER = "rfc6962-proofs";

    /**
     * Cases where Custody is deliberately stricter: the upstream verifier compares the roots of equal-sized trees
     * without looking at them, so it accepts 12-byte "roots"; Custody requires every hash to be 32 bytes.
     */
    private static final Map<String, Reason> STRICTER = Map.of(
            "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json", Reason.MALFORMED_HASH);

    /** The leaves the upstream cases were made from (RFC 6962's test data); the happy paths are proofs over them. */
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};

    private static final ProofVerifier VERIFIER = ProofVerifier.of(HashAlgorithm.SHA_256);

    private static List<Path> cases(Path root, String kind) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(kind))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static String name(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static JsonNode read(Path file) throws IOException {
        return Golden.json().readTree(file.toFile());
    }

    /** A uint64 as a long: values above {@link Long#MAX_VALUE} wrap to negative, which Custody refuses as out of range. */
    private static long uint64(JsonNode n) {
        return n.bigIntegerValue().longValue();
    }

    private static byte[] base64(JsonNode n) {
        return Base64.getDecoder().decode(n.asText());
    }

    /** An absent proof ({@code null}, Go's nil slice) is the empty proof. */
    private static List<byte[]> proof(JsonNode n) {
        List<byte[]> out = new ArrayList<>();
        if (n != null && !n.isNull()) {
            n.forEach(h -> out.add(base64(h)));
        }
        return out;
    }

    private static void check(String name, JsonNode c, Runnable verification, List<String> failures) {
        boolean wantErr = c.get("wantErr").asBoolean();
        Reason stricter = STRICTER.get(name);
        try {
            verification.run();
            if (wantErr || stricter != null) {
                failures.add(name + " (" + c.get("desc").asText() + "): verified, must be refused");
            }
        } catch (MerkleProofException e) {
            if (stricter != null && e.reason() != stricter) {
                failures.add(name + ": refused as " + e.reason() + ", expected " + stricter + ": " + e.getMessage());
            } else if (!wantErr && stricter == null) {
                failures.add(name + " (" + c.get("desc").asText() + "): refused, must verify: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            failures.add(name + ": threw " + e + " instead of MerkleProofException");
        }
    }

    @Test
    void verifyInclusion_everyUpstreamCase_agreesWithWantErr() throws IOException {
        Path root = SharedVectors.require(FOLDER);
        List<String> failures = new ArrayList<>();
        List<Path> files = cases(root, "inclusion");
        for (Path file : files) {
            JsonNode c = read(file);
            check(name(root, file), c, () -> VERIFIER.verifyInclusion(uint64(c.get("leafIdx")), uint64(c.get("treeSize")),
                    base64(c.get("leafHash")), proof(c.get("proof")), base64(c.get("root"))), failures);
        }
        assertTrue(files.size() >= 80, "only " + files.size() + " inclusion cases found in " + root);
        assertEquals(List.of(), failures, failures.size() + " of " + files.size() + " inclusion cases failed");
    }

    @Test
    void verifyConsistency_everyUpstreamCase_agreesWithWantErr() throws IOException {
        Path root = SharedVectors.require(FOLDER);
        List<String> failures = new ArrayList<>();
        List<Path> files = cases(root, "consistency");
        for (Path file : files) {
            JsonNode c = read(file);
            check(name(root, file), c, () -> VERIFIER.verifyConsistency(uint64(c.get("size1")), uint64(c.get("size2")),
                    base64(c.get("root1")), base64(c.get("root2")), proof(c.get("proof"))), failures);
        }
        assertTrue(files.size() >= 90, "only " + files.size() + " consistency cases found in " + root);
        assertEquals(List.of(), failures, failures.size() + " of " + files.size() + " consistency cases failed");
    }

    /** Proof generation against another implementation: our proofs over the same leaves are the upstream ones. */
    @Test
    void builder_upstreamHappyPaths_generatesTheSameRootsAndProofs() throws IOException {
        Path root = SharedVectors.require(FOLDER);
        MemoryTree tree = MemoryTree.create(HashAlgorithm.SHA_256);
        TreeHasher hasher = TreeHasher.of(HashAlgorithm.SHA_256);
        for (String leaf : LEAVES) {
            tree.append(hasher.leafHash(HexFormat.of().parseHex(leaf)));
        }
        ProofBuilder builder = ProofBuilder.of(HashAlgorithm.SHA_256, tree);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String kind : List.of("inclusion", "consistency")) {
            for (Path file : cases(root, kind)) {
                if (!file.getFileName().toString().equals("happy-path.json")) {
                    continue;
                }
                checked++;
                String name = name(root, file);
                JsonNode c = read(file);
                List<Hash> want = proof(c.get("proof")).stream().map(Hash::of).toList();
                if (kind.equals("inclusion")) {
                    long size = uint64(c.get("treeSize"));
                    if (!builder.root(size).equals(Hash.of(base64(c.get("root"))))) {
                        failures.add(name + ": root of size " + size + " differs");
                    }
                    if (!builder.inclusion(uint64(c.get("leafIdx")), size).hashes().equals(want)) {
                        failures.add(name + ": proof differs");
                    }
                } else {
                    long size1 = uint64(c.get("size1"));
                    long size2 = uint64(c.get("size2"));
                    if (!builder.root(size1).equals(Hash.of(base64(c.get("root1"))))
                            || !builder.root(size2).equals(Hash.of(base64(c.get("root2"))))) {
                        failures.add(name + ": roots of sizes " + size1 + " and " + size2 + " differ");
                    }
                    if (!builder.consistency(size1, size2).hashes().equals(want)) {
                        failures.add(name + ": proof differs");
                    }
                }
            }
        }
        assertEquals(10, checked, "happy-path cases found");
        assertEquals(List.of(), failures);
    }
}
