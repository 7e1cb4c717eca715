package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains;
import org.custody.testing.Cast;
import org.custody.testing.Integrity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

public class LedgerTest {
    @TempDir
    Path dir;

    public static final BagId BAG = BagId.of("K01.01.S1.ENG.A");

    public static Registration register(Cast cast) {
        return new Registration(RecordId.of("reg-1"), Cast.LEDGER, Cast.T0.plusSeconds(60),
                List.of(Bag.papers(BAG, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30,
                        Secrecy.CONFIDENTIAL)), List.of(PersonId.of("P001"), PersonId.of("P003")));
    }

    public static Handoff handoff(String id, Hash prev, String from, String to, String witness) {
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of(id)).ledger(Cast.LEDGER).at(Cast.T0.plusSeconds(3600)).from(PersonId.of(from))
                .to(PersonId.of(to)).witnesses(List.of(PersonId.of(witness))).place(Place.of("VAULT-1", "省考试院保密室"))
                .bags(List.of(BagMove.of(BAG, prev).count(30))).build();
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void append_validLifeCycle_verifiesClean(Suite suite) {
        Cast cast = new Cast(suite, 1);
        Path file = dir.resolve("ledger.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            Appended moved = ledger.append(cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            assertEquals(2, moved.seq());
            assertEquals(3, ledger.head().size());
            assertEquals(List.of(1L, 2L), ledger.history(BAG).stream().map(e -> e.seq()).toList());
        }
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), Integrity.findings(report), report.summary());
        assertEquals(3, report.entries());
    }

    @Test
    void append_missingSignature_refusedWithI03AndNothingStored() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 2);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            Handoff h = handoff("h-1", reg.hash(), "P001", "P002", "P003");
            SignedRecord partly = SignedRecord.unsigned(h).signedBy(cast.key("P001")).signedBy(cast.key("P002"));
            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(partly));
            assertEquals(FindingCode.I03, e.code());
            assertTrue(e.getMessage().contains("P003"), e.getMessage());
            assertEquals(2, ledger.head().size());
        }
    }

    @Test
    void append_wrongBagLink_refusedWithI07() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 3);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            ledger.append(cast.sign(register(cast)));
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(handoff("h-1", Hash.ZERO, "P001", "P002", "P003"))));
            assertEquals(FindingCode.I07, e.code());
        }
    }

    @Test
    void append_enrolmentSignedWithOldKeyNotNewOne_refusedWithI03() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 4);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            org.custody.crypto.SigningKey fresh = org.custody.crypto.SigningKey.generate(cast.algorithm());
            org.custody.record.Enrolment rotation = new org.custody.record.Enrolment(RecordId.of("rotate"), Cast.LEDGER,
                    Cast.T0.plusSeconds(5), cast.person("P002"), fresh.publicKey(), PersonId.of("P001"));
            SignedRecord withoutNewKey = SignedRecord.unsigned(rotation).signedBy(cast.key("P001")).signedBy(cast.key("P002"));
            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(withoutNewKey));
            assertEquals(FindingCode.I03, e.code());
            assertTrue(e.getMessage().contains("did not sign"), e.getMessage());
            Appended ok = ledger.append(SignedRecord.unsigned(rotation).signedBy(cast.key("P001")).signedBy(fresh));
            assertEquals(1, ok.seq());
        }
    }

    @Test
    void appendAll_badSignatureInTheMiddle_refusedNamingItsIndexAndNothingStored() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 4);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis(), Chains.CLOCK)) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            SignedRecord first = cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003"));
            Hash firstHash = org.custody.record.Entry.create(2, reg.hash(), first, Chains.APPENDED).hash(Suite.ED25519_SHA256.hash());
            Handoff second = handoff("h-2", firstHash, "P002", "P004", "P003");
            // P004 signs other bytes: the signature names P004's key but does not verify
            SignedRecord forged = SignedRecord.unsigned(second).signedBy(cast.key("P002"))
                    .with(cast.key("P004").sign("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .signedBy(cast.key("P003"));
            Hash secondHash = org.custody.record.Entry.create(3, firstHash, forged, Chains.APPENDED).hash(Suite.ED25519_SHA256.hash());
            SignedRecord third = cast.sign(handoff("h-3", secondHash, "P004", "P005", "P003"));
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.appendAll(List.of(first, forged, third)));
            assertEquals(FindingCode.I03, e.code());
            assertTrue(e.getMessage().contains("P004"), e.getMessage());
            assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
            assertEquals(2, ledger.head().size());
            assertEquals(List.of(1L), ledger.history(BAG).stream().map(x -> x.seq()).toList());

            assertEquals(List.of(2L, 3L, 4L), ledger.appendAll(List.of(first, cast.sign(second),
                    cast.sign(handoff("h-3", org.custody.record.Entry.create(3, firstHash, cast.sign(second), Chains.APPENDED)
                            .hash(Suite.ED25519_SHA256.hash()), "P004", "P005", "P003"))))
                    .stream().map(Appended::seq).toList());
        }
    }

    @Test
    void bagChain_historyFromLedger_holdsAndDetectsAGap() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 5);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            Appended h1 = ledger.append(cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            ledger.append(cast.sign(handoff("h-2", h1.hash(), "P002", "P001", "P003")));
            List<org.custody.record.Entry> history = ledger.history(BAG);
            assertEquals(List.of(), BagChain.check(BAG, history, cast.suite().hash()));
            List<org.custody.record.Entry> gap = List.of(history.get(0), history.get(2));
            List<org.custody.audit.Finding> findings = BagChain.check(BAG, gap, cast.suite().hash());
            assertEquals(1, findings.size(), findings.toString());
            assertEquals(FindingCode.I07, findings.get(0).code());
            assertEquals(3, findings.get(0).seq());
        }
    }

    @Test
    void appendAll_badSignatureBeforeABadLink_theLinkIsReported() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 5);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            Handoff first = handoff("h-1", reg.hash(), "P001", "P002", "P003");
            SignedRecord forged = SignedRecord.unsigned(first).signedBy(cast.key("P001")).signedBy(cast.key("P002"))
                    .with(cast.key("P003").sign(new byte[] {1, 2, 3}));
            SignedRecord badLink = cast.sign(handoff("h-2", Hash.ZERO, "P002", "P004", "P003"));
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.appendAll(List.of(forged, badLink)));
            assertEquals(FindingCode.I07, e.code());
            assertEquals(2, ledger.head().size());
        }
    }

    @Test
    void append_twoLedgersOnOneFile_eachCommitReleasesTheWriteLock() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 6);
        Path file = dir.resolve("shared.db");
        try (Ledger first = Ledger.create(file, cast.genesis()); Ledger second = Ledger.open(file)) {
            first.head();
            second.head();
            Appended reg = second.append(cast.sign(register(cast)));
            Appended h1 = first.append(cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            second.append(cast.sign(handoff("h-2", h1.hash(), "P002", "P001", "P003")));
            assertEquals(4, first.head().size());
        }
    }

    @Test
    void verify_keyDeclaredCompromisedLaterFromAnEarlierTime_earlierSignaturesAfterThatTimeAreListedAsR18() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 8);
        Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            Appended moved = ledger.append(cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            org.custody.record.Revocation compromise = new org.custody.record.Revocation(RecordId.of("revoke-P003"),
                    Cast.LEDGER, Cast.T0.plusSeconds(7200), cast.key("P003").id(), Cast.T0.plusSeconds(1800),
                    "key file found copied", List.of(PersonId.of("P001"), PersonId.of("P003")));
            ledger.append(cast.sign(compromise));
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            // the ledger is not failed: the entry the declaration reaches back over is listed, naming the key's holder
            assertEquals(List.of(), Integrity.findings(report));
            List<org.custody.audit.Finding> listed = report.findings().stream().filter(f -> f.code() == FindingCode.R18).toList();
            assertEquals(1, listed.size(), report.findings().toString());
            assertEquals(moved.seq(), listed.get(0).seq());
            assertEquals(List.of(PersonId.of("P003")), listed.get(0).people());
            assertEquals(1, report.exitStatus());
        }
    }

    @Test
    void append_oneBadSignatureOfThree_refusedWithI03() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 6);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            Handoff h = handoff("h-1", reg.hash(), "P001", "P002", "P003");
            SignedRecord forged = SignedRecord.unsigned(h).signedBy(cast.key("P001"))
                    .with(cast.key("P002").sign(new byte[] {9})).signedBy(cast.key("P003"));
            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(forged));
            assertEquals(FindingCode.I03, e.code());
            assertTrue(e.getMessage().contains("P002"), e.getMessage());
            assertEquals(2, ledger.head().size());
            assertEquals(3, ledger.append(cast.sign(h)).seq() + 1);
        }
    }
}
