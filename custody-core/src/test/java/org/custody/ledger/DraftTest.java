package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.audit.RefusedException;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.custody.record.Registration;
import org.custody.record.Revocation;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one draft: fixed bytes, who still signs, each signature checked as it arrives, preflight before signing. */
class DraftTest {
    private static final BagId A = BagId.of("K01.01.S1.ENG.A");
    private static final BagId UNKNOWN = BagId.of("K99.99.S1.ENG.A");
    private static final Instant T1 = Cast.T0.plus(Duration.ofHours(1));
    private static final Instant T2 = Cast.T0.plus(Duration.ofHours(2));
    private static final Place PRINTER = Place.of("PRINT-1", "印刷厂");

    @TempDir
    Path dir;

    private final Cast cast = new Cast(Suite.ED25519_SHA256, 11);

    private static PersonId p(String id) {
        return PersonId.of(id);
    }

    private Ledger ledgerWithBag() {
        Ledger ledger = Ledger.create(dir.resolve("ledger.db"), cast.genesis());
        Bag bag = Bag.papers(A, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL);
        ledger.append(cast.sign(new Registration(RecordId.of("reg"), Cast.LEDGER, Cast.T0.plusSeconds(60), List.of(bag),
                List.of(p("P001")))));
        return ledger;
    }

    private static Handoff.Builder printing(Ledger ledger, Instant at) {
        return Handoff.builder(Step.PRINT).to(p("P001")).witness(p("P002")).witness(p("P003")).place(PRINTER).at(at)
                .bag(ledger.move(A).count(30));
    }

    @Test
    void draft_signedByEachParty_isAppendedWithTheBagLinked() {
        try (Ledger ledger = ledgerWithBag()) {
            Draft draft = ledger.draft(printing(ledger, T1));
            assertEquals(List.of(p("P001"), p("P002"), p("P003")), draft.missing());
            assertEquals(List.of(), draft.refusals(), draft.preflight().toString());

            assertEquals(p("P002"), draft.sign(cast.key("P002")));
            assertEquals(List.of(p("P001"), p("P003")), draft.missing());
            assertThrows(RefusedException.class, draft::signed, "not signed by everyone yet");
            draft.sign(cast.key("P001"));
            draft.sign(cast.key("P003"));
            assertTrue(draft.complete());

            Appended appended = draft.append();
            assertEquals(2, appended.seq());
            assertEquals(List.of(0L + 1, 2L), ledger.history(A).stream().map(e -> e.seq()).toList());
            assertArrayEquals(draft.signedBytes(), ledger.entry(2).orElseThrow().signed().signedBytes());
        }
    }

    // boxes carry their bags

    private static final BagId B = BagId.of("K01.01.S1.ENG.B");
    private static final BagId BOX = BagId.of("K01.BOX.S1");
    private static final Place VAULT = Place.of("VAULT", "保密室");
    private static final Place SITE = Place.of("K01", "考点");

