package org.custody.crypto;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.custody.failure.MalformedInputException;
import org.custody.files.OwnerOnly;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target of {@link KeyFiles#read} (docs/fuzzing.md): any bytes in an owner-only ({@code 0600}) key file either
 * unlock into a key or are refused with {@link KeyFileException} (a {@link MalformedInputException}): not PEM, not an
 * encrypted private key, weaker than formats.md §9, a wrong passphrase or damaged content, no usable key. The
 * passphrase is that of the seed {@code ed25519-P001.key}, so the other seeds end in a refusal. Slow by nature: an
 * input that gets as far as the key derivation costs 100,000 or more PBKDF2 iterations. Seeds: the key files of
 * {@code keyfile/}.
 */
class KeyFileFuzzTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    private static Path dir;

    @BeforeAll
    static void folder() throws IOException {
        dir = Files.createTempDirectory("key-file-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        Files.deleteIfExists(dir.resolve("fuzz.key"));
        Files.deleteIfExists(dir);
    }

    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws IOException {
        Path file = dir.resolve("fuzz.key");
        Files.deleteIfExists(file);
        OwnerOnly.write(file, data);
        try {
            KeyFiles.read(file, PASSPHRASE);
        } catch (MalformedInputException expected) {
            // the typed failure
        }
    }
}
