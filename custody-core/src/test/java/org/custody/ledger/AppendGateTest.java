package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.IncidentType;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Registration;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains;
import org.custody.testing.Cast;
import org.custody.testing.Integrity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The append gate: what it refuses, with which code, and that a refused append or batch stores nothing. */
class AppendGateTest {
    private static final BagId A = BagId.of("K01.01.S1.ENG.A");
    private static final BagId B = BagId.of("K01.02.S1.ENG.A");
    private static final BagId C = BagId.of("K01.03.S1.ENG.A");
    private static final Instant T1 = Cast.T0.plus(Duration.ofHours(1));
    private static final Instant T2 = Cast.T0.plus(Duration.ofHours(2));

    @TempDir
    Path dir;

    private final Cast cast = new Cast(Suite.ED25519_SHA256, 5);
    private Path file;

    @BeforeEach
    void setUp() {
        file = dir.resolve("ledger.db");
    }

    private static PersonId p(String id) {
        return PersonId.of(id);
    }

    private static Registration register(String id, LedgerId ledger, BagId... bags) {
        List<Bag> registered = java.util.Arrays.stream(bags).map(b -> Bag.papers(b, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01",
                "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)).toList();
        return new Registration(RecordId.of(id), ledger, Cast.T0.plusSeconds(60), registered, List.of(p("P001")));
    }

    private static Handoff handoff(String id, Instant at, BagId bag, Hash prev, String from, String to, String witness) {
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of(id)).ledger(Cast.LEDGER).at(at).from(p(from)).to(p(to)).witnesses(List.of(p(witness)))
                .place(Place.of("VAULT-1", null)).bags(List.of(BagMove.of(bag, prev).count(30))).build();
    }

    /** A new ledger with bags A, B and C registered (entry 1). */
    /** A ledger with bags A, B and C registered, whose clock is {@link Chains#CLOCK} (so tests can compute entry hashes ahead). */
    private Ledger ledgerWithBags() {
        Ledger ledger = Ledger.create(file, cast.genesis(), Chains.CLOCK);
        ledger.append(cast.sign(register("reg-1", Cast.LEDGER, A, B, C)));
        return ledger;
    }

    private void assertNothingStoredAfter(Ledger ledger, Head before) {
        assertEquals(before, ledger.head());
        assertTrue(ledger.entry(before.size()).isEmpty());
        AuditReport report = ledger.verify();
        assertEquals(List.of(), Integrity.findings(report), report.summary());
    }

    @Test
    void append_keyRevokedBeforeRecordTime_refusedWithI05() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            ledger.append(cast.sign(new Revocation(RecordId.of("rev-1"), Cast.LEDGER, T1, cast.key("P003").id(), T1,
                    "device lost", List.of(p("P001"), p("P002")))));
            Head before = ledger.head();

            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(handoff("h-1", T2, A, reg, "P001", "P002", "P003"))));

            assertEquals(FindingCode.I05, e.code(), e.getMessage());
            assertEquals(List.of(p("P003")), e.finding().people());
            assertEquals(-1, e.index());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void append_keyRevokedFromLaterButRecordAppendedAfterRevocation_refusedWithI05() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            ledger.append(cast.sign(new Revocation(RecordId.of("rev-1"), Cast.LEDGER, T1, cast.key("P003").id(),
                    Cast.T0.plus(Duration.ofDays(30)), "leaves the exam office", List.of(p("P001")))));
            Head before = ledger.head();

            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(handoff("h-1", T2, A, reg, "P001", "P002", "P003"))));

            assertEquals(FindingCode.I05, e.code(), e.getMessage());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void append_signatureByUnknownKey_refusedWithI04() {
        try (Ledger ledger = ledgerWithBags()) {
            Head before = ledger.head();
            Handoff h = handoff("h-1", T1, A, ledger.bagHead(A).orElseThrow(), "P001", "P002", "P003");
            SigningKey stranger = SigningKey.generate(SignatureAlgorithm.ED25519, Cast.seeded(99));
            SignedRecord signed = SignedRecord.unsigned(h).signedBy(cast.key("P001")).signedBy(cast.key("P002"))
                    .signedBy(stranger);

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(signed));

            assertEquals(FindingCode.I04, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(stranger.id().hex()), e.getMessage());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void append_signatureByNonParty_refusedWithI03() {
        try (Ledger ledger = ledgerWithBags()) {
            Head before = ledger.head();
            Handoff h = handoff("h-1", T1, A, ledger.bagHead(A).orElseThrow(), "P001", "P002", "P003");
            SignedRecord signed = cast.sign(h).signedBy(cast.key("P006"));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(signed));

            assertEquals(FindingCode.I03, e.code(), e.getMessage());
            assertEquals(List.of(p("P006")), e.finding().people());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void append_recordForAnotherLedger_refusedWithI03() {
        try (Ledger ledger = ledgerWithBags()) {
            Head before = ledger.head();
            SignedRecord signed = cast.sign(register("reg-2", LedgerId.of("HN-ZSB-2020"), BagId.of("K02.01.S1.ENG.A")));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(signed));

            assertEquals(FindingCode.I03, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("another ledger"), e.getMessage());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void append_sameRecordAgain_alreadyPresentAndStoredOnce() {
        try (Ledger ledger = ledgerWithBags()) {
            SignedRecord h = cast.sign(handoff("h-1", T1, A, ledger.bagHead(A).orElseThrow(), "P001", "P002", "P003"));
            Appended first = ledger.append(h);
            ledger.append(cast.sign(handoff("h-2", T1, B, ledger.bagHead(B).orElseThrow(), "P001", "P002", "P003")));
            Head before = ledger.head();

            Appended again = ledger.append(h);
            Appended inBatch = ledger.appendAll(List.of(h)).get(0);

            assertFalse(first.alreadyPresent());
            assertEquals(new Appended(first.seq(), first.hash(), true), again);
            assertEquals(new Appended(first.seq(), first.hash(), true), inBatch);
            assertEquals(before, ledger.head());
            assertEquals(2, ledger.history(A).size());
            assertEquals(List.of(), Integrity.findings(ledger.verify()));
        }
    }

    @Test
    void appendAll_sameRecordTwiceInOneBatch_storedOnce() {
        try (Ledger ledger = ledgerWithBags()) {
            SignedRecord h = cast.sign(handoff("h-1", T1, A, ledger.bagHead(A).orElseThrow(), "P001", "P002", "P003"));

            List<Appended> appended = ledger.appendAll(List.of(h, h));

            assertEquals(List.of(2L, false), List.of(appended.get(0).seq(), appended.get(0).alreadyPresent()));
            assertEquals(new Appended(2, appended.get(0).hash(), true), appended.get(1));
            assertEquals(3, ledger.head().size());
            assertEquals(List.of(), Integrity.findings(ledger.verify()));
        }
    }

    @Test
    void appendAll_bagMovedTwiceInOneBatch_headAndHistoryFollowBoth() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            SignedRecord first = cast.sign(handoff("h-1", T1, A, reg, "P001", "P002", "P003"));
            Hash firstHash = org.custody.record.Entry.create(2, ledger.head().hash(), first, Chains.APPENDED).hash(cast.suite().hash());
            SignedRecord second = cast.sign(handoff("h-2", T2, A, firstHash, "P002", "P001", "P003"));

            List<Appended> appended = ledger.appendAll(List.of(first, second));
            Appended third = ledger.append(cast.sign(handoff("h-3", T2, A, ledger.bagHead(A).orElseThrow(), "P001", "P002", "P003")));

            assertEquals(appended.get(1).hash(), ledger.history(A).get(2).hash(cast.suite().hash()));
            assertEquals(List.of(1L, 2L, 3L, 4L), ledger.history(A).stream().map(e -> e.seq()).toList());
            assertEquals(third.hash(), ledger.bagHead(A).orElseThrow());
            assertEquals(List.of(1L), ledger.history(B).stream().map(e -> e.seq()).toList());
            assertEquals(List.of(), Integrity.findings(ledger.verify()));
        }
    }

    @Test
    void append_afterARefusedBatch_bagHeadsAreThoseStored() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            SignedRecord moveA = cast.sign(handoff("h-a", T1, A, reg, "P001", "P002", "P003"));
            assertThrows(AppendRefusedException.class, () -> ledger.appendAll(List.of(moveA,
                    cast.sign(handoff("h-b", T1, B, Hash.ZERO, "P001", "P002", "P003")))));

            // A did not move: a handoff linking to its registration is accepted, one linking to h-a would not be
            Appended stored = ledger.append(moveA);

            assertFalse(stored.alreadyPresent());
            assertEquals(stored.hash(), ledger.bagHead(A).orElseThrow());
            assertEquals(List.of(), Integrity.findings(ledger.verify()));
        }
    }

    @Test
    void append_twoLedgersOnOneFileTakingTurns_eachSeesTheOthersBagMoves() {
        try (Ledger one = ledgerWithBags(); Ledger two = Ledger.open(file)) {
            Appended a1 = one.append(cast.sign(handoff("h-1", T1, A, one.bagHead(A).orElseThrow(), "P001", "P002", "P003")));
            Appended a2 = two.append(cast.sign(handoff("h-2", T1, A, a1.hash(), "P002", "P001", "P003")));

            // one last moved A itself to h-1; it must see that two has moved it since
            Appended a3 = one.append(cast.sign(handoff("h-3", T2, A, a2.hash(), "P001", "P002", "P003")));
            AppendRefusedException stale = assertThrows(AppendRefusedException.class,
                    () -> two.append(cast.sign(handoff("h-4", T2, A, a2.hash(), "P002", "P001", "P003"))));

            assertEquals(FindingCode.I07, stale.code(), stale.getMessage());
            assertEquals(a3.hash(), two.bagHead(A).orElseThrow());
            assertEquals(List.of(1L, 2L, 3L, 4L), two.history(A).stream().map(e -> e.seq()).toList());
            assertEquals(List.of(), Integrity.findings(two.verify()));
        }
    }

    @Test
    void append_sameIdDifferentContent_refusedAndNothingStored() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            ledger.append(cast.sign(handoff("h-1", T1, A, reg, "P001", "P002", "P003")));
            Head before = ledger.head();
            SignedRecord other = cast.sign(handoff("h-1", T1, B, ledger.bagHead(B).orElseThrow(), "P001", "P002", "P003"));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(other));

            assertTrue(e.getMessage().contains("h-1"), e.getMessage());
            assertTrue(e.getMessage().contains("already used"), e.getMessage());
            assertEquals(1, ledger.history(B).size());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void appendAll_badBagLinkInMiddle_nothingStoredAndIndexNamesIt() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            Head before = ledger.head();
            List<SignedRecord> batch = List.of(
                    cast.sign(handoff("h-a", T1, A, reg, "P001", "P002", "P003")),
                    cast.sign(handoff("h-b", T1, B, reg, "P001", "P002", "P003")),
                    cast.sign(handoff("h-c", T1, C, Hash.ZERO, "P001", "P002", "P003")),
                    cast.sign(incident("i-1")));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.appendAll(batch));

            assertEquals(2, e.index());
            assertEquals(FindingCode.I07, e.code());
            assertTrue(e.getMessage().startsWith("record 3 of the batch"), e.getMessage());
            assertEquals(reg, ledger.bagHead(A).orElseThrow());
            assertEquals(reg, ledger.bagHead(B).orElseThrow());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void appendAll_badSignatureInMiddle_nothingStoredAndIndexNamesIt() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            Head before = ledger.head();
            Handoff forged = handoff("h-b", T1, B, reg, "P001", "P002", "P003");
            SignedRecord signedElsewhere = cast.sign(handoff("h-x", T1, B, reg, "P001", "P002", "P003"));
            SignedRecord bad = SignedRecord.unsigned(forged).signedBy(cast.key("P001")).signedBy(cast.key("P002"))
                    .with(signedElsewhere.signatures().get(2));
            List<SignedRecord> batch = List.of(
                    cast.sign(handoff("h-a", T1, A, reg, "P001", "P002", "P003")),
                    bad,
                    cast.sign(handoff("h-c", T1, C, reg, "P001", "P002", "P003")));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.appendAll(batch));

            assertEquals(1, e.index());
            assertEquals(FindingCode.I03, e.code());
            assertEquals(List.of(p("P003")), e.finding().people());
            assertEquals(reg, ledger.bagHead(A).orElseThrow());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void appendAll_singleBadRecord_indexZero() {
        try (Ledger ledger = ledgerWithBags()) {
            Head before = ledger.head();
            List<SignedRecord> batch = List.of(cast.sign(handoff("h-a", T1, A, Hash.ZERO, "P001", "P002", "P003")));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.appendAll(batch));

            assertEquals(0, e.index());
            assertNothingStoredAfter(ledger, before);
        }
    }

    @Test
    void appendAll_validBatch_storedInOrder() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            List<Appended> out = ledger.appendAll(List.of(
                    cast.sign(handoff("h-a", T1, A, reg, "P001", "P002", "P003")),
                    cast.sign(incident("i-1")),
                    cast.sign(handoff("h-b", T1, B, reg, "P001", "P002", "P003"))));

            assertEquals(List.of(2L, 3L, 4L), out.stream().map(Appended::seq).toList());
            assertEquals(out.get(0).hash(), ledger.bagHead(A).orElseThrow());
            assertEquals(new Head(5, out.get(2).hash()), ledger.head());
        }
    }

    @Test
    void append_staleExpectedHead_refusedAndNothingStored() {
        try (Ledger ledger = ledgerWithBags()) {
            Hash reg = ledger.bagHead(A).orElseThrow();
            Head seen = ledger.head();
            ledger.append(cast.sign(handoff("h-b", T1, B, reg, "P001", "P002", "P003")));
            Head before = ledger.head();
            SignedRecord h = cast.sign(handoff("h-a", T1, A, reg, "P001", "P002", "P003"));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(h, seen));

            assertEquals(FindingCode.I06, e.code());
            assertTrue(e.getMessage().contains("moved on"), e.getMessage());
            assertNothingStoredAfter(ledger, before);
            assertEquals(3, ledger.append(h, before).seq());
        }
    }

    @Test
    void append_expectedHeadWithOtherHash_refusedWithI02() {
        try (Ledger ledger = ledgerWithBags()) {
            Head before = ledger.head();
            Head forked = new Head(before.size(), Hash.ZERO);
            SignedRecord h = cast.sign(handoff("h-a", T1, A, ledger.bagHead(A).orElseThrow(), "P001", "P002", "P003"));

            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(h, forked));

            assertEquals(FindingCode.I02, e.code());
            assertNothingStoredAfter(ledger, before);
        }
    }

    private static Incident incident(String id) {
        return Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of(id)).ledger(Cast.LEDGER).at(T1).bags(List.of()).by(List.of(p("P003")))
                .place(Place.of("VAULT-1", null)).note("video replay checked").build();
    }
}
