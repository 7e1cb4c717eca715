package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.custody.ledger.Draft;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.rules.BagPosition;
import org.custody.server.console.ConsoleQueries;
import org.custody.server.console.ConsoleQueries.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's answers read from the store's indexes (the board's grouped counts, reconciliation's counts kept in the
 * rules' state, search through the bag index), against a pass over the whole ledger as the console made it before:
 * over random sequences of printing and sealing with random counts, for an inspector and for an officer of one site.
 */
class ConsoleQueriesTest {
    private static final Scope INSPECTOR = Scope.all("inspector");
    private static final Scope K01 = new Scope("officer-k01", false, b -> "K01".equals(b.site()), "K01"::equals);

    @Test
    void boardReconciliationAndSearch_answerWhatAPassOverTheLedgerAnswers(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            try (Fixture f = new Fixture(java.nio.file.Files.createDirectories(dir.resolve("seed-" + seed)))) {
                Random random = new Random(seed);
                Place printer = Place.of("PRINTER", "湘印保密印刷厂");
                Instant at = Instant.parse("2021-06-02T01:00:00Z");
                for (int i = 0; i < 6; i++) {
                    List<BagId> bags = random.nextBoolean() ? List.of(Fixture.Q1, Fixture.Q2)
                            : List.of(random.nextBoolean() ? Fixture.Q1 : Fixture.Q2);
                    Step step = i < 2 || random.nextBoolean() ? Step.PRINT : Step.SEAL;
                    List<BagMove> moves = new ArrayList<>();
                    for (BagId bag : bags) {
                        BagMove m = f.ledger.move(bag).count(28 + random.nextInt(3));
                        moves.add(step == Step.SEAL ? m.seal("SN-" + seed + "-" + bag.value().charAt(8), SealState.INTACT) : m);
                    }
                    handoff(f, step, at.plusSeconds(600L * i), printer, moves);
                }
                ConsoleQueries q = new ConsoleQueries(f.ledger, f.clock);
                for (Scope scope : List.of(INSPECTOR, K01)) {
                    assertEquals(boardByPass(f, scope), q.board(scope).rows(), scope.name());
                    assertEquals(reconciliationByPass(f, scope, q), q.reconciliation(scope), scope.name());
                    for (String text : List.of("01", "K01", "K02", "S1", "HN-2021.K0", "hn-2021.k02")) {
                        assertEquals(searchByPass(f, scope, text), q.search(scope, text, 1).bags().stream()
                                .map(ConsoleQueries.BagLine::id).toList(), scope.name() + " " + text);
                    }
                }
                assertFalse(q.reconciliation(K01).rooms().stream().anyMatch(r -> r.site().equals("K02")));
                assertTrue(q.reconciliation(INSPECTOR).rooms().size() >= 2);
            }
        }
    }

    private static void handoff(Fixture f, Step step, Instant at, Place place, List<BagMove> moves) {
        Handoff.Builder b = Handoff.builder(step).id(RecordId.of(step.wire() + "-" + f.ledger.head().size())).at(at).place(place)
                .from(step == Step.PRINT ? null : PersonId.of("P010")).to(PersonId.of(step == Step.PRINT ? "P010" : "P001"))
                .witnesses(List.of(PersonId.of("P011"), PersonId.of(step == Step.PRINT ? "P001" : "P003"))).bags(moves);
        Draft d = f.ledger.draft(b);
        for (PersonId p : d.missing()) {
            d.sign(f.keys.get(p));
        }
        d.append();
    }

    /** The board's rows as the console counted them before the bag index: every bag's position, one by one. */
    private static List<ConsoleQueries.SiteSession> boardByPass(Fixture f, Scope scope) {
        List<String> stages = new ArrayList<>();
        stages.add("registered");
        for (org.custody.model.Stage s : org.custody.model.Stage.values()) {
            stages.add(s.wire());
        }
        Map<String, Map<String, Integer>> rows = new TreeMap<>();
        Map<String, Bag> first = new TreeMap<>();
        for (BagPosition p : f.ledger.positions().values()) {
            Bag bag = p.bag();
            if (!scope.mayRead().test(bag) || bag.kind().isContainer()) {
                continue;
            }
            String key = bag.exam() + "\u0000" + nz(bag.site()) + "\u0000" + nz(bag.session());
            first.putIfAbsent(key, bag);
            Map<String, Integer> byStage = rows.computeIfAbsent(key, k -> {
                Map<String, Integer> m = new LinkedHashMap<>();
                stages.forEach(s -> m.put(s, 0));
                return m;
            });
            byStage.merge(p.step() == null ? "registered" : p.step().stage().wire(), 1, Integer::sum);
        }
        return rows.entrySet().stream().map(e -> new ConsoleQueries.SiteSession(first.get(e.getKey()).exam(),
                nz(first.get(e.getKey()).site()), nz(first.get(e.getKey()).session()), e.getValue(),
                e.getValue().values().stream().mapToInt(Integer::intValue).sum())).toList();
    }

    /** Reconciliation as a fold of every entry gives it: the last count of each step, per room and subject. */
    private static ConsoleQueries.Reconciliation reconciliationByPass(Fixture f, Scope scope, ConsoleQueries q) {
        Map<BagId, EnumMap<Step, ConsoleQueries.Count>> counts = new TreeMap<>(Comparator.comparing(BagId::value));
        for (long seq = 0; seq < f.ledger.head().size(); seq++) {
            Entry e = f.ledger.entry(seq).orElseThrow();
            if (e.record() instanceof Handoff h) {
                for (BagMove m : h.bags()) {
                    if (m.count() != null) {
                        counts.computeIfAbsent(m.bag(), k -> new EnumMap<>(Step.class))
                                .put(h.step(), new ConsoleQueries.Count(m.count(), seq, m.bag().value()));
                    }
                }
            }
        }
        Map<String, Map<Step, ConsoleQueries.Count>> byRoom = new TreeMap<>();
        Map<String, Bag> first = new TreeMap<>();
        List<Bag> bags = new ArrayList<>(f.ledger.bags());
        bags.sort(Comparator.comparing(b -> b.id().value()));
        for (Bag b : bags) {
            if (b.kind().isContainer() || b.room() == null || !scope.mayRead().test(b)) {
                continue;
            }
            String key = String.join("\u0000", b.exam(), nz(b.site()), b.room(), nz(b.session()), nz(b.subject()));
            first.putIfAbsent(key, b);
            byRoom.computeIfAbsent(key, k -> new EnumMap<>(Step.class)).putAll(counts.getOrDefault(b.id(), new EnumMap<>(Step.class)));
        }
        ConsoleQueries.Count none = new ConsoleQueries.Count(null, -1, "");
        List<ConsoleQueries.RoomLine> rooms = new ArrayList<>();
        int differing = 0;
        for (Map.Entry<String, Map<Step, ConsoleQueries.Count>> e : byRoom.entrySet()) {
            Map<Step, ConsoleQueries.Count> m = e.getValue();
            Set<Integer> seen = new HashSet<>();
            for (Step s : List.of(Step.PRINT, Step.SEAL, Step.OPEN, Step.COLLECT, Step.GRADING_OUT, Step.GRADING_RETURN)) {
                if (m.containsKey(s)) {
                    seen.add(m.get(s).copies());
                }
            }
            boolean differs = seen.size() > 1;
            differing += differs ? 1 : 0;
            Bag b = first.get(e.getKey());
            rooms.add(new ConsoleQueries.RoomLine(b.exam(), nz(b.site()), b.room(), nz(b.session()), nz(b.subject()),
                    m.getOrDefault(Step.PRINT, none), m.getOrDefault(Step.SEAL, none), m.getOrDefault(Step.OPEN, none),
                    m.getOrDefault(Step.COLLECT, none), null, m.getOrDefault(Step.GRADING_OUT, none),
                    m.getOrDefault(Step.GRADING_RETURN, none), differs));
        }
        return new ConsoleQueries.Reconciliation(rooms, differing);
    }

    /** The bags a search for {@code text} lists: of that room, site or session, or whose id begins with it. */
    private static List<String> searchByPass(Fixture f, Scope scope, String text) {
        List<String> out = new ArrayList<>();
        for (Bag b : f.ledger.bags()) {
            String id = b.id().value();
            if (scope.mayRead().test(b) && (text.equals(b.room()) || text.equals(b.site()) || text.equals(b.session())
                    || id.startsWith(text) || id.startsWith(text.toUpperCase(java.util.Locale.ROOT)))) {
                out.add(id);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