    /** A ledger whose bags A and B were packed into BOX at distribution. */
    private Ledger ledgerWithPackedBox() {
        Ledger ledger = Ledger.create(dir.resolve("box.db"), cast.genesis());
        ledger.append(cast.sign(new Registration(RecordId.of("reg"), Cast.LEDGER, Cast.T0.plusSeconds(60), List.of(
                Bag.papers(A, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(B, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "B", 30, Secrecy.CONFIDENTIAL),
                Bag.container(BOX, BagKind.TRANSPORT_BOX, "HN-ZSB-2021", "K01", "S1")), List.of(p("P001")))));
        Draft packing = ledger.draft(Handoff.builder(Step.DISTRIBUTE).from(p("P001")).to(p("P004")).witness(p("P003"))
                .place(VAULT).at(T1).bag(ledger.move(A).inside(BOX)).bag(ledger.move(B).inside(BOX)).bag(ledger.move(BOX)));
        signAll(packing).append();
        return ledger;
    }

    private Draft signAll(Draft draft) {
        for (PersonId person : List.copyOf(draft.missing())) {
            draft.sign(cast.key(person.value()));
        }
        return draft;
    }

    @Test
    void sealedBoxHandedOverByItsIdAlone_carriesItsBags_eachChainExtended() {
        try (Ledger ledger = ledgerWithPackedBox()) {
            assertEquals(List.of(A, B), ledger.contents(BOX));
            Draft escort = ledger.draft(Handoff.builder(Step.ESCORT).from(p("P004")).to(p("P001")).witness(p("P005"))
                    .place(SITE).at(T2).bag(ledger.move(BOX)));
            assertEquals(List.of(BOX, A, B), escort.record().moves().stream().map(m -> m.bag()).toList());
            assertTrue(escort.record().moves().stream().skip(1).allMatch(m -> BOX.equals(m.container())));
            Appended done = signAll(escort).append();
            assertEquals(done.hash(), ledger.bagHead(A).orElseThrow());
            assertEquals(done.hash(), ledger.bagHead(B).orElseThrow());
            assertEquals(List.of(), done.findings().stream().filter(f -> f.code() == FindingCode.R05).toList());
            assertEquals(List.of(A, B), ledger.contents(BOX));
        }
    }

    @Test
    void openedBoxHandedOverWithABagMissing_isR05NamingTheMissingBag() {
        try (Ledger ledger = ledgerWithPackedBox()) {
            Draft receipt = ledger.draft(Handoff.builder(Step.ESCORT).from(p("P004")).to(p("P001")).witness(p("P005"))
                    .place(SITE).at(T2).bag(ledger.move(BOX)).bag(ledger.move(A).inside(BOX)));
            assertEquals(List.of(BOX, A), receipt.record().moves().stream().map(m -> m.bag()).toList(), "what was found is what is listed");
            List<Finding> missing = receipt.preflight().stream().filter(f -> f.code() == FindingCode.R05).toList();
            assertEquals(1, missing.size(), receipt.preflight().toString());
            assertEquals(List.of(B, BOX), missing.get(0).bags());
            assertTrue(missing.get(0).message().contains("custody bags list --in " + BOX), missing.get(0).message());
        }
    }

    @Test
    void handoffDated2030_refusedWithR22BeforeAnyoneSigns_andAtAppend_nothingStored() {
        try (Ledger ledger = ledgerWithBag()) {
            Instant future = Instant.now().plus(Duration.ofDays(3650)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Draft draft = ledger.draft(printing(ledger, future));
            assertEquals(List.of(FindingCode.R22), draft.refusals().stream().map(Finding::code).toList(), draft.preflight().toString());
            assertTrue(draft.refusals().get(0).message().contains("check the date and time given"), draft.refusals().get(0).message());
            signAll(draft);
            AppendRefusedException refused = assertThrows(AppendRefusedException.class, draft::append);
            assertEquals(FindingCode.R22, refused.code());
            assertEquals(2, ledger.head().size());
            // a signing device's clock a few minutes ahead is no matter
            Draft soon = ledger.draft(printing(ledger, Instant.now().plus(Duration.ofMinutes(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            assertEquals(List.of(), soon.refusals());
        }
    }

    @Test
    void add_refusesWithTheGatesCodes_andLeavesTheDraftUnchanged() {
        try (Ledger ledger = ledgerWithBag()) {
            Draft draft = ledger.draft(printing(ledger, T1));

            SigningKey stranger = SigningKey.generate(cast.algorithm(), Cast.seeded(99));
            assertEquals(FindingCode.I04, assertThrows(RefusedException.class, () -> draft.sign(stranger)).code());

            RefusedException notParty = assertThrows(RefusedException.class, () -> draft.sign(cast.key("P005")));
            assertEquals(FindingCode.I03, notParty.code());
            assertTrue(notParty.getMessage().contains("P005"), notParty.getMessage());

            byte[] other = "not the draft".getBytes(StandardCharsets.UTF_8);
            assertEquals(FindingCode.I03, assertThrows(RefusedException.class,
                    () -> draft.add(cast.key("P001").sign(other))).code());

            draft.sign(cast.key("P001"));
            assertEquals(p("P001"), draft.sign(cast.key("P001")), "the same signature again is no change");
            assertEquals(List.of(p("P002"), p("P003")), draft.missing());
        }
    }

    @Test
    void add_keyRevokedForTheRecord_refusedWithI05() {
        try (Ledger ledger = ledgerWithBag()) {
            ledger.append(cast.sign(new Revocation(RecordId.of("rev"), Cast.LEDGER, T1, cast.key("P003").id(), T1,
                    "device lost", List.of(p("P001"), p("P002")))));
            Draft draft = ledger.draft(printing(ledger, T2));
            assertEquals(FindingCode.I05, assertThrows(RefusedException.class, () -> draft.sign(cast.key("P003"))).code());
        }
    }

    @Test
    void add_keyRevokedByAnotherProcessAfterTheDraftWasMade_refusedWithI05() {
        try (Ledger ledger = ledgerWithBag()) {
            Draft draft = ledger.draft(printing(ledger, T2));
            draft.sign(cast.key("P001")); // the directory is read and kept
            try (Ledger other = Ledger.open(dir.resolve("ledger.db"))) {
                other.append(cast.sign(new Revocation(RecordId.of("rev"), Cast.LEDGER, T1, cast.key("P003").id(), T1,
                        "device lost", List.of(p("P001"), p("P002")))));
            }
            assertEquals(FindingCode.I05, assertThrows(RefusedException.class, () -> draft.sign(cast.key("P003"))).code());
        }
    }

    @Test
    void preflight_staleBagLink_isI07_beforeAnyoneSigns() {
        try (Ledger ledger = ledgerWithBag()) {
            Draft stale = ledger.draft(printing(ledger, T1));
            Draft first = ledger.draft(printing(ledger, T1));
            for (String person : List.of("P001", "P002", "P003")) {
                first.sign(cast.key(person));
            }
            first.append();

            List<Finding> refusals = stale.refusals();
            assertEquals(List.of(FindingCode.I07), refusals.stream().map(Finding::code).toList(), refusals.toString());
        }
    }

    @Test
    void move_ofAnUnregisteredBag_namesTheBag() {
        try (Ledger ledger = ledgerWithBag()) {
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> ledger.move(UNKNOWN));
            assertTrue(e.getMessage().contains(UNKNOWN.value()) && e.getMessage().contains("试卷袋未登记"), e.getMessage());
        }
    }

    @Test
    void scanned_labelOfTheCurrentSeal_givesItsBag_aStaleOrForgedOneIsI10() {
        try (Ledger ledger = ledgerWithBag()) {
            Draft print = ledger.draft(printing(ledger, T1));
            List.of("P001", "P002", "P003").forEach(person -> print.sign(cast.key(person)));
            print.append();
            Draft seal = ledger.draft(Handoff.builder(Step.SEAL).from(p("P001")).to(p("P002")).witness(p("P003"))
                    .place(PRINTER).at(T2).bag(ledger.move(A).count(30).seal("SN-1", SealState.INTACT)));
            List.of("P001", "P002", "P003").forEach(person -> seal.sign(cast.key(person)));
            seal.append();

            Label label = ledger.label(A);
            assertEquals(A, ledger.scanned(label.payload()));
            assertEquals(A, ledger.scanned("  " + A.value() + " "), "a typed bag id");

            Label forged = new Label(label.ledger(), label.bag(), label.seq() - 1, label.tag());
            assertEquals(FindingCode.I10, assertThrows(RefusedException.class, () -> ledger.scanned(forged.payload())).code());
            assertThrows(MalformedInputException.class, () -> ledger.scanned("CUSTODY1/garbled"));
        }
    }

    @Test
    void draft_ofARecordForAnotherLedger_isRefused() {
        try (Ledger ledger = ledgerWithBag()) {
            Handoff other = printing(ledger, T1).ledger(org.custody.model.LedgerId.of("OTHER")).build();
            assertFalse(other.ledger().equals(ledger.id()));
            assertEquals(FindingCode.I03, assertThrows(RefusedException.class, () -> ledger.draft(other)).code());
        }
    }
}
