package org.custody.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Chains.Kind;
import org.custody.testing.Chains.Op;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.custody.testing.Tamper;
import org.junit.jupiter.api.Test;

/**
 * Verifying since a kept verification state ({@code LedgerVerifier.Options.since}, docs/formats.md §6.4, §14): for any
 * valid chain split anywhere, it finds exactly what a full verification finds for the entries after the split, and
 * leaves the very state a full verification leaves; an old entry changed, a new one changed, a kept row the new entries
 * change, a rewritten or forked history are each found.
 */
class IncrementalVerifyTest {
    private static final Suite SUITE = Suite.ED25519_SHA256;

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(SUITE, 40);
    }

    @Property(tries = 40)
    void sinceAKeptState_findsWhatAFullVerificationFindsAfterIt_andLeavesTheSameState(
            @ForAll("chains") Chain chain, @ForAll @IntRange(min = 0, max = 10_000) int cut) throws Exception {
        int kept = 1 + cut % chain.size(); // entries the kept state covers: the genesis at least, at most all
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            VerificationState state = writeAndKeep(file, chain, kept, scratch.file("kept.state"));
            VerificationState[] afterFull = {null};
            VerificationState[] afterSince = {null};
            AuditReport full = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().keepingState(s -> afterFull[0] = s));
            AuditReport since = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().since(state)
                    .keepingState(s -> afterSince[0] = s));

            assertEquals(from(full, kept), from(since, kept), "the findings of the entries after the kept state");
            for (Finding f : since.findings()) {
                assertTrue(f.seq() >= kept || full.findings().contains(f), "an earlier entry named only as a full verification does: " + f);
            }
            assertEquals(full.intact(), since.intact(), Integrity.findings(since).toString());
            assertEquals(full.entries(), since.entries());
            assertEquals(full.head(), since.head());
            assertEquals(full.asOf(), since.asOf());
            assertNotNull(since.coverage());
            assertEquals(kept, since.coverage().from());
            assertEquals(chain.size(), since.coverage().to());
            assertEquals(state.digest().hex(), since.coverage().stateDigest());
            assertEquals(null, full.coverage());
            if (full.intact()) {
                assertEquals(afterFull[0].digest(), afterSince[0].digest(), "the state a full verification leaves");
            }
        }
    }

    /** Writes the chain's first {@code kept} entries, verifies them keeping the state in {@code stateFile}, appends the rest. */
    private static VerificationState writeAndKeep(Path file, Chain chain, int kept, Path stateFile) throws Exception {
        List<SignedRecord> records = chain.records();
        try (Ledger ledger = Ledger.create(file, records.get(0), Chains.CLOCK)) {
            if (kept > 1) {
                ledger.appendAll(records.subList(1, kept));
            }
        }
        VerificationState[] state = {null};
        AuditReport first = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().keepingState(s -> state[0] = s));
        assertTrue(first.intact(), Integrity.findings(first).toString());
        state[0].write(stateFile);
        VerificationState read = VerificationState.read(stateFile);
        assertEquals(state[0].digest(), read.digest(), "read back as written");
        assertEquals(kept, read.size());
        if (kept < records.size()) {
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                ledger.appendAll(records.subList(kept, records.size()));
            }
        }
        return read;
    }

    private static List<Finding> from(AuditReport report, long position) {
        return report.findings().stream().filter(f -> f.seq() >= position).toList();
    }

    /** A chain of every kind of record, the same every time. */
    private static Chain fixedChain(long seed, int ops) {
        Kind[] kinds = {Kind.REGISTER, Kind.HANDOFF, Kind.HANDOFF, Kind.REGISTER, Kind.HANDOFF, Kind.INCIDENT, Kind.ENROL,
                Kind.HANDOFF, Kind.REVOKE, Kind.HANDOFF};
        List<Op> list = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            list.add(new Op(kinds[i % kinds.length], seed * 1000 + i));
        }
        return Chains.build(SUITE, list);
    }

    private record Split(Path file, Chain chain, int kept, VerificationState state) {}

    private static Split split(Scratch scratch, String name) throws Exception {
        Chain chain = fixedChain(7, 60);
        int kept = 30;
        Path file = scratch.file(name);
        return new Split(file, chain, kept, writeAndKeep(file, chain, kept, scratch.file(name + ".state")));
    }

    private static AuditReport since(Split split) {
        return LedgerVerifier.verify(split.file(), LedgerVerifier.Options.defaults().since(split.state()));
    }

    private static byte[] changedNote(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int at = text.indexOf("\"sig\":\"") + 7 + 20;
        char c = text.charAt(at);
        return (text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEntryBeforeTheKeptState_changed_isI09_thoughItsSignatureIsNotCheckedAgain() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Split split = split(scratch, "old.db");
            try (Tamper t = Tamper.open(split.file())) {
                t.setBody(10, changedNote(t.body(10)));
            }
            AuditReport since = since(split);
            assertEquals(List.of(), since.findings(FindingCode.I03), "an old signature is not checked again");
            assertEquals(1, since.findings(FindingCode.I09).size(), since.findings().toString());
            assertEquals(split.kept() - 1, since.findings(FindingCode.I09).get(0).seq());
            assertEquals(AuditReport.EXIT_INTEGRITY, since.exitStatus());
            assertTrue(LedgerVerifier.verify(split.file(), LedgerVerifier.Options.defaults()).findings(FindingCode.I03).stream()
                    .anyMatch(f -> f.seq() == 10), "a full verification names the forged signature: it stays the reference");
        }
    }

    @Test
    void anEntryAfterTheKeptState_changed_isFound_asAFullVerificationFindsIt() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Split split = split(scratch, "new.db");
            long changed = split.kept() + 5;
            try (Tamper t = Tamper.open(split.file())) {
                t.setBody(changed, changedNote(t.body(changed)));
            }
            AuditReport since = since(split);
            assertTrue(since.findings(FindingCode.I03).stream().anyMatch(f -> f.seq() == changed), since.findings().toString());
            assertEquals(from(LedgerVerifier.verify(split.file(), LedgerVerifier.Options.defaults()), split.kept()), from(since, split.kept()));
            VerificationState[] kept = {null};
            LedgerVerifier.verify(split.file(), LedgerVerifier.Options.defaults().since(split.state()).keepingState(s -> kept[0] = s));
            assertEquals(null, kept[0], "no state is kept from entries that are not intact");
        }
    }

    @Test
    void aKeptRowTheNewEntriesChange_altered_isI11() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Split split = split(scratch, "row.db");
            String bag = split.chain().bagEntries().entrySet().stream()
                    .filter(e -> e.getValue().get(0) < split.kept() && e.getValue().get(e.getValue().size() - 1) >= split.kept())
                    .map(e -> e.getKey().value()).sorted().findFirst().orElseThrow();
            sql(split.file(), "UPDATE rule_state SET value = CAST(replace(CAST(value AS TEXT), '\"lastSeq\":', '\"lastSeq\":9') AS BLOB)"
                    + " WHERE kind = 'bag' AND key = '" + bag + "'");
            AuditReport since = since(split);
            assertTrue(since.findings(FindingCode.I11).stream().anyMatch(f -> f.message().contains(bag)), since.findings().toString());

            sql(split.file(), "UPDATE bag_heads SET seq = 1 WHERE bag = '" + bag + "'");
            assertTrue(since(split).findings(FindingCode.I11).stream().anyMatch(f -> f.message().contains("head of bag " + bag)));
        }
    }

    @Test
    void theKeptStateFile_changed_isRefused_andAStateOfAnotherLedger_too() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Split split = split(scratch, "file.db");
            Path stateFile = scratch.file("file.db.state");
            List<String> lines = Files.readAllLines(stateFile);
            int rule = 0;
            while (!lines.get(rule).startsWith("[\"rule\"")) {
                rule++;
            }
            List<String> changed = new ArrayList<>(lines);
            assertTrue(lines.get(rule).contains("\\\"lastSeq\\\":"), lines.get(rule));
            changed.set(rule, lines.get(rule).replace("\\\"lastSeq\\\":", "\\\"lastSeq\\\":9"));
            Files.write(stateFile, changed);
            MalformedInputException refused = assertThrows(MalformedInputException.class, () -> VerificationState.read(stateFile));
            assertTrue(refused.getMessage().contains("changed or damaged"), refused.getMessage());

            Files.write(stateFile, lines.subList(0, lines.size() - 1));
            assertTrue(assertThrows(MalformedInputException.class, () -> VerificationState.read(stateFile)).getMessage()
                    .contains("cut short"));

            Chain other = Chains.build(Suite.SM2_SM3, List.of(new Op(Kind.REGISTER, 1)));
            Path otherFile = scratch.file("other.db");
            try (Ledger ledger = Ledger.create(otherFile, other.records().get(0), Chains.CLOCK)) {
                ledger.appendAll(other.afterGenesis());
            }
            MalformedInputException another = assertThrows(MalformedInputException.class,
                    () -> LedgerVerifier.verify(otherFile, LedgerVerifier.Options.defaults().since(split.state())));
            assertTrue(another.getMessage().contains("is of the ledger"), another.getMessage());
        }
    }

    @Test
    void aRewrittenOrForkedHistory_isI09() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Split split = split(scratch, "fork.db");
            // the same genesis and first 20 entries, then other records: a fork that is as long and as valid
            Chain fork = Chains.build(SUITE, forkOps());
            assertEquals(split.chain().hashes().subList(0, 20), fork.hashes().subList(0, 20), "a common beginning");
            Path forked = scratch.file("forked.db");
            try (Ledger ledger = Ledger.create(forked, fork.records().get(0), Chains.CLOCK)) {
                ledger.appendAll(fork.afterGenesis());
            }
            AuditReport onFork = LedgerVerifier.verify(forked, LedgerVerifier.Options.defaults().since(split.state()));
            assertTrue(LedgerVerifier.verify(forked, LedgerVerifier.Options.defaults()).intact(), "the fork is valid on its own");
            assertEquals(1, onFork.findings(FindingCode.I09).size(), onFork.findings().toString());
            assertFalse(onFork.intact());

            try (Tamper t = Tamper.open(split.file())) {
                t.deleteFrom(split.kept() - 3);
            }
            AuditReport truncated = since(split);
            assertTrue(truncated.findings(FindingCode.I09).stream().anyMatch(f -> f.message().contains("truncated")), truncated.findings().toString());
        }
    }

    private static List<Op> forkOps() {
        Chain original = fixedChain(7, 60);
        List<Op> ops = new ArrayList<>();
        Kind[] kinds = {Kind.REGISTER, Kind.HANDOFF, Kind.HANDOFF, Kind.REGISTER, Kind.HANDOFF, Kind.INCIDENT, Kind.ENROL,
                Kind.HANDOFF, Kind.REVOKE, Kind.HANDOFF};
        for (int i = 0; i < 60; i++) {
            ops.add(new Op(kinds[i % kinds.length], (i < 19 ? 7 : 8) * 1000L + i));
        }
        assertEquals(61, original.size());
        return ops;
    }

    @Test
    void aBundle_isVerifiedSinceAKeptStateAsItsFileIs() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Split split = split(scratch, "bundle.db");
            Path bundle = scratch.file("ledger.bundle");
            try (var out = Files.newOutputStream(bundle)) {
                org.custody.ledger.bundle.Bundle.export(split.file(), out);
            }
            AuditReport file = since(split);
            AuditReport fromBundle = org.custody.ledger.bundle.Bundle.verify(bundle,
                    LedgerVerifier.Options.defaults().since(split.state()), null);
            assertEquals(file.findings(), fromBundle.findings());
            assertEquals(file.coverage(), fromBundle.coverage());
        }
    }

    @Test
    void aRevocationSinceTheKeptState_reachingBackBeforeIt_isNamedInTheCoverage_forAFullVerificationToList() throws Exception {
        org.custody.crypto.SigningKey a = org.custody.crypto.SigningKey.generate(org.custody.crypto.SignatureAlgorithm.ED25519);
        org.custody.crypto.SigningKey b = org.custody.crypto.SigningKey.generate(org.custody.crypto.SignatureAlgorithm.ED25519);
        org.custody.model.LedgerId id = org.custody.model.LedgerId.of("REACH");
        java.time.Instant t = java.time.Instant.parse("2021-06-09T00:30:00Z");
        org.custody.model.Person pa = org.custody.model.Person.of("P001", "A", org.custody.model.Role.CONFIDENTIALITY_OFFICER);
        org.custody.model.Person pb = org.custody.model.Person.of("P002", "B", org.custody.model.Role.DISCIPLINE_INSPECTOR);
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("reach.db");
            org.custody.record.Genesis genesis = new org.custody.record.Genesis(org.custody.model.RecordId.of("g"), id, t, SUITE,
                    List.of(new org.custody.record.Founder(pa, a.publicKey()), new org.custody.record.Founder(pb, b.publicKey())));
            try (Ledger ledger = Ledger.create(file, SignedRecord.unsigned(genesis).signedBy(a).signedBy(b))) {
                for (int i = 0; i < 5; i++) {
                    ledger.append(SignedRecord.unsigned(new org.custody.record.Registration(org.custody.model.RecordId.of("r" + i), id,
                            t.plusSeconds(60 + i), List.of(org.custody.model.Bag.papers(org.custody.model.BagId.of("B" + i),
                                    org.custody.model.BagKind.QUESTION_PAPER, "HN", "K01", "01", "S1", "ENG", "A", 30,
                                    org.custody.model.Secrecy.CONFIDENTIAL)), List.of(pa.id()))).signedBy(a));
                }
            }
            VerificationState[] kept = {null};
            assertTrue(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().keepingState(s -> kept[0] = s)).intact());
            java.time.Instant effective = t.plusSeconds(62); // A's key was lost before the last three registrations
            try (Ledger ledger = Ledger.open(file)) {
                ledger.append(SignedRecord.unsigned(new org.custody.record.Revocation(org.custody.model.RecordId.of("rv"), id,
                        t.plusSeconds(600), a.publicKey().id(), effective, "lost", List.of(pb.id()))).signedBy(b));
            }
            AuditReport full = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            AuditReport since = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().since(kept[0]));
            assertEquals(List.of(3L, 4L, 5L), full.findings(FindingCode.R18).stream().map(Finding::seq).toList(), full.findings().toString());
            assertEquals(List.of(), since.findings(FindingCode.R18), "an incremental verification does not read them again");
            assertEquals(List.of(new org.custody.audit.Coverage.ReachBack(6, a.publicKey().id().hex(), effective)),
                    since.coverage().reachesBack());
            assertTrue(org.custody.audit.ReportWriter.text(since, java.time.ZoneOffset.UTC).contains("entry 6 revokes key "
                    + a.publicKey().id().hex() + " from 2021-06-09 00:31"), org.custody.audit.ReportWriter.text(since, java.time.ZoneOffset.UTC));
            assertEquals(from(full, 6), from(since, 6));
        }
    }

    private static void sql(Path file, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}
