package org.custody.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.TreeHasher;
import org.custody.model.LedgerId;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * The committed receipt vectors ({@code src/test/resources/receipt/vectors.json}, written by {@code crosscheck.py}, a
 * second implementation from docs/formats.md §13) against the Java code: every payload reads back to its fields and is
 * written the same, its checkpoint root is the tree root of the golden ledger's entries, and every malformed payload is
 * refused. Each test collects every failing case before asserting.
 */
class ReceiptGoldenVectorsTest {
    static final String RESOURCE = "/receipt/vectors.json";
    /** Defects that must keep a malformed vector (the list may grow, never shrink). */
    private static final List<String> REQUIRED_MALFORMED = List.of("empty", "check-does-not-match", "one-hash-digit-changed",
            "check-missing", "trailing-line-end", "bag-label-not-receipt", "other-version", "entry-hash-in-lower-case",
            "seq-leading-zero", "checkpoint-size-without-root", "checkpoint-not-after-entry", "field-missing", "field-extra");

    static JsonNode vectors() {
        try (InputStream in = ReceiptGoldenVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertTrue(in != null, RESOURCE + " is not on the test classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void receipts_readAndWriteAsTheVectorsSay() {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode v : vectors().get("receipts")) {
            n++;
            String payload = v.get("payload").asText();
            long size = v.get("checkpointSize").asLong();
            Receipt expected = new Receipt(LedgerId.of(v.get("ledger").asText()), v.get("seq").asLong(),
                    Hash.fromHex(v.get("entryHash").asText()), size,
                    size == 0 ? null : Hash.fromHex(v.get("checkpointRoot").asText()));
            try {
                Receipt read = Receipt.parse(payload);
                if (!read.equals(expected)) failures.add(payload + ": read as " + read + ", expected " + expected);
            } catch (MalformedInputException e) {
                failures.add(payload + ": refused: " + e.getMessage());
            }
            if (!expected.payload().equals(payload)) failures.add(expected + ": written as " + expected.payload() + ", expected " + payload);
        }
        assertEquals(4, n, "two receipts for each golden ledger");
        assertEquals(List.of(), failures);
    }

    @Test
    void checkpointRoots_areTheGoldenLedgersTreeRoots() {
        List<String> failures = new ArrayList<>();
        for (JsonNode v : vectors().get("receipts")) {
            long size = v.get("checkpointSize").asLong();
            if (size == 0) continue;
            String file = v.get("ledgerFile").asText().substring("golden/".length());
            JsonNode ledger = Golden.load(file);
            HashAlgorithm alg = v.get("hash").asText().equals("sm3") ? HashAlgorithm.SM3 : HashAlgorithm.SHA_256;
            TreeHasher hasher = TreeHasher.of(alg);
            MemoryTree tree = MemoryTree.create(alg);
            for (JsonNode e : ledger.get("entries")) {
                tree.append(hasher.leafHash(e.get("entry").asText().getBytes(StandardCharsets.UTF_8)));
            }
            if (tree.size() != size) failures.add(file + ": " + tree.size() + " entries, vector says " + size);
            if (!tree.root().hex().equals(v.get("checkpointRoot").asText())) {
                failures.add(file + ": root " + tree.root().hex() + ", vector says " + v.get("checkpointRoot").asText());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void malformed_areAllRefused() {
        List<String> failures = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode v : vectors().get("malformed")) {
            names.add(v.get("name").asText());
            try {
                Receipt r = Receipt.parse(v.get("payload").asText());
                failures.add(v.get("name").asText() + ": read as " + r);
            } catch (MalformedInputException e) {
                if (!e.getMessage().startsWith("receipt payload")) failures.add(v.get("name").asText() + ": " + e.getMessage());
            }
        }
        REQUIRED_MALFORMED.stream().filter(d -> !names.contains(d)).forEach(d -> failures.add("no vector for " + d));
        assertEquals(List.of(), failures);
    }
}
