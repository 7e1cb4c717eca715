package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Suite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.BagId;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;

/**
 * The custody rules' state kept in the ledger file (schema 4, docs/formats.md §7): a ledger closed and opened again
 * between any two batches judges every record exactly as one that stayed open, without replaying its entries, and
 * the state it keeps is what a verification recomputes from the entries; any change to it is an I11 finding.
 */
class RuleStateTest {

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 30);
    }

    @Provide
    Arbitrary<List<Integer>> splits() {
        return Arbitraries.integers().between(1, 6).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 40)
    void reopenedBetweenBatches_judgesAsOneThatStayedOpen_andKeepsWhatVerificationRecomputes(
            @ForAll("chains") Chain chain, @ForAll("splits") List<Integer> splits) {
        try (Scratch scratch = new Scratch()) {
            List<List<SignedRecord>> batches = batches(chain.afterGenesis(), splits);
            Path stayed = scratch.file("stayed.db");
            Path reopened = scratch.file("reopened.db");
            List<Appended> judgedOpen = new ArrayList<>();
            List<List<BagId>> contentsOpen = new ArrayList<>();
            java.util.Map<BagId, org.custody.rules.BagPosition> positionsOpen = new java.util.HashMap<>();
            try (Ledger ledger = Ledger.create(stayed, chain.records().get(0), Chains.CLOCK)) {
                for (List<SignedRecord> batch : batches) {
                    judgedOpen.addAll(ledger.appendAll(batch));
                }
                chain.bagEntries().keySet().stream().sorted(java.util.Comparator.comparing(BagId::value))
                        .forEach(bag -> contentsOpen.add(ledger.contents(bag)));
                positionsOpen.putAll(ledger.positions());
            }
            List<Appended> judgedReopened = new ArrayList<>();
            Ledger.create(reopened, chain.records().get(0), Chains.CLOCK).close(); // the genesis alone
            for (List<SignedRecord> batch : batches) {
                try (Ledger ledger = Ledger.open(reopened, Chains.CLOCK)) {
                    judgedReopened.addAll(ledger.appendAll(batch));
                }
            }
            List<List<BagId>> contentsReopened = new ArrayList<>();
            try (Ledger ledger = Ledger.open(reopened, Chains.CLOCK)) {
                chain.bagEntries().keySet().stream().sorted(java.util.Comparator.comparing(BagId::value))
                        .forEach(bag -> contentsReopened.add(ledger.contents(bag)));
                assertEquals(positionsOpen, ledger.positions(), "where every bag stands");
                for (var p : ledger.positions().values()) {
                    assertEquals(ledger.history(p.id()).get(ledger.history(p.id()).size() - 1).seq(), p.lastSeq(), p.id().value());
                }
            }
            assertEquals(judgedOpen, judgedReopened, "the findings of every record");
            assertKeptFindingsAreTheRules(reopened, chain);
            assertEquals(contentsOpen, contentsReopened, "what every box holds");
            AuditReport report = LedgerVerifier.verify(reopened, LedgerVerifier.Options.defaults());
            assertEquals(List.of(), Integrity.findings(report), report.summary());
            assertEquals(ruleFindings(LedgerVerifier.verify(stayed, LedgerVerifier.Options.defaults())), ruleFindings(report));
        }
    }

    @Test
    void everyChangeToTheKeptState_isAnI11Finding_andAnUntouchedOneVerifiesClean() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            Chain chain = writeLongChain(file);
            assertEquals(List.of(), Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults())));
            assertTrue(count(file, "SELECT count(*) FROM findings") > 3, "the chain breaks rules: it has findings to keep");
            byte[] original = java.nio.file.Files.readAllBytes(file);
            List<String> tampering = List.of(
                    "UPDATE rule_state SET value = CAST(replace(CAST(value AS TEXT), '\"lastSeq\":', '\"lastSeq\":9') AS BLOB)"
                            + " WHERE kind = 'bag' AND key = (SELECT min(key) FROM rule_state WHERE kind = 'bag')",
                    "UPDATE rule_state SET grp = 'ELSEWHERE' WHERE kind = 'bag' AND key = (SELECT min(key) FROM rule_state WHERE kind = 'bag')",
                    "DELETE FROM rule_state WHERE kind = 'person' AND key = (SELECT max(key) FROM rule_state WHERE kind = 'person')",
                    "INSERT INTO rule_state (kind, key, grp, value) VALUES ('exam', 'NOT-AN-EXAM', NULL, CAST('{}' AS BLOB))",
                    "UPDATE rule_state SET value = CAST('{\"latest\":\"2001-01-01T00:00:00Z\"}' AS BLOB) WHERE kind = 'ledger'",
                    "UPDATE rule_state_at SET size = size - 1",
                    "UPDATE findings SET body = CAST(replace(CAST(body AS TEXT), '\"R', '\"R1') AS BLOB) WHERE seq = (SELECT max(seq) FROM findings)",
                    "DELETE FROM findings WHERE seq = (SELECT min(seq) FROM findings)",
                    "DELETE FROM finding_bags WHERE seq = (SELECT max(seq) FROM finding_bags)",
                    "INSERT INTO finding_bags (seq, n, bag) SELECT seq, n, 'SOMEWHERE-ELSE' FROM findings LIMIT 1",
                    "INSERT INTO findings (seq, n, code, body) VALUES (1, 99, 'R01', CAST('{}' AS BLOB))",
                    "DELETE FROM rule_state_at",
                    "DROP TABLE finding_bags",
                    "DROP TABLE rule_state_at");
            for (String change : tampering) {
                java.nio.file.Files.write(file, original);
                java.nio.file.Files.deleteIfExists(Path.of(file + "-wal"));
                java.nio.file.Files.deleteIfExists(Path.of(file + "-shm"));
                sql(file, change);
                AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
                List<Finding> found = Integrity.findings(report);
                assertTrue(!found.isEmpty() && found.stream().allMatch(f -> f.code() == FindingCode.I11), change + ": " + found);
            }
        }
    }

    @Test
    void openingAndAppending_replaysNoEntry_butAFileWithoutAKeptStateIsReplayedAndChecked() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            Chain chain = writeLongChain(file);
            // an entry nobody reads when appending a new bag: a replay would have to decode it
            sql(file, "UPDATE entries SET body = CAST('not a record' AS BLOB) WHERE seq = 1");
            List<SignedRecord> more = LedgerCheckpointTest.registrations(Suite.ED25519_SHA256, "STATE", 2);
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                assertEquals(chain.size(), ledger.append(more.get(0)).seq());
            }
            sql(file, "DELETE FROM rule_state_at");
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                long before = ledger.head().size();
                LedgerStoreException refused = assertThrows(LedgerStoreException.class, () -> ledger.append(more.get(1)));
                assertTrue(refused.getMessage().contains("damaged"), refused.getMessage());
                assertEquals(before, ledger.head().size());
            }
        }
    }

    @Test
    void aFileWithoutAKeptState_isGivenAllOfItWhenOpened() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            Chain chain = writeLongChain(file);
            long rows = count(file, "SELECT count(*) FROM rule_state");
            long findings = count(file, "SELECT count(*) FROM findings");
            sql(file, "DELETE FROM rule_state");
            sql(file, "DELETE FROM rule_state_at");
            sql(file, "DELETE FROM findings");
            sql(file, "DELETE FROM finding_bags");
            assertEquals(List.of(), Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults())),
                    "no state kept is no finding (a file just upgraded to schema 4)");
            Ledger.open(file, Chains.CLOCK).close();
            assertEquals(rows, count(file, "SELECT count(*) FROM rule_state"), "opening it wrote every row again");
            assertEquals(chain.size(), count(file, "SELECT size FROM rule_state_at"));
            assertTrue(findings > 0 && count(file, "SELECT count(*) FROM findings") == findings, "and every entry's findings");
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                ledger.append(LedgerCheckpointTest.registrations(Suite.ED25519_SHA256, "STATE", 1).get(0));
            }
            assertEquals(rows + 1, count(file, "SELECT count(*) FROM rule_state"), "every row, and the new bag's");
            assertEquals(chain.size() + 1, count(file, "SELECT size FROM rule_state_at"));
            assertEquals(List.of(), Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults())));
        }
    }

    /**
     * Every bag's kept findings ({@link Ledger#findings}) are exactly what the rules make of its entries, each judged at
     * its append time: those naming the bag, and those naming no bag on an entry that names it.
     */
    private static void assertKeptFindingsAreTheRules(Path file, Chain chain) {
        try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
            org.custody.rules.RuleEngine rules = new org.custody.rules.RuleEngine();
            java.util.Map<org.custody.crypto.Hash, List<org.custody.model.PersonId>> signers = new java.util.HashMap<>();
            rules.signersFrom(h -> java.util.Optional.ofNullable(signers.get(h))); // a correction's corrected entry
            java.util.Map<BagId, List<Finding>> expected = new java.util.HashMap<>();
            for (long seq = 0; seq < ledger.head().size(); seq++) {
                org.custody.record.Entry entry = ledger.entry(seq).orElseThrow();
                org.custody.crypto.Hash hash = entry.hash(Suite.ED25519_SHA256.hash());
                for (Finding f : rules.checkAndApply(seq, hash, entry.record(), entry.appended().orElse(null))) {
                    List<BagId> under = f.bags().isEmpty() ? org.custody.ledger.gate.Bags.named(entry.record()) : f.bags();
                    new java.util.LinkedHashSet<>(under).forEach(bag -> expected.computeIfAbsent(bag, b -> new ArrayList<>()).add(f));
                }
                signers.put(hash, entry.record().parties());
            }
            for (BagId bag : chain.bagEntries().keySet()) {
                assertEquals(expected.getOrDefault(bag, List.of()), ledger.findings(bag).orElseThrow(), "findings kept for " + bag);
            }
        }
    }

    /** {@link #longChain}, written to a new ledger at {@code file}. */
    private static Chain writeLongChain(Path file) {
        Chain chain = longChain();
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
        }
        return chain;
    }

    /** A chain long enough to hold bags, boxes, vaults and several people. */
    private static Chain longChain() {
        List<Chains.Op> ops = new ArrayList<>();
        java.util.Random random = new java.util.Random(15);
        Chains.Kind[] kinds = {Chains.Kind.REGISTER, Chains.Kind.HANDOFF, Chains.Kind.HANDOFF, Chains.Kind.HANDOFF,
                Chains.Kind.INCIDENT, Chains.Kind.ENROL};
        for (int i = 0; i < 60; i++) {
            ops.add(new Chains.Op(kinds[random.nextInt(kinds.length)], random.nextLong()));
        }
        return Chains.build(Suite.ED25519_SHA256, ops);
    }

    private static List<List<SignedRecord>> batches(List<SignedRecord> records, List<Integer> splits) {
        List<List<SignedRecord>> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; from < records.size(); i++) {
            int to = Math.min(records.size(), from + splits.get(i % splits.size()));
            out.add(records.subList(from, to));
            from = to;
        }
        return out;
    }

    private static List<String> ruleFindings(AuditReport report) {
        return report.findings().stream().filter(f -> f.code().name().startsWith("R")).map(Finding::toString).toList();
    }

    private static void sql(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static long count(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
