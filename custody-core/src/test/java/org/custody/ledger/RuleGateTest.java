package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
