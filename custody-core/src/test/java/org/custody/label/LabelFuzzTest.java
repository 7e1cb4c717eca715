package org.custody.label;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target of {@link Label#parse} (docs/fuzzing.md): any scanned text either parses into a label that prints back
 * as exactly that text, or is refused with {@link MalformedLabelException} (a {@link MalformedInputException}).
 * Seeds: the payloads and malformed payloads of {@code label/vectors.json}.
 */
class LabelFuzzTest {
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void parse(byte[] data) {
        String payload = new String(data, StandardCharsets.UTF_8);
        Label label;
        try {
            label = Label.parse(payload);
        } catch (MalformedInputException expected) {
            return;
        }
        assertEquals(payload, label.payload(), "a label parses only from the text it prints");
    }
}
