package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets of the record decoders (docs/fuzzing.md): any bytes either decode into a record whose canonical bytes
 * are exactly those bytes (decoding is strict: no second spelling of a record), or are refused with
 * {@link MalformedRecordException} (a {@link MalformedInputException}). Seeds: every record of the golden ledgers.
 */
class RecordFuzzTest {
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void decode(byte[] data) {
        Record record;
        try {
            record = RecordCodec.decode(data);
        } catch (MalformedInputException expected) {
            return;
        }
        assertArrayEquals(data, RecordCodec.canonicalBytes(record), "decoded from a non-canonical spelling");
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void decodeUnsigned(byte[] data) {
        SignedRecord signed;
        try {
            signed = SignedRecord.decodeUnsigned(data);
        } catch (MalformedInputException expected) {
            return;
        }
        assertArrayEquals(data, RecordCodec.canonicalBytes(signed.record()), "decoded from a non-canonical spelling");
    }
}
