package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.checkpoint.WitnessRefusedException;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Enrolment;
import org.custody.record.Registration;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;
import org.custody.testing.Cast;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signed checkpoints made, stored and cosigned by a ledger on a real SQLite file. */
public class LedgerCheckpointTest {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2021-06-02T00:00:00Z"), ZoneOffset.UTC);

    /** The enrolment of {@code key} as the ledger's checkpoint key, sponsored by P001. */
    public static SignedRecord enrolCheckpointKey(Suite suite, SigningKey key, String id) {
        Cast cast = Chains.cast(suite);
        Enrolment e = new Enrolment(RecordId.of(id), Cast.LEDGER, Cast.T0.plusSeconds(86_400),
                Person.of("LOG-" + id, "Checkpoint signer of " + Cast.LEDGER.value(), Role.CHECKPOINT_SIGNER),
                key.publicKey(), PersonId.of("P001"));
        return SignedRecord.unsigned(e).signedBy(cast.key("P001")).signedBy(key);
    }

    /** {@code count} registrations of new bags, which link to no earlier entry, so they can be appended anywhere. */
    public static List<SignedRecord> registrations(Suite suite, String prefix, int count) {
        Cast cast = Chains.cast(suite);
        List<SignedRecord> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            BagId bag = BagId.of(prefix + "." + i);
            out.add(cast.sign(new Registration(RecordId.of(prefix + "-reg-" + i), Cast.LEDGER, Cast.T0.plusSeconds(100_000 + i),
                    List.of(Bag.papers(bag, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30,
                            Secrecy.CONFIDENTIAL)), List.of(PersonId.of("P001"), PersonId.of("P003")))));
        }
        return out;
    }

    /** A ledger of {@code n} entries after the genesis, then the checkpoint key's enrolment. */
    static Ledger ledgerWithCheckpointKey(Path file, Suite suite, SigningKey key, int n) {
        Chains.Chain chain = Chains.build(suite, LedgerTreeTest.ops(n));
        Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK);
        ledger.appendAll(chain.afterGenesis());
        ledger.append(enrolCheckpointKey(suite, key, "enrol-log-1"));
        return ledger;
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void signCheckpoint_byTheEnrolledKey_isStoredAndVerifiesWithTheLedgersKeys(Suite suite) {
        SigningKey logKey = SigningKey.generate(suite.signature());
        try (Scratch scratch = new Scratch(); Ledger ledger = ledgerWithCheckpointKey(scratch.file("l.db"), suite, logKey, 12)) {
            long size = ledger.head().size();
            SignedNote note = ledger.signCheckpoint(logKey);
            List<NoteKey> keys = ledger.checkpointKeys(size);
            assertEquals(1, keys.size());
            assertEquals(suite == Suite.SM2_SM3 ? NoteKeyType.SM2 : NoteKeyType.ED25519, keys.get(0).type());
            Checkpoint cp = NoteVerifier.of(keys).verify(note.bytes()).requireSignatures(1, List.of(ledger.origin())).checkpoint();
            assertEquals(Checkpoint.of("custody/ledger/HN-ZSB-2021", size, ledger.root(size)), cp);
            assertEquals(note, ledger.checkpoint(size).orElseThrow());
            assertEquals(note, ledger.latestCheckpoint().orElseThrow());
            assertEquals(note, ledger.signCheckpoint(logKey), "the same size gives the stored checkpoint");
            assertTrue(ledger.checkpointKeys(size - 1).isEmpty(), "the key signs only trees that contain its enrolment");
        }
    }

    @Test
    void signCheckpoint_byAPersonsKey_orARevokedKey_isRefused_andNothingStored() {
        SigningKey logKey = SigningKey.generate(Suite.ED25519_SHA256.signature());
        try (Scratch scratch = new Scratch();
             Ledger ledger = ledgerWithCheckpointKey(scratch.file("l.db"), Suite.ED25519_SHA256, logKey, 5)) {
            Cast cast = Chains.cast(Suite.ED25519_SHA256);
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> ledger.signCheckpoint(cast.key("P001")));
            assertTrue(e.getMessage().contains("checkpoint_signer"), e.getMessage());
            assertTrue(ledger.latestCheckpoint().isEmpty());

            ledger.signCheckpoint(logKey);
            Revocation revoke = new Revocation(RecordId.of("revoke-log"), Cast.LEDGER, Cast.T0.plusSeconds(90_000),
                    logKey.id(), Cast.T0.plusSeconds(90_000), "key rotated", List.of(PersonId.of("P001"), PersonId.of("P002")));
            ledger.append(cast.sign(revoke));
            assertThrows(MalformedInputException.class, () -> ledger.signCheckpoint(logKey));
            assertEquals(ledger.head().size() - 1, Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text()).size());
        }
    }

    @Test
    void witnesses_cosignAsTheLedgerGrows_andAVerifierRequiresTwoNamedInspectors() throws Exception {
        Suite suite = Suite.ED25519_SHA256;
        SigningKey logKey = SigningKey.generate(suite.signature());
        try (Scratch scratch = new Scratch(); Ledger ledger = ledgerWithCheckpointKey(scratch.file("l.db"), suite, logKey, 10)) {
            List<NoteKey> logKeys = ledger.checkpointKeys(ledger.head().size());
            SigningKey k1 = SigningKey.generate(suite.signature());
            SigningKey k2 = SigningKey.generate(suite.signature());
            try (Witness w1 = Witness.create(scratch.file("w1.state"), "inspector.example/P003", k1, logKeys, CLOCK);
                 Witness w2 = Witness.create(scratch.file("w2.state"), "inspector.example/P007", k2, logKeys, CLOCK)) {
                long firstSize = ledger.head().size();
                ledger.signCheckpoint(logKey);
                ledger.cosignLatest(w1);
                // the ledger grows: the next cosignature needs a consistency proof from what w1 cosigned
                ledger.appendAll(registrations(suite, "LATER", 15));
                ledger.signCheckpoint(logKey);
                ledger.cosignLatest(w1);
                SignedNote both = ledger.cosignLatest(w2);

                List<NoteKey> trusted = new java.util.ArrayList<>(logKeys);
                trusted.add(w1.key());
                trusted.add(w2.key());
                Checkpoint cp = NoteVerifier.of(trusted).verify(both.bytes())
                        .requireSignatures(1, List.of(ledger.origin()))
                        .requireCosignatures(2, List.of(w1.key().name(), w2.key().name()), CLOCK.instant())
                        .checkpoint();
                assertEquals(ledger.head().size(), cp.size());
                assertEquals(both, ledger.latestCheckpoint().orElseThrow());

                SignedNote onlyOne = ledger.checkpoint(cp.size()).orElseThrow();
                SignedNote firstOnly = SignedNote.parse(ledger.checkpoint(firstSize).orElseThrow().bytes());
                NoteVerificationException e = assertThrows(NoteVerificationException.class, () -> NoteVerifier.of(trusted)
                        .verify(firstOnly).requireCosignatures(2, List.of(w1.key().name(), w2.key().name()), CLOCK.instant()));
                assertEquals(NoteVerificationException.Reason.TOO_FEW_SIGNATURES, e.reason());
                assertFalse(onlyOne.signatures().isEmpty());
            }
        }
    }

    @Test
    void witness_refusesAForkedLedger_thatRewroteHistory_I09() throws Exception {
        Suite suite = Suite.ED25519_SHA256;
        SigningKey logKey = SigningKey.generate(suite.signature());
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            try (Ledger ledger = ledgerWithCheckpointKey(file, suite, logKey, 10)) {
                ledger.signCheckpoint(logKey);
            }
            Path fork = scratch.file("fork.db");
            Files.copy(file, fork);
            SigningKey k1 = SigningKey.generate(suite.signature());
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK); Ledger forked = Ledger.open(fork, Chains.CLOCK);
                 Witness w = Witness.create(scratch.file("w.state"), "inspector.example/P003", k1,
                         ledger.checkpointKeys(ledger.head().size()), CLOCK)) {
                ledger.cosignLatest(w);
                ledger.appendAll(registrations(suite, "MAIN", 4));
                ledger.signCheckpoint(logKey);
                ledger.cosignLatest(w);
                // the fork appends other entries to the same size: a split view
                forked.appendAll(registrations(suite, "FORK", 3));
                forked.append(enrolCheckpointKey(suite, SigningKey.generate(suite.signature()), "enrol-log-2"));
                forked.signCheckpoint(logKey);
                WitnessRefusedException e = assertThrows(WitnessRefusedException.class, () -> forked.cosignLatest(w));
                assertEquals(FindingCode.I09, e.code());
                assertEquals(WitnessRefusedException.Reason.DIVERGENCE, e.reason());
            }
        }
    }

    @Test
    void addCosignature_withAForgedLine_isRefused_andNothingStored() {
        Suite suite = Suite.ED25519_SHA256;
        SigningKey logKey = SigningKey.generate(suite.signature());
        try (Scratch scratch = new Scratch(); Ledger ledger = ledgerWithCheckpointKey(scratch.file("l.db"), suite, logKey, 3)) {
            SignedNote note = ledger.signCheckpoint(logKey);
            SigningKey inspector = SigningKey.generate(suite.signature());
            NoteKey claimed = NoteKey.of("inspector.example/P003", NoteKeyType.COSIGNATURE_ED25519, inspector.publicKey());
            // a line under the inspector's name and key id, but signed by someone else's key
            SigningKey other = SigningKey.generate(suite.signature());
            try (Witness w = Witness.create(scratch.file("w.state"), "inspector.example/P003", other,
                    ledger.checkpointKeys(ledger.head().size()), CLOCK)) {
                SignedNote forged = w.cosign(note.bytes(), null);
                assertThrows(NoteVerificationException.class, () -> ledger.addCosignature(forged, claimed));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertEquals(note, ledger.latestCheckpoint().orElseThrow());
        }
    }

    @Test
    void checkpointer_keepsCheckpointingWhileEntriesAreAppended() throws Exception {
        Suite suite = Suite.ED25519_SHA256;
        SigningKey logKey = SigningKey.generate(suite.signature());
        try (Scratch scratch = new Scratch(); Ledger ledger = ledgerWithCheckpointKey(scratch.file("l.db"), suite, logKey, 5)) {
            List<SignedNote> made = new CopyOnWriteArrayList<>();
            List<RuntimeException> errors = new CopyOnWriteArrayList<>();
            Checkpointer checkpointer = Checkpointer.start(ledger, logKey, Duration.ofMillis(20), made::add, errors::add);
            try {
                for (SignedRecord r : registrations(suite, "LOAD", 55)) {
                    ledger.append(r);
                }
                long want = ledger.head().size();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (ledger.latestCheckpoint().map(n -> Checkpoint.parse(n.text()).size()).orElse(0L) < want
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            } finally {
                checkpointer.close();
            }
            assertEquals(List.of(), errors);
            assertFalse(made.isEmpty());
            assertEquals(ledger.head().size(), Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text()).size());
            long previous = 0;
            for (SignedNote n : made) {
                long size = Checkpoint.parse(n.text()).size();
                assertTrue(size > previous, "checkpoints only grow");
                assertEquals(ledger.root(size), Checkpoint.parse(n.text()).root());
                previous = size;
            }
        }
    }
}
