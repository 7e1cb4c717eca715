package org.custody.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.record.SignedRecord;

/**
 * Where benchmark files live and how the verification ledgers are built. Files go to
 * {@code -Dcustody.bench.dir}, by default {@code bench-data} beside the benchmarks jar
 * (so {@code custody-bench/target/bench-data}); a ledger already there with the right number of entries is
 * reused.
 */
public final class BenchData {
    /** Bags in every benchmark ledger: the verifier's state stays this size however long the ledger grows. */
    public static final int BAGS = 1000;
    /** Seed of the benchmark keys. */
    public static final long SEED = 20211122L;
    private static final int BATCH = 1000;

    private BenchData() {}

    /** The directory for benchmark files, created if needed. */
    public static Path dir() {
        String configured = System.getProperty("custody.bench.dir");
        Path dir;
        if (configured != null) {
            dir = Path.of(configured);
        } else {
            try {
                Path code = Path.of(BenchData.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                dir = code.getParent().resolve("bench-data");
            } catch (URISyntaxException | RuntimeException e) {
                dir = Path.of("target", "bench-data");
            }
        }
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty workload of the benchmark shape. */
    public static Workload workload() {
        return new Workload(Suite.ED25519_SHA256, BAGS, SEED);
    }

    /** The verification ledger of {@code entries} entries, built now unless a complete one is already there. */
    public static Path ledger(long entries) {
        Path file = dir().resolve("verify-" + entries + ".db");
        if (Files.isRegularFile(file) && LedgerVerifier.size(file) == entries) {
            return file;
        }
        build(file, entries);
        return file;
    }

    /** Builds a ledger of exactly {@code entries} entries (genesis, registration, handoffs) at {@code file}. */
    static void build(Path file, long entries) {
        if (entries < 3) {
            throw new IllegalArgumentException("a benchmark ledger has at least 3 entries");
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        deleteLedger(partial);
        deleteLedger(file);
        Chain chain = new Chain(workload());
        List<Chain.Next> prologue = chain.prologue();
        long start = System.nanoTime();
        try (Ledger ledger = Ledger.create(partial, prologue.get(0).record(), Workload.CLOCK)) {
            ledger.append(prologue.get(1).record());
            while (chain.size() < entries) {
                List<Chain.Next> batch = chain.next((int) Math.min(BATCH, entries - chain.size()));
                List<Appended> appended = ledger.appendAll(batch.stream().map(Chain.Next::record).toList());
                Appended last = appended.get(appended.size() - 1);
                if (!last.hash().equals(chain.head())) {
                    throw new IllegalStateException("ledger and generator disagree at entry " + last.seq());
                }
                if (chain.size() % 100_000 < BATCH) {
                    System.err.printf("built %,d of %,d entries (%.0f s)%n", chain.size(), entries,
                            (System.nanoTime() - start) / 1e9);
                }
            }
        }
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a ledger file and its SQLite companions. */
    static void deleteLedger(Path file) {
        try {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of {@code next}. */
    static List<SignedRecord> records(List<Chain.Next> next) {
        return next.stream().map(Chain.Next::record).toList();
    }

    /**
     * A probe's arguments: ledger sizes, then optionally a number of rounds (a last argument below 1,000 is the
     * rounds, not a size).
     */
    public record SizesAndRounds(List<Long> sizes, int rounds) {
        public static SizesAndRounds parse(String[] args, int defaultRounds) {
            int n = args.length;
            int rounds = defaultRounds;
            if (n > 1 && Long.parseLong(args[n - 1]) < 1000) {
                rounds = Integer.parseInt(args[n - 1]);
                n--;
            }
            return new SizesAndRounds(java.util.Arrays.stream(args, 0, n).map(Long::parseLong).toList(), rounds);
        }
    }
}
