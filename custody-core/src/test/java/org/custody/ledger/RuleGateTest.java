package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.custody.audit.FindingCode;
import org.custody.crypto.Suite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.record.PolicyRecord;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The append gate applies the exam's policy: strict refuses rule breaches, record stores and reports them. */
class RuleGateTest {
    @TempDir
    Path dir;

    private static PolicyRecord policy(Policy.Mode mode) {
        return new PolicyRecord(RecordId.of("policy-" + mode.wire()), Cast.LEDGER, Cast.T0.plusSeconds(30),
                Policy.defaults("HN-ZSB-2021").withMode(mode), List.of(PersonId.of("P001"), PersonId.of("P003")));
    }

    @Test
    void append_strictPolicyAndSkippedSteps_refusedWithR05AndNothingStored() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 11);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            ledger.append(cast.sign(policy(Policy.Mode.STRICT)));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003"))));
            assertEquals(FindingCode.R05, e.code());
            assertEquals(3, ledger.head().size());
        }
    }

    @Test
    void append_strictPolicySwitchedToRecordByOneSigner_refusedWithR17AndTheStrictPolicyStays() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 13);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            ledger.append(cast.sign(policy(Policy.Mode.STRICT)));
            PolicyRecord alone = new PolicyRecord(RecordId.of("policy-record"), Cast.LEDGER, Cast.T0.plusSeconds(60),
                    Policy.defaults("HN-ZSB-2021").withMode(Policy.Mode.RECORD), List.of(PersonId.of("P001")));
            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(cast.sign(alone)));
            assertEquals(FindingCode.R17, e.code());
            assertEquals(2, ledger.head().size());
        }
    }

    @Test
    void append_strictLedgerAndAnInvigilatorRevokesTheInspectorsKey_refusedWithR17() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 14);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            ledger.append(cast.sign(policy(Policy.Mode.STRICT)));
            var revoke = new org.custody.record.Revocation(RecordId.of("revoke-p003"), Cast.LEDGER, Cast.T0.plusSeconds(3600),
                    cast.key("P003").id(), Cast.T0.plusSeconds(60), "said to be lost", List.of(PersonId.of("P006")));
            AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(cast.sign(revoke)));
            assertEquals(FindingCode.R17, e.code());
            assertEquals(2, ledger.head().size());
        }
    }

    @Test
    void append_recordPolicyAndSkippedSteps_storedWithFindingAndReported() {
        Policy.Mode mode = Policy.Mode.RECORD;
        Cast cast = new Cast(Suite.ED25519_SHA256, 12);
        Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            ledger.append(cast.sign(policy(mode)));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            Appended h = ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            assertEquals(List.of(FindingCode.R05), h.findings().stream().map(f -> f.code()).toList());
        }
        var report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(1, report.exitStatus());
        assertEquals(List.of(FindingCode.R05), report.findings().stream().map(f -> f.code()).toList());
    }

    @Test
    void append_strictPolicyAfterAnotherWriterAppended_rulesSeeTheirEntries() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 13);
        Path file = dir.resolve("l.db");
        try (Ledger first = Ledger.create(file, cast.genesis()); Ledger second = Ledger.open(file)) {
            first.append(cast.sign(policy(Policy.Mode.STRICT)));
            Appended reg = second.append(cast.sign(LedgerTest.register(cast)));
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> first.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003"))));
            assertEquals(FindingCode.R05, e.code());
        }
    }

    @Test
    void append_refusedBatch_rulesStateRebuiltSoTheNextAppendIsJudgedRight() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 14);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            ledger.append(cast.sign(policy(Policy.Mode.STRICT)));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            assertThrows(AppendRefusedException.class, () -> ledger.appendAll(List.of(
                    cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")))));
            AppendRefusedException again = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(LedgerTest.handoff("h-2", reg.hash(), "P001", "P002", "P003"))));
            assertEquals(FindingCode.R05, again.code());
        }
    }

    @Test
    void strictLedger_correctionSignedByNoOneWhoSignedTheCorrectedEntry_refusedWithR17_bySomeoneWhoDid_storedAndVerified() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 15);
        java.nio.file.Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            ledger.append(cast.sign(policy(Policy.Mode.STRICT)));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            java.util.function.Function<List<String>, org.custody.record.Incident> correction = by ->
                    org.custody.record.Incident.builder(org.custody.model.IncidentType.CORRECTION).id(RecordId.of("correct"))
                            .ledger(Cast.LEDGER).at(Cast.T0.plusSeconds(600)).bags(List.of()).refers(reg.hash())
                            .by(by.stream().map(PersonId::of).toList()).note("登记份数有误").build();
            // the registration was signed by P001 and P003: P003 (the inspector) cannot also stand for its signers
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(correction.apply(List.of("P002", "P003")))));
            assertEquals(FindingCode.R17, e.code());
            assertTrue(e.getMessage().contains("signed the corrected entry (P001, P003)"), e.getMessage());
            Appended ok = ledger.append(cast.sign(correction.apply(List.of("P001", "P003"))));
            assertEquals(List.of(), ok.findings());
        }
        var report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), report.findings(FindingCode.R17), report.summary());
    }

    @Test
    void strictLedger_vaultNotRegistered_refusedWithR24_andRecordLedgerStoresAndVerifiesIt() {
        for (Policy.Mode mode : Policy.Mode.values()) {
            Cast cast = new Cast(Suite.ED25519_SHA256, 16);
            java.nio.file.Path file = dir.resolve(mode.wire() + ".db");
            try (Ledger ledger = Ledger.create(file, cast.genesis())) {
                ledger.append(cast.sign(policy(mode)));
                ledger.append(cast.sign(new org.custody.record.Registration(RecordId.of("places"), Cast.LEDGER, Cast.T0.plusSeconds(40),
                        List.of(), List.of(PersonId.of("P001"), PersonId.of("P003")),
                        List.of(org.custody.model.RegisteredPlace.vault("VAULT-2", "省考试院保密室")))));
                Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
                org.custody.record.SignedRecord atVault1 = cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003"));
                if (mode == Policy.Mode.STRICT) {
                    AppendRefusedException e = assertThrows(AppendRefusedException.class, () -> ledger.append(atVault1));
                    assertTrue(e.findings().stream().anyMatch(f -> f.code() == FindingCode.R24
                            && f.message().startsWith("VAULT-1 is not a registered vault; the ledger's vaults are VAULT-2")), e.findings().toString());
                    continue;
                }
                assertTrue(ledger.append(atVault1).findings().stream().anyMatch(f -> f.code() == FindingCode.R24));
            }
            var report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertEquals(1, report.findings(FindingCode.R24).size(), report.summary());
            try (Ledger reopened = Ledger.open(file)) {
                assertEquals(List.of("VAULT-2"), reopened.places().stream().map(org.custody.model.RegisteredPlace::id).toList());
            }
        }
    }

    @Test
    void correctionOfAnEntryEarlierInTheSameBatch_findsItsSigners_asTheVerifierDoes() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 17);
        java.nio.file.Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis(), org.custody.testing.Chains.CLOCK)) {
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            org.custody.record.SignedRecord moved = cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003"));
            org.custody.crypto.Hash movedHash = org.custody.record.Entry.create(2, reg.hash(), moved, org.custody.testing.Chains.APPENDED)
                    .hash(Suite.ED25519_SHA256.hash());
            org.custody.record.Incident correction = org.custody.record.Incident.builder(org.custody.model.IncidentType.CORRECTION)
                    .id(RecordId.of("correct")).ledger(Cast.LEDGER).at(Cast.T0.plusSeconds(4000)).bags(List.of()).refers(movedHash)
                    .by(List.of(PersonId.of("P002"), PersonId.of("P003"))).note("入库时间有误").build();
            List<Appended> both = ledger.appendAll(List.of(moved, cast.sign(correction)));
            assertEquals(movedHash, both.get(0).hash());
            assertEquals(List.of(), both.get(1).findings().stream().filter(f -> f.code() == FindingCode.R17).toList());
        }
        assertEquals(List.of(), LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()).findings(FindingCode.R17));
    }
}
