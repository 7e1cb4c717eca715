package org.custody.ledger.bundle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.custody.checkpoint.NoteKey;
import org.custody.failure.MalformedInputException;
import org.custody.failure.VerificationException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target of {@link Evidence#verify} (docs/fuzzing.md): any bytes end in a report (with integrity findings when
 * the entries do not hold), a {@link MalformedBundleException} naming the line or another
 * {@link MalformedInputException} (the evidence, or the note inside it, is malformed), or a
 * {@link VerificationException} (the checkpoint is not vouched for by the trusted keys with one cosignature). Evidence
 * is verified in memory: nothing is stored. Seed: {@code bundle/bag-evidence.txt}, trusting
 * {@code bundle/bag-evidence-keys.txt}.
 */
class EvidenceFuzzTest {
    private static final List<NoteKey> TRUSTED = trusted();

    private static List<NoteKey> trusted() {
        try (InputStream in = EvidenceFuzzTest.class.getResourceAsStream("/bundle/bag-evidence-keys.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(NoteKey::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void verify(byte[] data) {
        try {
            Evidence.verify(new ByteArrayInputStream(data), TRUSTED, 1);
        } catch (MalformedInputException | VerificationException expected) {
            // the typed outcomes
        }
    }
}
