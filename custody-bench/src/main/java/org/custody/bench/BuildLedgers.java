package org.custody.bench;

import java.nio.file.Path;

/**
 * Builds (or finds) the verification ledgers, e.g. {@code java -cp benchmarks.jar org.custody.bench.BuildLedgers
 * 10000 100000 1000000}. Building is itself an append run: records are signed ahead, then appended with
 * {@code appendAll} in batches of 1,000.
 */
public final class BuildLedgers {
    private BuildLedgers() {}

    public static void main(String[] args) {
        String[] sizes = args.length == 0 ? new String[] {"10000", "100000", "1000000"} : args;
        for (String size : sizes) {
            long start = System.nanoTime();
            Path file = BenchData.ledger(Long.parseLong(size));
            System.out.printf("%s: %,d entries (%.1f s)%n", file, Long.parseLong(size), (System.nanoTime() - start) / 1e9);
        }
    }
}
