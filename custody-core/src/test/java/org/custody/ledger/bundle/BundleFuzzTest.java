package org.custody.ledger.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.verify.LedgerVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target of {@link Bundle#verify} of a stream (docs/fuzzing.md), which copies the bundle to a temporary file and
 * verifies it from there: any bytes end either in an audit report (findings are the verifier's answer to a
 * well-formed bundle that does not hold) or in {@link MalformedBundleException} (a {@link MalformedInputException})
 * naming the line; and either way the temporary file is gone: nothing stays stored. Seeds:
 * {@code bundle/ledger.bundle} and its negatives.
 */
class BundleFuzzTest {
    private static Path workDir;

    @BeforeAll
    static void folder() throws IOException {
        workDir = Files.createTempDirectory("bundle-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        Files.deleteIfExists(workDir);
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void verify(byte[] data) throws IOException {
        try {
            Bundle.verify(new ByteArrayInputStream(data), workDir, LedgerVerifier.Options.defaults().withThreads(1), null);
        } catch (MalformedInputException expected) {
            // the typed failure
        }
        try (Stream<Path> left = Files.list(workDir)) {
            assertEquals(List.of(), left.toList(), "the temporary file was left behind");
        }
    }
}
