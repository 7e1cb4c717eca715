package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.testing.Cast;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EntryTest {
    static final BagId BAG = BagId.of("K01.01.S1.ENG.A");

    static List<SignedRecord> records(Cast cast) {
        Instant at = Cast.T0.plusSeconds(60);
        Registration registration = new Registration(RecordId.of("reg-1"), Cast.LEDGER, at,
                List.of(Bag.papers(BAG, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30,
                        Secrecy.CONFIDENTIAL)), List.of(PersonId.of("P001"), PersonId.of("P003")));
        // a note with quotes, escapes, non-ASCII text and the entry's own member names, to trip naive slicing
        Handoff handoff = Handoff.builder(Step.VAULT_IN).id(RecordId.of("h-1")).ledger(Cast.LEDGER).at(at.plusMillis(1))
                .from(PersonId.of("P001")).to(PersonId.of("P002")).witnesses(List.of(PersonId.of("P003"))).place(Place.of("VAULT-1", "省考试院保密室"))
                .bags(List.of(BagMove.of(BAG, Hash.ZERO).count(30).seal("FT-1", SealState.INTACT)))
                .note("封条完好 \"ok\",\"seq\":1,\"signatures\":[] \\ \u00e9\ud83d\udce6 tab\tend").build();
        return List.of(cast.genesis(), cast.sign(registration), cast.sign(handoff));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void decode_recordBytes_areTheRecordsCanonicalBytes(Suite suite) {
        Cast cast = new Cast(suite, 7);
        long seq = 0;
        Hash prev = Hash.ZERO;
        for (SignedRecord signed : records(cast)) {
            Entry entry = Entry.create(seq, prev, signed);
            Entry decoded = Entry.decode(entry.canonicalBytes());
            assertArrayEquals(signed.canonicalRecord(), decoded.signed().canonicalRecord(), signed.toString());
            assertArrayEquals(RecordCodec.canonicalBytes(decoded.record()), decoded.signed().canonicalRecord());
            assertArrayEquals(signed.signedBytes(), decoded.signed().signedBytes());
            assertEquals(signed.signatures(), decoded.signatures());
            prev = entry.hash(suite.hash());
            seq++;
        }
    }
}
