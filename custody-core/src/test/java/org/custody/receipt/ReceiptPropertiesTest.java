package org.custody.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.record.Entry;

/** Receipt payloads read back to what was written, and any change of one byte is refused when read. */
class ReceiptPropertiesTest {
    @Provide
    Arbitrary<Receipt> receipts() {
        Arbitrary<String> ids = Combinators.combine(Arbitraries.chars().range('A', 'Z').range('a', 'z').range('0', '9'),
                Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').withCharRange('0', '9')
                        .withChars('.', '_', ':', '-').ofMaxLength(63)).as((f, r) -> f + r);
        Arbitrary<Long> seqs = Arbitraries.oneOf(Arbitraries.longs().between(0, 1000), Arbitraries.longs().between(0, Entry.MAX_SEQ));
        Arbitrary<Hash> hashes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(HashAlgorithm.SHA_256::digest);
        Arbitrary<Long> extra = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1 << 20));
        return Combinators.combine(ids, seqs, hashes, extra, hashes).as((id, seq, entry, more, root) -> {
            long size = more == 0 || seq + more > Entry.MAX_SEQ + 1 ? 0 : seq + more;
            return new Receipt(LedgerId.of(id), seq, entry, size, size == 0 ? null : root);
        });
    }

    @Property(tries = 500)
    void parse_ofAnyReceipt_roundTrips(@ForAll("receipts") Receipt r) {
        assertEquals(r, Receipt.parse(r.payload()));
        assertEquals(r.payload(), Receipt.parse(r.payload()).payload());
    }

    @Property(tries = 2000)
    void parse_anyChangeOfOneByte_isRefused(@ForAll("receipts") Receipt r, @ForAll @IntRange(min = 0, max = 400) int at,
                                            @ForAll @IntRange(min = 1, max = 255) int delta) {
        byte[] bytes = r.payload().getBytes(StandardCharsets.US_ASCII);
        int i = at % bytes.length;
        bytes[i] = (byte) (bytes[i] + delta); // never the same byte: delta is 1-255
        String changed = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThrows(MalformedInputException.class, () -> Receipt.parse(changed), changed);
    }

    @Property(tries = 200)
    void parse_droppingOrAddingOneByte_isRefused(@ForAll("receipts") Receipt r, @ForAll @IntRange(min = 0, max = 400) int at,
                                                 @ForAll @LongRange(min = 0x21, max = 0x7e) long c) {
        String p = r.payload();
        int i = at % p.length();
        assertThrows(MalformedInputException.class, () -> Receipt.parse(p.substring(0, i) + p.substring(i + 1)));
        assertThrows(MalformedInputException.class, () -> Receipt.parse(p.substring(0, i) + (char) c + p.substring(i)));
    }
}
