package org.custody.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.custody.crypto.Hash;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.record.SignedRecord;

/**
 * Wall time of opening a benchmark ledger and appending the next handoff (a new JVM's first handoff at the vault
 * door), and of reading another bag's history with its kept findings, by ledger size, with the heap in use afterwards. Each round opens the file, appends one handoff signed by
 * its three parties, and closes it; the first open of a file written before schema 4 also pays the one replay that
 * writes the rules' state (reported apart). Run from the repository root; ledgers are built once into
 * {@code custody-bench/target/bench-data}:
 *
 * <pre>java -cp custody-bench/target/benchmarks.jar org.custody.bench.OpenProbe 10000 100000 1000000 [rounds]</pre>
 *
 * The last argument is the number of rounds if it is below 1,000.
 */
public final class OpenProbe {
    private OpenProbe() {}

    public static void main(String[] args) {
        BenchData.SizesAndRounds run = BenchData.SizesAndRounds.parse(args, 5);
        int rounds = run.rounds();
        Workload workload = BenchData.workload();
        for (long entries : run.sizes()) {
            long start = System.nanoTime();
            Path file = BenchData.ledger(entries);
            System.out.printf("%,d entries: ledger ready in %.1f s (%s)%n", entries, (System.nanoTime() - start) / 1e9, file);
            long next = 1_000_000; // handoff numbers past the ledger's own: record ids no earlier round used, times within the day
            long size = 0;
            for (int round = 0; round <= rounds; round++) {
                long t0 = System.nanoTime();
                try (Ledger ledger = Ledger.open(file, Workload.CLOCK)) {
                    long t1 = System.nanoTime();
                    size = ledger.head().size();
                    long j = next + size;
                    Hash prev = ledger.bagHead(workload.bag(workload.bagOf(j))).orElseThrow();
                    SignedRecord handoff = workload.handoff(j, prev);
                    long t2 = System.nanoTime();
                    Appended appended = ledger.append(handoff);
                    long t3 = System.nanoTime();
                    org.custody.model.BagId bag = workload.bag(workload.bagOf(j + 7));
                    int bagEntries = ledger.history(bag).size();
                    int findings = ledger.findings(bag).orElseThrow().size();
                    long t4 = System.nanoTime();
                    System.out.printf("  %s: open %.1f ms, append #%,d %.1f ms, open + append %.1f ms (signing %.1f ms apart);"
                                    + " a bag's history with findings %.1f ms (%d entries, %d findings)%n",
                            round == 0 ? "first " : "round " + round, (t1 - t0) / 1e6, appended.seq(), (t3 - t2) / 1e6,
                            (t3 - t2 + t1 - t0) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e6, bagEntries, findings);
                }
            }
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("  heap in use after GC: %.1f MiB (ledger now %,d entries)%n", heap / 1048576.0, size + 1);
        }
    }
}
