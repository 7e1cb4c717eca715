package org.custody.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custody.audit.FindingCode;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Registration;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Labels issued from and checked against real SQLite ledgers: registration, printing, sealing, resealing. */
class LabelCheckTest {
    static final BagId A = BagId.of("K01.01.S1.ENG.A");
    static final BagId B = BagId.of("K01.01.S1.ENG.B");
    static final BagId ANSWERS = BagId.of("K01.01.S1.ENG.ANS");
    static final BagId BOX = BagId.of("BOX-07");

    @TempDir
    Path dir;

    /** A ledger with four bags registered at entry 1, A and B printed at 2 and sealed at 3. */
    private Ledger sealedLedger(Suite suite) {
        Cast cast = new Cast(suite, 7);
        Ledger ledger = Ledger.create(dir.resolve(suite.wire() + ".db"), cast.genesis());
        ledger.append(cast.sign(new Registration(RecordId.of("reg"), Cast.LEDGER, Cast.T0.plusSeconds(60), List.of(
                Bag.papers(A, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(B, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "B", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(ANSWERS, BagKind.ANSWER_SHEET, "HN-ZSB-2021", "K01", "01", "S1", "ENG", null, 30, Secrecy.SECRET),
                Bag.container(BOX, BagKind.TRANSPORT_BOX, "HN-ZSB-2021", "K01")), List.of(PersonId.of("P001")))));
        handoff(ledger, cast, "print", Step.PRINT, null, 120, A, B);
        handoff(ledger, cast, "seal", Step.SEAL, "P001", 180, A, B);
        return ledger;
    }

    private static Appended handoff(Ledger ledger, Cast cast, String id, Step step, String from, long seconds, BagId... bags) {
        List<BagMove> moves = new ArrayList<>();
        for (BagId b : bags) {
            moves.add(BagMove.of(b, ledger.bagHead(b).orElseThrow()));
        }
        return ledger.append(cast.sign(Handoff.builder(step).id(RecordId.of(id)).ledger(Cast.LEDGER).at(Cast.T0.plusSeconds(seconds))
                .from(from == null ? null : PersonId.of(from)).to(PersonId.of("P002")).witnesses(List.of(PersonId.of("P003")))
                .place(Place.of("VAULT", "保密室")).bags(moves).build()));
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void issue_sealedBag_bindsTheSealEntryAndChecksOut(Suite suite) {
        try (Ledger ledger = sealedLedger(suite)) {
            Label label = ledger.label(A);
            assertEquals(3, label.seq());
            assertEquals(Label.bind(suite.hash(), Cast.LEDGER, A, 3, ledger.entry(3).orElseThrow().hash(suite.hash())), label);
            LabelVerdict v = ledger.checkLabel(Label.parse(label.payload()));
            assertTrue(v.ok(), v.message());
            assertNull(v.finding());
            assertEquals(label, v.expected());
        }
    }

    @Test
    void issue_unsealedBagsAndContainers_bindTheirRegistration() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            assertEquals(1, ledger.label(ANSWERS).seq());
            assertEquals(1, ledger.label(BOX).seq());
        }
    }

    @Test
    void issue_unknownBag_refusedSayingToRegisterFirst() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> ledger.label(BagId.of("NOPE")));
            assertTrue(e.getMessage().contains("not registered"), e.getMessage());
        }
    }

    @Test
    void check_labelPrintedBeforeSealing_isStaleI10() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            HashAlgorithm h = HashAlgorithm.SHA_256;
            Label early = Label.bind(h, Cast.LEDGER, A, 1, ledger.entry(1).orElseThrow().hash(h));
            LabelVerdict v = ledger.checkLabel(early);
            assertEquals(LabelVerdict.Status.MISMATCH, v.status());
            assertEquals(FindingCode.I10, v.finding().code());
            assertEquals(3, v.finding().seq());
            assertEquals(ledger.entry(3).orElseThrow().hash(h), v.finding().entry());
            assertEquals(List.of(A), v.finding().bags());
            assertTrue(v.message().contains("stale"), v.message());
            assertEquals("entry 3 tag " + ledger.label(A).tag(), v.finding().expected());
            assertEquals("entry 1 tag " + early.tag(), v.finding().actual());
        }
    }

    @Test
    void check_resealedBag_oldLabelStaleNewLabelGood() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 7);
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            Label first = ledger.label(A);
            handoff(ledger, cast, "reseal", Step.SEAL, null, 240, A);
            Label second = ledger.label(A);
            assertEquals(4, second.seq());
            assertEquals(LabelVerdict.Status.MISMATCH, ledger.checkLabel(first).status());
            assertTrue(ledger.checkLabel(second).ok());
            assertTrue(ledger.checkLabel(ledger.label(B)).ok(), "B was not resealed");
        }
    }

    @Test
    void check_answerSheetBagAfterCollection_registrationLabelStillGood() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 7);
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            Label label = ledger.label(ANSWERS);
            handoff(ledger, cast, "collect", Step.COLLECT, null, 300, ANSWERS);
            assertTrue(ledger.checkLabel(label).ok());
        }
    }

    @Test
    void check_labelOfBagSealedTogetherWithBagIdEdited_I10TagMismatch() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            Label b = ledger.label(B);
            Label forged = new Label(b.ledger(), A, b.seq(), b.tag());
            LabelVerdict v = ledger.checkLabel(forged);
            assertEquals(LabelVerdict.Status.MISMATCH, v.status());
            assertEquals(FindingCode.I10, v.finding().code());
            assertTrue(v.message().contains("tag does not match"), v.message());
        }
    }

    @Test
    void check_swappedLabelOfAnotherEntry_I10SwappedOrForged() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            Label box = ledger.label(BOX);
            LabelVerdict v = ledger.checkLabel(new Label(box.ledger(), A, box.seq(), box.tag()));
            assertEquals(LabelVerdict.Status.MISMATCH, v.status());
            assertTrue(v.message().contains("swapped or forged"), v.message());
        }
    }

    @Test
    void check_bagNotInLedger_unknownBagI10() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            Label a = ledger.label(A);
            LabelVerdict v = ledger.checkLabel(new Label(a.ledger(), BagId.of("K99.01.S1.ENG.A"), a.seq(), a.tag()));
            assertEquals(LabelVerdict.Status.UNKNOWN_BAG, v.status());
            assertEquals(FindingCode.I10, v.finding().code());
            assertNull(v.expected());
            assertFalse(v.ok());
        }
    }

    @Test
    void check_labelOfAnotherLedger_otherLedgerWithoutFinding() {
        try (Ledger ledger = sealedLedger(Suite.ED25519_SHA256)) {
            Label a = ledger.label(A);
            LabelVerdict v = ledger.checkLabel(new Label(LedgerId.of("HN-ZSB-2020"), A, a.seq(), a.tag()));
            assertEquals(LabelVerdict.Status.OTHER_LEDGER, v.status());
            assertNull(v.finding());
            assertTrue(v.message().contains("HN-ZSB-2020"), v.message());
        }
    }

    @Test
    void check_sm2LedgerLabelWithSha256Tag_I10() {
        try (Ledger ledger = sealedLedger(Suite.SM2_SM3)) {
            Label wrong = Label.bind(HashAlgorithm.SHA_256, Cast.LEDGER, A, 3, ledger.entry(3).orElseThrow().hash(HashAlgorithm.SM3));
            assertEquals(LabelVerdict.Status.MISMATCH, ledger.checkLabel(wrong).status());
        }
    }
}
