package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fold of enrolments, rotations and revocations: the directory kept after each append equals one read afresh. */
class KeyDirectoryTest {
    private static final Instant T1 = Cast.T0.plus(Duration.ofHours(1));
    private static final Instant T2 = Cast.T0.plus(Duration.ofHours(2));
    private static final Instant T3 = Cast.T0.plus(Duration.ofHours(3));

    @TempDir
    Path dir;

    private final Cast cast = new Cast(Suite.ED25519_SHA256, 21);

    private static PersonId p(String id) {
        return PersonId.of(id);
    }

    @Test
    void directory_keptAfterEachAppend_equalsTheOneReadAfresh_andTheVerifiersFold() {
        Path file = dir.resolve("ledger.db");
        SigningKey rotated = SigningKey.generate(cast.algorithm(), Cast.seeded(7));
        Person newcomer = Person.of("P100", "新人", Role.INVIGILATOR);
        SigningKey newcomerKey = SigningKey.generate(cast.algorithm(), Cast.seeded(8));
        KeyDirectory kept;
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            assertEquals(6, ledger.directory().people().size(), "the founders, read on first use");
            ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-new"), Cast.LEDGER, T1, newcomer,
                    newcomerKey.publicKey(), p("P001"))).signedBy(cast.key("P001")).signedBy(newcomerKey));
            // a rotation: P003 enrols a second key, then the first is revoked, then revoked again later (no change)
            Person inspector = cast.person("P003");
            ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("rotate"), Cast.LEDGER, T2, inspector,
                    rotated.publicKey(), p("P001"))).signedBy(cast.key("P001")).signedBy(rotated));
            ledger.append(cast.sign(new Revocation(RecordId.of("revoke"), Cast.LEDGER, T2, cast.key("P003").id(), T2,
                    "rotated", List.of(p("P001"), p("P002")))));
            ledger.append(cast.sign(new Revocation(RecordId.of("revoke-again"), Cast.LEDGER, T3, cast.key("P003").id(), T1,
                    "rotated, said twice", List.of(p("P001"), p("P002")))));
            kept = ledger.directory();
            assertEquals(ledger.head().size(), kept.size());
        }
        try (Ledger reopened = Ledger.open(file)) {
            KeyDirectory afresh = reopened.directory();
            assertEquals(kept.keys(), afresh.keys());
            assertEquals(kept.people(), afresh.people());
            // the first revocation's time stands; the first key no longer signs, the rotated one does
            assertEquals(T2, afresh.key(cast.key("P003").id()).orElseThrow().revokedFrom());
            assertFalse(afresh.maySign(cast.key("P003").id(), afresh.size(), T1));
            assertTrue(afresh.maySign(rotated.id(), afresh.size(), T3));
            assertEquals(List.of(cast.key("P003").id(), rotated.id()),
                    afresh.keysOf(p("P003")).stream().map(EnrolledKey::id).toList());
            assertEquals(newcomer, afresh.person(p("P100")).orElseThrow());
            // the gate and the verifier fold the same way: the stored key rows agree with the entries (no I11)
            assertTrue(reopened.verify().intact(), reopened.verify().summary());
        }
    }
}
