package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.crypto.Suite;
import org.custody.testing.Chains;
import org.custody.testing.Chains.Chain;

/**
 * Canonical bytes round-trip: decoding what was encoded gives the same value, and encoding it again gives
 * the same bytes, for every record and entry of generated chains (all record types, optional fields set
 * at random, text with escapes, Chinese and characters outside the BMP).
 */
class CanonicalRoundTripPropertiesTest {
    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 24);
    }

    @Provide
    Arbitrary<Chain> sm2Chains() {
        return Chains.chains(Suite.SM2_SM3, 6);
    }

    @Property(tries = 60)
    void decode_canonicalRecordBytes_reencodesToSameBytes(@ForAll("chains") Chain chain) {
        assertRecordsRoundTrip(chain);
    }

    @Property(tries = 60)
    void decode_canonicalEntryBytes_reencodesToSameBytes(@ForAll("chains") Chain chain) {
        assertEntriesRoundTrip(chain);
    }

    @Property(tries = 60)
    void create_composedEntryBytes_equalTheLibraryCanonicalisationOfTheEntryTree(@ForAll("chains") Chain chain) {
        assertComposedEqualsLibrary(chain);
    }

    @Property(tries = 3)
    void decode_sm2Chain_roundTrips(@ForAll("sm2Chains") Chain chain) {
        assertRecordsRoundTrip(chain);
        assertEntriesRoundTrip(chain);
        assertComposedEqualsLibrary(chain);
    }

    /** Entry.create composes the entry around the record's canonical bytes; the JCS library must agree byte for byte. */
    private static void assertComposedEqualsLibrary(Chain chain) {
        for (int i = 0; i < chain.size(); i++) {
            Entry entry = chain.entries().get(i);
            Instant appended = entry.appended().orElseThrow();
            byte[] library = Canonical.bytes(Entry.tree(entry.seq(), entry.prev(), entry.signed(), appended));
            assertArrayEquals(library, entry.canonicalBytes(), "entry " + i);
            Entry decoded = Entry.decode(library);
            assertArrayEquals(library, Entry.canonicalBytes(decoded.seq(), decoded.prev(), decoded.signed(),
                    decoded.appended().orElseThrow()), "entry " + i + " composed from its decoded parts");
            // an entry of format version 1, without an append time, is composed the same way
            byte[] version1 = Canonical.bytes(Entry.tree(entry.seq(), entry.prev(), entry.signed(), null));
            assertArrayEquals(version1, Entry.create(entry.seq(), entry.prev(), entry.signed()).canonicalBytes(), "entry " + i + " v1");
            assertEquals(java.util.Optional.empty(), Entry.decode(version1).appended(), "entry " + i + " v1 decoded");
        }
    }

    private static void assertRecordsRoundTrip(Chain chain) {
        for (SignedRecord signed : chain.records()) {
            Record record = signed.record();
            byte[] bytes = RecordCodec.canonicalBytes(record);
            Record decoded = RecordCodec.decode(bytes);
            assertArrayEquals(bytes, RecordCodec.canonicalBytes(decoded), record.type() + " " + record.id());
            assertEquals(record, decoded);
            assertArrayEquals(signed.signedBytes(), decoded.signedBytes(), "signed bytes of " + record.id());
        }
    }

    private static void assertEntriesRoundTrip(Chain chain) {
        for (int i = 0; i < chain.size(); i++) {
            Entry entry = chain.entries().get(i);
            byte[] bytes = entry.canonicalBytes();
            Entry decoded = Entry.decode(bytes);
            assertArrayEquals(bytes, decoded.canonicalBytes(), "entry " + i);
            assertEquals(entry.seq(), decoded.seq());
            assertEquals(entry.prev(), decoded.prev());
            assertEquals(entry.record(), decoded.record());
            assertEquals(entry.signatures(), decoded.signatures());
            assertArrayEquals(entry.signed().signedBytes(), decoded.signed().signedBytes(), "signed bytes of entry " + i);
            assertEquals(chain.hashes().get(i), decoded.hash(chain.suite().hash()));
            assertEquals(entry.appended(), decoded.appended());
            Entry recreated = Entry.create(decoded.seq(), decoded.prev(), decoded.signed(), decoded.appended().orElse(null));
            assertArrayEquals(bytes, recreated.canonicalBytes(), "entry " + i + " re-created from its decoded parts");
        }
    }
}
