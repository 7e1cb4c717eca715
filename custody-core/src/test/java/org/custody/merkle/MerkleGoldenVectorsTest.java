package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Re-checks the committed Merkle vectors ({@code src/test/resources/merkle/}): leaves, roots and valid proofs against
 * the naive RFC 6962 reference, every case against the verifier, and the files against the generator. Each test
 * lists every failing case before it fails.
 */
class MerkleGoldenVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] raw(String name) {
        try (InputStream in = MerkleGoldenVectorsTest.class.getResourceAsStream(MerkleVectorsGenerator.FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("vector file " + MerkleVectorsGenerator.FOLDER + name + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode load(HashAlgorithm algorithm) {
        try {
            return Golden.json().readTree(raw(MerkleVectorsGenerator.file(algorithm)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(HEX.parseHex(h.asText())));
        return out;
    }

    private static byte[] bytes(JsonNode c, String field) {
        return HEX.parseHex(c.get(field).asText());
    }

    private static List<byte[]> leafData(JsonNode file) {
        List<byte[]> out = new ArrayList<>();
        file.get("leaves").forEach(l -> out.add(bytes(l, "data")));
        return out;
    }

    /** Runs one case's verification; returns null if it agrees with the case, else what went wrong. */
    private static String outcome(JsonNode c, Runnable verification) {
        boolean valid = c.get("valid").asBoolean();
        try {
            verification.run();
            return valid ? null : "verified, must be refused as " + c.get("reason").asText();
        } catch (MerkleProofException e) {
            if (valid) {
                return "refused, must verify: " + e.getMessage();
            }
            return e.reason().name().equals(c.get("reason").asText()) ? null
                    : "refused as " + e.reason() + ", expected " + c.get("reason").asText() + ": " + e.getMessage();
        }
    }

    @Test
    void generate_now_writesTheCommittedFilesByteForByte() {
        for (Map.Entry<String, JsonNode> file : MerkleVectorsGenerator.generate().entrySet()) {
            assertEquals(new String(raw(file.getKey()), StandardCharsets.UTF_8),
                    new String(Golden.render(file.getValue()), StandardCharsets.UTF_8),
                    file.getKey() + " differs from what the generator writes now: a format change? (see the README)");
        }
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void leavesAndRoots_committed_equalReference(HashAlgorithm algorithm) {
        JsonNode file = load(algorithm);
        ReferenceMerkle reference = new ReferenceMerkle(algorithm);
        List<byte[]> data = leafData(file);
        List<String> failures = new ArrayList<>();
        assertEquals(algorithm.wire(), file.get("hash").asText());
        assertEquals(MerkleVectorsGenerator.LEAVES, data.size());
        for (int i = 0; i < data.size(); i++) {
            if (!reference.mth(data.subList(i, i + 1)).hex().equals(file.get("leaves").get(i).get("leafHash").asText())) {
                failures.add("leaf hash " + i);
            }
        }
        JsonNode roots = file.get("roots");
        assertEquals(data.size() + 1, roots.size());
        for (int n = 0; n < roots.size(); n++) {
            if (!reference.mth(data.subList(0, n)).hex().equals(roots.get(n).asText())) {
                failures.add("root of size " + n);
            }
        }
        assertEquals(List.of(), failures);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void inclusionCases_committed_verifyOrAreRefusedForTheirReason(HashAlgorithm algorithm) {
        JsonNode file = load(algorithm);
        ReferenceMerkle reference = new ReferenceMerkle(algorithm);
        List<byte[]> data = leafData(file);
        ProofVerifier verifier = ProofVerifier.of(algorithm);
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (JsonNode c : file.get("inclusion")) {
            String name = c.get("name").asText();
            long index = c.get("leafIndex").asLong();
            long size = c.get("treeSize").asLong();
            List<byte[]> proof = hashes(c.get("proof"));
            String wrong = outcome(c, () -> verifier.verifyInclusion(index, size, bytes(c, "leafHash"), proof, bytes(c, "root")));
            if (wrong != null) {
                failures.add(name + ": " + wrong);
            }
            if (c.get("valid").asBoolean()) {
                List<byte[]> tree = data.subList(0, (int) size);
                if (!proof.stream().map(Hash::of).toList().equals(reference.path((int) index, tree))) {
                    failures.add(name + ": proof is not PATH(" + index + ", D[" + size + "])");
                }
            } else {
                refused++;
            }
        }
        assertTrue(refused >= 30, "only " + refused + " negative inclusion cases");
        assertEquals(List.of(), failures, failures.size() + " inclusion cases failed");
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void consistencyCases_committed_verifyOrAreRefusedForTheirReason(HashAlgorithm algorithm) {
        JsonNode file = load(algorithm);
        ReferenceMerkle reference = new ReferenceMerkle(algorithm);
        List<byte[]> data = leafData(file);
        ProofVerifier verifier = ProofVerifier.of(algorithm);
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (JsonNode c : file.get("consistency")) {
            String name = c.get("name").asText();
            long size1 = c.get("size1").asLong();
            long size2 = c.get("size2").asLong();
            List<byte[]> proof = hashes(c.get("proof"));
            String wrong = outcome(c, () -> verifier.verifyConsistency(size1, size2, bytes(c, "root1"), bytes(c, "root2"), proof));
            if (wrong != null) {
                failures.add(name + ": " + wrong);
            }
            if (c.get("valid").asBoolean()) {
                List<byte[]> tree = data.subList(0, (int) size2);
                if (!proof.stream().map(Hash::of).toList().equals(reference.proof((int) size1, tree))) {
                    failures.add(name + ": proof is not PROOF(" + size1 + ", D[" + size2 + "])");
                }
            } else {
                refused++;
            }
        }
        assertTrue(refused >= 30, "only " + refused + " negative consistency cases");
        assertEquals(List.of(), failures, failures.size() + " consistency cases failed");
    }
}
