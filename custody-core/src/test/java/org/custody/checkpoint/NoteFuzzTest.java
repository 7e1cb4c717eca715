package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.failure.MalformedInputException;
import org.custody.failure.VerificationException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets of signed notes, checkpoints, cosignature lines and note keys (docs/fuzzing.md). A note is parsed
 * ({@link SignedNote#parse}), verified under the keys of {@code checkpoint/vectors.json} (which reads each signature
 * line, and each cosignature's timestamp), then its text read as a checkpoint and its signers counted: any bytes end
 * in a value, a {@link MalformedInputException} (the note, its lines or the checkpoint body are malformed) or a
 * {@link VerificationException} (well-formed but not vouched for). A verifier key ({@link NoteKey#parse}) parses
 * from the text it prints or is malformed. Seeds: the notes and keys of the vectors.
 */
class NoteFuzzTest {
    private static final List<NoteKey> KEYS = keys();

    private static List<NoteKey> keys() {
        try (InputStream in = NoteFuzzTest.class.getResourceAsStream("/checkpoint/vectors.json")) {
            JsonNode vectors = new ObjectMapper().readTree(in);
            List<NoteKey> keys = new ArrayList<>();
            for (JsonNode k : vectors.get("keys")) {
                keys.add(NoteKey.parse(k.get("vkey").textValue()));
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void verify(byte[] data) {
        try {
            VerifiedNote note = NoteVerifier.of(KEYS).verify(data);
            note.checkpoint();
            List<String> names = KEYS.stream().map(NoteKey::name).distinct().toList();
            note.requireSignatures(1, names);
            note.requireCosignatures(1, names, Instant.EPOCH);
        } catch (MalformedInputException | VerificationException expected) {
            // the typed outcomes
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void noteKey(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        NoteKey key;
        try {
            key = NoteKey.parse(text);
        } catch (MalformedInputException expected) {
            return;
        }
        assertEquals(text, key.toString(), "a key parses only from the text it prints");
    }
}
