package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target of {@link Entry#decode} (docs/fuzzing.md), the decoder every stored and exported entry goes through: any
 * bytes either decode into an entry whose canonical bytes are exactly those bytes, or are refused with
 * {@link MalformedRecordException} (a {@link MalformedInputException}). Signatures are not checked here (that is the
 * verifier's work). Seeds: the entries of the golden ledgers and the refused entries of {@code golden/negative.json}.
 */
class EntryFuzzTest {
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void decode(byte[] data) {
        Entry entry;
        try {
            entry = Entry.decode(data);
        } catch (MalformedInputException expected) {
            return;
        }
        assertArrayEquals(data, entry.canonicalBytes(), "decoded from a non-canonical spelling");
    }
}
