package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.custody.crypto.TestKeys;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-checks the committed checkpoint vectors ({@code src/test/resources/checkpoint/}): the file against the generator,
 * the keys against their private keys, and every case against Custody's code. Each test lists every failing case.
 */
class CheckpointGoldenVectorsTest {
    private static byte[] raw() {
        String name = CheckpointVectorsGenerator.FOLDER + CheckpointVectorsGenerator.FILE;
        try (InputStream in = CheckpointGoldenVectorsTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("vector file " + name + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode load() {
        try {
            return Golden.json().readTree(raw());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void generate_now_writesTheCommittedFileByteForByte() {
        assertEquals(new String(raw(), StandardCharsets.UTF_8),
                new String(Golden.render(CheckpointVectorsGenerator.generate()), StandardCharsets.UTF_8),
                "vectors.json differs from what the generator writes now: a format change? (see the README)");
    }

    @Test
    void keys_committed_matchTheirPrivateKeys() {
        List<String> failures = new ArrayList<>();
        for (JsonNode k : load().get("keys")) {
            NoteKey key = NoteKey.parse(k.get("vkey").asText());
            var pub = TestKeys.fromPrivate(key.type().algorithm(), HexFormat.of().parseHex(k.get("private").asText())).publicKey();
            if (!key.publicKey().equals(pub) || !key.name().equals(k.get("name").asText())
                    || !CheckpointVectors.typeName(key.type()).equals(k.get("type").asText())) {
                failures.add(k.get("name").asText());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void cases_committed_areAcceptedOrRefusedAsTheySay(@TempDir Path dir) {
        JsonNode cases = load().get("cases");
        List<String> failures = new ArrayList<>();
        int refused = 0;
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            String problem = CheckpointVectors.mismatch(c, dir.resolve(name));
            if (problem != null) {
                failures.add(name + ": " + problem);
            }
            refused += c.get("valid").asBoolean() ? 0 : 1;
        }
        assertEquals(List.of(), failures);
        assertTrue(refused >= 20, "only " + refused + " negative cases");
    }
}
