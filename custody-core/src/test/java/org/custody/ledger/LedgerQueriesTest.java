package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.gate.Gate;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.rules.BagPosition;
import org.custody.rules.RuleEngine;
import org.custody.store.BagIndex;
import org.custody.store.BagQuery;
import org.custody.testing.Chains;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;

/**
 * Questions answered from the store's indexes (schema 5, docs/formats.md §7.3): a person's entries, the entries of a
 * seal or place, the bags of a site, room, session or stage, the overdue bags, the findings of a code. Each must give
 * exactly what a pass over the whole ledger gives, page by page; the indexes are what a verification recomputes, and
 * any change to them is an I11 finding.
 */
class LedgerQueriesTest {

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 40);
    }

    @Property(tries = 30)
    void everyQuestion_answersWhatAPassOverTheLedgerAnswers(@ForAll("chains") Chain chain) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                ledger.appendAll(chain.afterGenesis());
            }
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                assertAnswersArePasses(ledger);
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertEquals(List.of(), Integrity.findings(report), report.summary());
        }
    }

    @Test
    void everyChangeToTheQueryTables_isAnI11Finding() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            writeChain(file, 17);
            assertEquals(List.of(), Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults())));
            assertTrue(count(file, "SELECT count(*) FROM bag_index") > 3);
            assertTrue(count(file, "SELECT count(*) FROM entry_terms WHERE term LIKE 'person:%'") > 10);
            byte[] original = Files.readAllBytes(file);
            List<String> tampering = List.of(
                    "UPDATE bag_index SET stage = 'grading', step = 'grading_out' WHERE bag = (SELECT min(bag) FROM bag_index)",
                    "UPDATE bag_index SET holder = 'SOMEONE-ELSE' WHERE bag = (SELECT max(bag) FROM bag_index)",
                    "UPDATE bag_index SET deadlines = NULL WHERE deadlines IS NOT NULL",
                    "UPDATE bag_index SET deadlines = 'R10' WHERE bag = (SELECT min(bag) FROM bag_index WHERE deadlines IS NULL)",
                    "DELETE FROM bag_index WHERE bag = (SELECT min(bag) FROM bag_index)",
                    "INSERT INTO bag_index (bag, exam, kind, last_seq) VALUES ('NOBODY-REGISTERED-ME', 'X', 'question_paper', 1)",
                    "DELETE FROM entry_terms WHERE (seq, term) = (SELECT seq, term FROM entry_terms WHERE term LIKE 'person:%' LIMIT 1)",
                    "INSERT INTO entry_terms (seq, term) VALUES (2, 'person:HIDDEN')",
                    "INSERT INTO entry_terms (seq, term) VALUES (99999, 'seal:FAR-AWAY')",
                    "UPDATE entry_terms SET term = 'seal:FORGED' WHERE (seq, term) = (SELECT seq, term FROM entry_terms WHERE term LIKE 'seal:%' LIMIT 1)",
                    // the counts reconciliation shows, kept in the bags' rows of the rules' state (formats.md §7.1)
                    "UPDATE rule_state SET value = CAST(replace(CAST(value AS TEXT), '\"seq\":', '\"seq\":9') AS BLOB)"
                            + " WHERE kind = 'bag' AND key = (SELECT min(key) FROM rule_state WHERE kind = 'bag'"
                            + " AND CAST(value AS TEXT) LIKE '%\"counts\":%')",
                    "DROP TABLE entry_terms");
            int applied = 0;
            for (String change : tampering) {
                Files.write(file, original);
                Files.deleteIfExists(Path.of(file + "-wal"));
                Files.deleteIfExists(Path.of(file + "-shm"));
                int changed = sql(file, change);
                if (!change.startsWith("DROP") && changed == 0) {
                    continue; // the chain has no such row (e.g. no bag a time limit runs for)
                }
                applied++;
                AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
                List<Finding> found = Integrity.findings(report);
                assertTrue(!found.isEmpty() && found.stream().allMatch(f -> f.code() == FindingCode.I11), change + ": " + found);
            }
            assertTrue(applied >= tampering.size() - 2, "most changes found a row to change: " + applied);
        }
    }

    @Test
    void aSchema4File_isGivenItsQueryTablesWhenOpened_andAnswersAsANewOne() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            Path fresh = scratch.file("fresh.db");
            Chain chain = writeChain(file, 23);
            writeChain(fresh, 23);
            long terms = count(file, "SELECT count(*) FROM entry_terms");
            long bags = count(file, "SELECT count(*) FROM bag_index");
            // as Custody with schema 4 left it: no query tables, its rules' state of version 1
            for (String table : List.of("bag_index", "entry_terms", "checkpoint_timestamps")) {
                sql(file, "DROP TABLE " + table);
            }
            sql(file, "DROP INDEX findings_by_code");
            sql(file, "UPDATE custody_meta SET value = '4' WHERE name = 'schema_version'");
            sql(file, "UPDATE rule_state_at SET version = 1");
            assertEquals(List.of(), Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults())),
                    "a schema 4 file has no query tables to check");
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK); Ledger other = Ledger.open(fresh, Chains.CLOCK)) {
                assertEquals(other.bags(BagQuery.ALL, null, 1000), ledger.bags(BagQuery.ALL, null, 1000));
                assertAnswersArePasses(ledger);
            }
            assertEquals(org.custody.ledger.sqlite.Schema.VERSION, count(file, "SELECT value FROM custody_meta WHERE name = 'schema_version'"));
            assertEquals(terms, count(file, "SELECT count(*) FROM entry_terms"));
            assertEquals(bags, count(file, "SELECT count(*) FROM bag_index"));
            assertEquals(chain.size(), count(file, "SELECT size FROM rule_state_at WHERE version = " + RuleEngine.STATE_VERSION));
            assertEquals(List.of(), Integrity.findings(LedgerVerifier.verify(file, LedgerVerifier.Options.defaults())));
        }
    }

    @Test
    void badPagesAndCursors_areRefusedWithAClearMessage() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            writeChain(file, 5);
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                PersonId someone = PersonId.of("P-1");
                for (int limit : new int[] {0, -1, Page.MAX_LIMIT + 1}) {
                    MalformedInputException e = assertThrows(MalformedInputException.class, () -> ledger.entriesOf(someone, null, limit));
                    assertTrue(e.getMessage().contains("每页条数"), e.getMessage());
                }
                assertThrows(MalformedInputException.class, () -> ledger.entriesOf(someone, "twelve", 10));
                assertThrows(MalformedInputException.class, () -> ledger.findings(null, "3", 10));
                assertThrows(MalformedInputException.class, () -> ledger.findings(null, "3:x", 10));
                assertThrows(MalformedInputException.class, () -> ledger.bags(BagQuery.ALL, "not a bag id!", 10));
            }
            sql(file, "DELETE FROM rule_state_at");
            // opened read-only by the verifier's rules it would be rebuilt; a file whose state cannot be rebuilt says so
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                assertFalse(ledger.bags(BagQuery.ALL, null, 10).items().isEmpty(), "opening rebuilt the state");
            }
        }
    }

    /** Every question the ledger answers from an index, against a pass over all of its entries and bags. */
    static void assertAnswersArePasses(Ledger ledger) {
        List<Entry> entries = new ArrayList<>();
        for (long seq = 0; seq < ledger.head().size(); seq++) {
            entries.add(ledger.entry(seq).orElseThrow());
        }
        TreeSet<String> people = new TreeSet<>();
        TreeSet<String> seals = new TreeSet<>();
        TreeSet<String> places = new TreeSet<>();
        for (Entry e : entries) {
            e.record().parties().forEach(p -> people.add(p.value()));
            List<BagMove> moves = e.record() instanceof Handoff h ? h.bags() : e.record() instanceof Incident i ? i.bags() : List.of();
            moves.stream().filter(m -> m.seal() != null).forEach(m -> seals.add(m.seal()));
            if (e.record() instanceof Handoff h && h.place() != null) {
                places.add(h.place().id());
            } else if (e.record() instanceof Incident i && i.place() != null) {
                places.add(i.place().id());
            }
        }
        for (String person : people) {
            assertEquals(seqs(entries.stream().filter(e -> e.record().parties().contains(PersonId.of(person))).toList()),
                    seqs(all((after, limit) -> ledger.entriesOf(PersonId.of(person), after, limit))), "entries of " + person);
        }
        for (String seal : seals) {
            assertEquals(seqs(entries.stream().filter(e -> moves(e).stream().anyMatch(m -> seal.equals(m.seal()))).toList()),
                    seqs(all((after, limit) -> ledger.entriesWithSeal(seal, after, limit))), "entries of seal " + seal);
        }
        for (String place : places) {
            assertEquals(seqs(entries.stream().filter(e -> place.equals(placeOf(e))).toList()),
                    seqs(all((after, limit) -> ledger.entriesAt(place, after, limit))), "entries at " + place);
        }
        assertEquals(List.of(), ledger.entriesOf(PersonId.of("NOBODY"), null, 5).items());

        Map<String, BagPosition> positions = new TreeMap<>();
        ledger.positions().forEach((id, p) -> positions.put(id.value(), p));
        assertEquals(List.copyOf(positions.values()), all((after, limit) -> ledger.bags(BagQuery.ALL, after, limit)));
        List<BagQuery> queries = new ArrayList<>();
        for (BagPosition p : positions.values()) {
            BagIndex row = Gate.bagIndex(p);
            queries.add(new BagQuery(row.exam(), null, row.site(), null, null, null, null, null, null));
            queries.add(new BagQuery(null, null, row.site(), row.room(), null, null, null, null, null));
            queries.add(new BagQuery(row.exam(), null, null, null, row.session(), row.subject(), null, null, null));
            queries.add(new BagQuery(null, row.kind(), null, null, null, null,
                    row.stage() == null ? BagQuery.REGISTERED : row.stage(), null, null));
            queries.add(new BagQuery(null, null, null, null, null, null, null,
                    row.step() == null ? BagQuery.REGISTERED : row.step(), row.holder()));
        }
        for (BagQuery q : queries) {
            List<BagPosition> expected = positions.values().stream().filter(p -> q.matches(Gate.bagIndex(p))).toList();
            assertEquals(expected, all((after, limit) -> ledger.bags(q, after, limit)), q.toString());
            Map<String, Long> steps = new TreeMap<>();
            expected.forEach(p -> steps.merge(p.step() == null ? BagQuery.REGISTERED : p.step().wire(), 1L, Long::sum));
            assertEquals(steps, ledger.stepCounts(q), q.toString());
            for (List<String> by : GROUPINGS) {
                assertEquals(grouped(expected, by), ledger.bagCounts(q, by), q + " by " + by);
            }
        }
        for (List<String> by : GROUPINGS) {
            assertEquals(grouped(List.copyOf(positions.values()), by), ledger.bagCounts(BagQuery.ALL, by), "every bag by " + by);
        }
        // the counts reconciliation lays side by side, kept in the rules' state: the last count of each step, by a pass
        Map<String, Map<org.custody.model.Step, org.custody.rules.BagCounts.Counted>> counted = new TreeMap<>();
        Map<String, Integer> attendance = new TreeMap<>();
        for (Entry e : entries) {
            if (e.record() instanceof Handoff h) {
                for (BagMove m : h.bags()) {
                    if (m.count() != null) {
                        counted.computeIfAbsent(m.bag().value(), k -> new java.util.EnumMap<>(org.custody.model.Step.class))
                                .put(h.step(), new org.custody.rules.BagCounts.Counted(m.count(), e.seq()));
                    }
                    if (h.step() == org.custody.model.Step.COLLECT && m.present() != null) {
                        attendance.put(m.bag().value(), m.present() + (m.absent() == null ? 0 : m.absent()));
                    }
                }
            }
        }
        for (BagPosition p : positions.values()) {
            assertEquals(java.util.Optional.of(new org.custody.rules.BagCounts(p.bag(),
                            counted.getOrDefault(p.id().value(), Map.of()), attendance.get(p.id().value()))),
                    ledger.counts(p.id()), "counts of " + p.id());
        }
        assertEquals(java.util.Optional.empty(), ledger.counts(org.custody.model.BagId.of("NOBODY-REGISTERED-ME")));
        assertThrows(IllegalArgumentException.class, () -> ledger.bagCounts(BagQuery.ALL, List.of()));
        assertThrows(IllegalArgumentException.class, () -> ledger.bagCounts(BagQuery.ALL, List.of("site", "site")));
        assertThrows(IllegalArgumentException.class, () -> ledger.bagCounts(BagQuery.ALL, List.of("bag; DROP TABLE bag_index")));

        RuleEngine replayed = new RuleEngine();
        List<Finding> made = new ArrayList<>();
        Map<org.custody.crypto.Hash, List<PersonId>> signers = new java.util.HashMap<>();
        replayed.signersFrom(h -> java.util.Optional.ofNullable(signers.get(h)));
        for (Entry e : entries) {
            org.custody.crypto.Hash hash = e.hash(ledger.suite().hash());
            made.addAll(replayed.checkAndApply(e.seq(), hash, e.record(), e.appended().orElse(null)));
            signers.put(hash, e.record().parties());
        }
        for (Duration later : List.of(Duration.ZERO, Duration.ofHours(5), Duration.ofDays(2), Duration.ofDays(400))) {
            Instant asOf = replayed.latest().plus(later);
            assertEquals(replayed.finish(asOf), ledger.overdue(asOf), "overdue at " + asOf);
        }
        assertEquals(made, all((after, limit) -> ledger.findings(null, after, limit)), "every kept finding");
        assertEquals(countByCode(made), ledger.findingCounts(null), "kept findings by code");
        // by site: a finding counts only if every bag it is kept under is at one of the sites
        TreeSet<String> sites = new TreeSet<>(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        positions.values().forEach(p -> sites.add(p.bag().site()));
        List<List<String>> siteSets = new ArrayList<>();
        siteSets.add(new ArrayList<>());
        for (String site : sites) {
            siteSets.add(java.util.Collections.singletonList(site));
        }
        siteSets.add(new ArrayList<>(sites));
        if (sites.size() > 2) {
            siteSets.add(new ArrayList<>(sites).subList(0, 2));
        }
        for (List<String> at : siteSets) {
            List<Finding> within = made.stream().filter(f -> {
                List<org.custody.model.BagId> under = f.bags().isEmpty()
                        ? org.custody.ledger.gate.Bags.named(entries.get((int) f.seq()).record()) : f.bags();
                return !under.isEmpty() && under.stream().allMatch(b -> positions.containsKey(b.value())
                        && at.contains(positions.get(b.value()).bag().site()));
            }).toList();
            assertEquals(countByCode(within), ledger.findingCounts(at), "kept findings at " + at);
        }
        for (FindingCode code : FindingCode.values()) {
            assertEquals(made.stream().filter(f -> f.code() == code).toList(),
                    all((after, limit) -> ledger.findings(code, after, limit)), "kept findings of " + code);
        }
    }

    /** The groupings the console and the command line ask for. */
    private static final List<List<String>> GROUPINGS = List.of(List.of("exam", "site", "session", "kind", "stage"),
            List.of("site", "room", "session", "subject"), List.of("stage"), List.of("holder", "step"));

    /** The bags of {@code positions} counted by the columns {@code by}, in order of their values, as a pass does it. */
    private static List<org.custody.store.BagCount> grouped(List<BagPosition> positions, List<String> by) {
        java.util.Comparator<List<String>> order = (a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int d = java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder()).compare(a.get(i), b.get(i));
                if (d != 0) {
                    return d;
                }
            }
            return 0;
        };
        Map<List<String>, Long> counts = new TreeMap<>(order);
        for (BagPosition p : positions) {
            BagIndex row = Gate.bagIndex(p);
            List<String> key = new ArrayList<>();
            by.forEach(column -> key.add(BagQuery.column(row, column)));
            counts.merge(key, 1L, Long::sum);
        }
        return counts.entrySet().stream().map(e -> new org.custody.store.BagCount(e.getKey(), e.getValue())).toList();
    }

    private static Map<FindingCode, Long> countByCode(List<Finding> findings) {
        Map<FindingCode, Long> out = new java.util.EnumMap<>(FindingCode.class);
        findings.forEach(f -> out.merge(f.code(), 1L, Long::sum));
        return out;
    }

    /** Every page of a question, two items a page, joined. */
    private static <T> List<T> all(BiFunction<String, Integer, Page<T>> question) {
        List<T> out = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            Page<T> page = question.apply(after, 2);
            out.addAll(page.items());
            if (page.next().isEmpty()) {
                return out;
            }
            assertEquals(2, page.items().size(), "a page with a next page is full");
            after = page.next().get();
        }
        throw new AssertionError("no last page");
    }

    private static List<BagMove> moves(Entry e) {
        return e.record() instanceof Handoff h ? h.bags() : e.record() instanceof Incident i ? i.bags() : List.of();
    }

    private static String placeOf(Entry e) {
        if (e.record() instanceof Handoff h && h.place() != null) {
            return h.place().id();
        }
        return e.record() instanceof Incident i && i.place() != null ? i.place().id() : null;
    }

    private static List<Long> seqs(List<Entry> entries) {
        return entries.stream().map(Entry::seq).toList();
    }

    private static Chain writeChain(Path file, long seed) {
        List<Chains.Op> ops = new ArrayList<>();
        java.util.Random random = new java.util.Random(seed);
        Chains.Kind[] kinds = {Chains.Kind.REGISTER, Chains.Kind.HANDOFF, Chains.Kind.HANDOFF, Chains.Kind.HANDOFF,
                Chains.Kind.HANDOFF, Chains.Kind.INCIDENT, Chains.Kind.ENROL};
        for (int i = 0; i < 80; i++) {
            ops.add(new Chains.Op(kinds[random.nextInt(kinds.length)], random.nextLong()));
        }
        Chain chain = Chains.build(Suite.ED25519_SHA256, ops);
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
        }
        return chain;
    }

    private static int sql(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
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
