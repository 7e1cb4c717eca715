package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Witness;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.record.Entry;
import org.custody.record.PolicyRecord;
import org.custody.testing.Cast;
import org.custody.testing.Integrity;
import org.custody.testing.SetClock;
import org.custody.testing.Tamper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time the ledger appended each entry (docs/formats.md §5): written by the gate from its clock, never going back,
 * kept through the upgrade of a Custody 0.1 file, and checked by the verifier: claimed times ahead of it (R22) or long
 * before it (R23), and append times that go back, stop, or follow an inspector's cosignature (I12).
 */
class AppendTimeTest {
    /** A Custody 0.1 ledger (schema version 2, entries without append times): genesis, registration, two handoffs. */
    private static final String VERSION_1_LEDGER = "/ledgers/custody-0.1-v2.db";
    /** The clock and keys it was written with. */
    private static final long VERSION_1_SEED = 7;

    @TempDir
    Path dir;

    private static PolicyRecord policy(Policy policy, String id) {
        return new PolicyRecord(RecordId.of(id), Cast.LEDGER, Cast.T0.plusSeconds(30), policy,
                List.of(PersonId.of("P001"), PersonId.of("P003")));
    }

    private static Policy exam() {
        return Policy.defaults("HN-ZSB-2021");
    }

    @Test
    void everyEntry_carriesTheLedgersClock_andASetBackClockNeverMakesItGoBack() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 1);
        Instant t1 = Cast.T0.plusSeconds(7200).plusMillis(250);
        SetClock clock = new SetClock(t1);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis(), clock)) {
            clock.set(t1.plusSeconds(60).plusNanos(999_999)); // sub-millisecond: truncated
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            clock.set(t1.minusSeconds(3600)); // set back an hour
            Appended moved = ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));

            assertEquals(Optional.of(t1), ledger.entry(0).orElseThrow().appended());
            assertEquals(Optional.of(t1.plusSeconds(60)), ledger.entry(1).orElseThrow().appended());
            assertEquals(Optional.of(t1.plusSeconds(60)), ledger.entry(2).orElseThrow().appended(), "not before entry 1's");
            String stored = new String(ledger.entry(2).orElseThrow().canonicalBytes(), StandardCharsets.UTF_8);
            assertTrue(stored.startsWith("{\"appended\":\"2021-06-01T02:01:00.250Z\",\"prev\":"), stored);
            assertEquals(moved.hash(), ledger.entry(2).orElseThrow().hash(Suite.ED25519_SHA256.hash()));
            AuditReport report = ledger.verify();
            assertEquals(List.of(), Integrity.findings(report), report.summary());
        }
    }

    @Test
    void custody01File_isUpgradedToTheCurrentVersion_oldEntriesKeepTheirBytes_newOnesAreStamped_andItVerifiesClean() throws Exception {
        Path file = dir.resolve("old.db");
        try (var in = getClass().getResourceAsStream(VERSION_1_LEDGER)) {
            Files.copy(in, file);
        }
        List<byte[]> before = new ArrayList<>();
        try (Tamper t = Tamper.open(file)) {
            for (long seq = 0; seq < 4; seq++) {
                before.add(t.body(seq));
            }
        }
        AuditReport asItWas = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), Integrity.findings(asItWas), "a version 2 file verifies as it is: " + asItWas.summary());
        assertEquals("2", schemaVersion(file), "verifying changes nothing");

        Cast cast = new Cast(Suite.ED25519_SHA256, VERSION_1_SEED);
        Instant now = Instant.parse("2026-12-07T08:00:00.125Z");
        try (Ledger ledger = Ledger.open(file, Clock.fixed(now, ZoneOffset.UTC))) {
            assertEquals(Integer.toString(org.custody.ledger.sqlite.Schema.VERSION), schemaVersion(file));
            Hash last = ledger.bagHead(LedgerTest.BAG).orElseThrow();
            ledger.append(cast.sign(LedgerTest.handoff("h-3", last, "P001", "P002", "P003")));
            for (int seq = 0; seq < 4; seq++) {
                Entry entry = ledger.entry(seq).orElseThrow();
                assertArrayEquals(before.get(seq), entry.canonicalBytes(), "entry " + seq);
                assertEquals(Optional.empty(), entry.appended());
            }
            assertEquals(Optional.of(now), ledger.entry(4).orElseThrow().appended());
        }
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), Integrity.findings(report), report.summary());
        assertEquals(asItWas.findings().size() + 1, report.findings().size(), "one more vault_in: " + report.summary());
        assertEquals(5, report.entries());
    }

    @Test
    void recordAheadOfTheClock_beyondThePolicysTolerance_isRefusedWithR22_evenUnderRecord() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 2);
        Instant appendAt = Cast.T0.plusSeconds(3600 - 150); // the handoff claims T0 + 1 h: 2.5 minutes ahead
        SetClock clock = new SetClock(Cast.T0.plusSeconds(40));
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis(), clock)) {
            ledger.append(cast.sign(policy(exam().withFutureTolerance(Duration.ofMinutes(2)), "policy-1")));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            clock.set(appendAt);
            Head head = ledger.head();
            AppendRefusedException e = assertThrows(AppendRefusedException.class,
                    () -> ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003"))));
            assertEquals(FindingCode.R22, e.code());
            assertTrue(e.getMessage().contains("by more than 2 minutes"), e.getMessage());
            assertEquals(head, ledger.head());

            // the default tolerance (10 minutes) lets the same record in
            ledger.append(cast.sign(policy(exam(), "policy-2")));
            ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));
        }
    }

    @Test
    void recordAppendedLaterThanThePolicyAllows_isStoredEvenUnderStrict_andReportedAsR23WithBothTimes() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 3);
        SetClock clock = new SetClock(Cast.T0.plusSeconds(40));
        Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis(), clock)) {
            ledger.append(cast.sign(policy(exam().withMode(Policy.Mode.STRICT).withRecordWithin(Duration.ofMinutes(60)), "policy-1")));
            clock.set(Cast.T0.plusSeconds(60 + 2 * 3600)); // the registration claims T0 + 1 min; appended 2 hours later
            Appended late = ledger.append(cast.sign(LedgerTest.register(cast)));
            assertEquals(List.of(FindingCode.R23), late.findings().stream().map(Finding::code).toList());
        }
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(java.util.Map.of(FindingCode.R23, 1L), report.counts(), report.summary());
        Finding f = report.findings(FindingCode.R23).get(0);
        assertEquals(2, f.seq());
        assertEquals(List.of(PersonId.of("P001"), PersonId.of("P003")), f.people());
        assertTrue(f.message().contains("2 hours later; the policy allows 60 minutes"), f.message());
        assertTrue(f.chinese().contains("晚2小时，超过政策允许的60分钟"), f.chinese());
        assertEquals("2021-06-01T02:01:00Z", f.actual());
        assertEquals("appended by 2021-06-01T01:01:00Z", f.expected());
    }

    @Test
    void lateHandoff_underRecord_namesItsBag_andOneWithinTheLimitIsClean() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 6);
        SetClock clock = new SetClock(Cast.T0.plusSeconds(40));
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis(), clock)) {
            ledger.append(cast.sign(policy(exam().withRecordWithin(Duration.ofMinutes(30)), "policy-1")));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            clock.set(Cast.T0.plusSeconds(3600 + 1800)); // the handoff claims T0 + 1 h: exactly 30 minutes later
            Appended onTime = ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            assertEquals(List.of(), onTime.findings().stream().filter(x -> x.code() == FindingCode.R23).toList());
            clock.set(Cast.T0.plusSeconds(3600 + 1801));
            Appended late = ledger.append(cast.sign(LedgerTest.handoff("h-2", onTime.hash(), "P002", "P001", "P003")));
            Finding f = late.findings().stream().filter(x -> x.code() == FindingCode.R23).findFirst().orElseThrow();
            assertEquals(List.of(LedgerTest.BAG), f.bags());
        }
    }

    @Test
    void appendTimeGoingBack_orMissingAfterStampedEntries_isI12() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 4);
        SetClock clock = new SetClock(Cast.T0.plusSeconds(7200));
        Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis(), clock)) {
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));
        }
        // someone with the file rewrites the last entry: appended an hour before the entry before it
        String body;
        try (Tamper t = Tamper.open(file)) {
            body = new String(t.body(2), StandardCharsets.UTF_8);
            t.setBody(2, body.replace("\"appended\":\"2021-06-01T02:00:00Z\"", "\"appended\":\"2021-06-01T01:00:00Z\"")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Finding back = onlyI12(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
        assertEquals(2, back.seq());
        assertTrue(back.message().contains("before entry 1 (2021-06-01T02:00:00Z)"), back.message());

        try (Tamper t = Tamper.open(file)) {
            t.setBody(2, body.replace("\"appended\":\"2021-06-01T02:00:00Z\",", "").getBytes(StandardCharsets.UTF_8));
        }
        Finding missing = onlyI12(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
        assertEquals(2, missing.seq());
        assertTrue(missing.message().contains("has no append time"), missing.message());
    }

    @Test
    void ledgerClockADayAhead_ofAnInspectorsCosignature_isI12AtTheCheckpointsLastEntry() {
        Suite suite = Suite.ED25519_SHA256;
        Cast cast = org.custody.testing.Chains.cast(suite);
        SigningKey logKey = SigningKey.generate(suite.signature(), Cast.seeded(99));
        Instant inspectorsTime = Cast.T0.plus(Duration.ofDays(2));
        SetClock ledgerClock = new SetClock(inspectorsTime);
        Path file = dir.resolve("l.db");
        try (Ledger ledger = Ledger.create(file, cast.genesis(), ledgerClock)) {
            ledger.append(LedgerCheckpointTest.enrolCheckpointKey(suite, logKey, "enrol-log-1"));
            Appended reg = ledger.append(cast.sign(LedgerTest.register(cast)));
            ledgerClock.set(inspectorsTime.plus(Duration.ofDays(1)));
            ledger.append(cast.sign(LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003")));
            ledger.signCheckpoint(logKey);
            try (Witness w = Witness.create(dir.resolve("w.state"), "inspector.example/P003", cast.key("P003"),
                    ledger.checkpointKeys(ledger.head().size()), Clock.fixed(inspectorsTime, ZoneOffset.UTC))) {
                ledger.cosignLatest(w);
            }
        }
        Finding f = onlyI12(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults()));
        assertEquals(3, f.seq());
        assertEquals(List.of(PersonId.of("P003")), f.people());
        assertTrue(f.message().contains("cosigned the checkpoint of size 4, which contains it, at 2021-06-03T00:00:00Z"), f.message());
    }

    /** The one I12 finding of {@code report} (other findings a tampered file has may come with it). */
    private static Finding onlyI12(AuditReport report) {
        List<Finding> found = report.findings(FindingCode.I12);
        assertEquals(1, found.size(), report.findings().toString());
        return found.get(0);
    }

    private static String schemaVersion(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM custody_meta WHERE name = 'schema_version'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
