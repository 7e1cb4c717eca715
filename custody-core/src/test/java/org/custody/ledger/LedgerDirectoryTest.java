package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's directory reads: enrolled keys, people with their latest details, registered bags. */
class LedgerDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void keysPeopleAndBags_reflectEnrolmentsRotationsAndRegistrations() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 7);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            assertEquals(6, ledger.keys().size());
            assertEquals(cast.ids(), List.copyOf(ledger.people().keySet()));
            assertEquals(List.of(), ledger.bags());

            // P006 rotates: a new key with new details (a recusal), then the old key is revoked
            SigningKey fresh = SigningKey.generate(cast.algorithm(), Cast.seeded(99));
            Person updated = new Person(PersonId.of("P006"), "李娜", Set.of(Role.INVIGILATOR), "K01", null,
                    List.of(new Recusal("HN-ZSB-2021", "亲属参加考试")));
            SignedRecord enrol = SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-2"), Cast.LEDGER,
                    Cast.T0.plusSeconds(10), updated, fresh.publicKey(), PersonId.of("P001"))).signedBy(cast.key("P001")).signedBy(fresh);
            SignedRecord revoke = SignedRecord.unsigned(new Revocation(RecordId.of("revoke-1"), Cast.LEDGER,
                    Cast.T0.plusSeconds(20), cast.key("P006").id(), Cast.T0.plusSeconds(20), "rotated",
                    List.of(PersonId.of("P001")))).signedBy(cast.key("P001"));
            ledger.appendAll(List.of(enrol, revoke));
            ledger.append(cast.sign(LedgerTest.register(cast)));

            List<EnrolledKey> keys = ledger.keys();
            assertEquals(7, keys.size());
            EnrolledKey old = keys.stream().filter(k -> k.id().equals(cast.key("P006").id())).findFirst().orElseThrow();
            assertEquals(Cast.T0.plusSeconds(20), old.revoked().orElseThrow());
            EnrolledKey last = keys.get(6);
            assertEquals(fresh.id(), last.id());
            assertEquals(PersonId.of("P006"), last.person());
            assertEquals(1, last.enrolledSeq());
            assertTrue(last.revoked().isEmpty());

            Person p6 = ledger.people().get(PersonId.of("P006"));
            assertEquals("K01", p6.site());
            assertTrue(p6.recusedFrom("HN-ZSB-2021"));
            assertEquals(6, ledger.people().size());

            List<Bag> bags = ledger.bags();
            assertEquals(List.of(BagId.of("K01.01.S1.ENG.A")), bags.stream().map(Bag::id).toList());
            assertEquals(BagKind.QUESTION_PAPER, bags.get(0).kind());
        }
    }
}
