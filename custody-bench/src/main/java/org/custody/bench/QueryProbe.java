package org.custody.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import org.custody.ledger.Ledger;
import org.custody.model.PersonId;
import org.custody.store.BagQuery;

/**
 * Wall time of the questions over many bags and entries (docs/formats.md §7.3) by ledger size, in a warm JVM: one
 * room's bags, a page of the bags at a stage, the counts by step of a site, the first and a deep page of a person's
 * entries, one seal's entries, what is overdue now, a page of kept findings; and, for comparison, where every bag
 * stands (a pass over all bag rows, what {@code custody bags list} did before). Run from the repository root; ledgers
 * are built once into {@code custody-bench/target/bench-data}:
 *
 * <pre>java -cp custody-bench/target/benchmarks.jar org.custody.bench.QueryProbe 10000 100000 1000000</pre>
 */
public final class QueryProbe {
    private static final int ROUNDS = 5;

    private QueryProbe() {}

    public static void main(String[] args) {
        for (String arg : args) {
            long entries = Long.parseLong(arg);
            Path file = BenchData.ledger(entries);
            try (Ledger ledger = Ledger.open(file, Workload.CLOCK)) {
                System.out.printf("%,d entries (%s)%n", ledger.head().size(), file);
                PersonId police = PersonId.of("P005");
                time("one room's bags", () -> ledger.bags(new BagQuery(null, null, "K01", "0007", null, null, null, null, null),
                        null, 100).items().size());
                time("first 100 bags at stage escort", () -> ledger.bags(
                        new BagQuery(null, null, null, null, null, null, "escort", null, null), null, 100).items().size());
                time("counts by step of site K01", () -> ledger.stepCounts(
                        new BagQuery(null, null, "K01", null, null, null, null, null, null)).size());
                time("a person's first 100 entries", () -> ledger.entriesOf(police, null, 100).items().size());
                String deep = Long.toString(ledger.head().size() / 2);
                time("a person's 100 entries from the middle", () -> ledger.entriesOf(police, deep, 100).items().size());
                time("one seal's entries (first 100)", () -> ledger.entriesWithSeal("FT-2021-1001007", null, 100).items().size());
                time("what is overdue now", () -> ledger.overdue(Instant.now()).size());
                time("first 100 kept findings", () -> ledger.findings(null, null, 100).items().size());
                time("where every bag stands (all bag rows)", () -> ledger.positions().size());
            }
        }
    }

    private static void time(String what, Supplier<Integer> question) {
        StringBuilder rounds = new StringBuilder();
        int answer = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            long t0 = System.nanoTime();
            answer = question.get();
            double ms = (System.nanoTime() - t0) / 1e6;
            rounds.append(round == 0 ? String.format("first %.1f ms; then", ms) : String.format(" %.1f", ms));
        }
        System.out.printf("  %-42s %s ms (%,d in the answer)%n", what, rounds, answer);
    }
}
