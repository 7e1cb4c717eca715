package org.custody.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.custody.audit.AuditReport;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.record.SignedRecord;

/**
 * CPU time per unit of work, which other load on the machine disturbs far less than throughput:
 * {@code java -cp benchmarks.jar org.custody.bench.CpuProbe}. Prints, per raw Ed25519 verification, per
 * appended handoff (batches of 1,000) and per verified entry (100 k ledger), the CPU time of the whole
 * process and of the calling thread, and the rate two cores would reach if that CPU time were all
 * that bounded it. Signing and ledger building are done before the measured part. Arguments choose the
 * parts, by name ({@code raw}, {@code append}, {@code pipelined}, {@code verify}; all but {@code pipelined} by default), so that a profiler
 * ({@code -XX:StartFlightRecording}) sees one at a time.
 */
public final class CpuProbe {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuProbe() {}

    public static void main(String[] args) {
        java.util.Set<String> parts = args.length == 0 ? java.util.Set.of("raw", "append", "verify") : java.util.Set.of(args);
        int cores = Runtime.getRuntime().availableProcessors();
        double verify = Double.NaN;
        if (parts.contains("raw")) {
            verify = rawVerify(cores);
            System.out.printf("raw Ed25519 verify, %d threads at once: %.1f us CPU each; %d cores: %,.0f signatures/s, %,.0f three-signature handoffs/s%n",
                    cores, verify, cores, cores * 1e6 / verify, cores * 1e6 / verify / 3);
        }
        if (parts.contains("append")) {
            append(1000, 20_000, 60_000, verify, cores, false);
        }
        if (parts.contains("pipelined")) {
            append(1000, 20_000, 60_000, verify, cores, true);
        }
        if (parts.contains("verify")) {
            verifyLedger(100_000, verify, cores);
        }
    }

    /** CPU time of one raw verification while every core runs them, as in the bound (JMH's ed25519Bc2). */
    private static double rawVerify(int cores) {
        Workload w = BenchData.workload();
        byte[] message = w.handoff(0, Hash.ZERO).signedBytes();
        SigningKey key = w.key(0);
        Ed25519PublicKeyParameters pub = new Ed25519PublicKeyParameters(key.publicKey().encoded(), 0);
        byte[] sig = key.sign(message).valueBytes();
        int warm = 30_000;
        int n = 40_000;
        double[] us = new double[cores];
        Thread[] threads = new Thread[cores];
        for (int t = 0; t < cores; t++) {
            int slot = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < warm; i++) {
                    check(bc(pub, message, sig));
                }
                long cpu = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    check(bc(pub, message, sig));
                }
                us[slot] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e3 / n;
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return java.util.Arrays.stream(us).average().orElseThrow();
    }

    private static boolean bc(Ed25519PublicKeyParameters key, byte[] message, byte[] sig) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(sig);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("signature did not verify");
        }
    }

    /** Appends batches with {@code appendAll}, or with {@code appendAllAsync} one batch ahead when {@code pipelined}. */
    private static void append(int batch, int warm, int measured, double verify, int cores, boolean pipelined) {
        Path file = BenchData.dir().resolve("cpu-probe-" + ProcessHandle.current().pid() + ".db");
        BenchData.deleteLedger(file);
        Chain chain = new Chain(BenchData.workload());
        List<Chain.Next> prologue = chain.prologue();
        List<SignedRecord> records = BenchData.records(chain.next(warm + measured));
        try (Ledger ledger = Ledger.create(file, prologue.get(0).record(), Workload.CLOCK)) {
            ledger.append(prologue.get(1).record());
            for (int i = 0; i < warm; i += batch) {
                ledger.appendAll(records.subList(i, i + batch));
            }
            System.gc();
            Map<String, Long> before = threadTicks();
            long wall = System.nanoTime();
            long process = OS.getProcessCpuTime();
            long thread = THREADS.getCurrentThreadCpuTime();
            if (pipelined) {
                java.util.concurrent.CompletableFuture<?> previous = null;
                for (int i = warm; i < warm + measured; i += batch) {
                    java.util.concurrent.CompletableFuture<?> next = ledger.appendAllAsync(records.subList(i, i + batch));
                    if (previous != null) {
                        previous.join();
                    }
                    previous = next;
                }
                previous.join();
            } else {
                for (int i = warm; i < warm + measured; i += batch) {
                    ledger.appendAll(records.subList(i, i + batch));
                }
            }
            report((pipelined ? "append pipelined (appendAllAsync, one batch ahead)" : "append") + ", batches of " + batch, "handoff", measured, wall, process, thread, verify * 3, cores);
            breakdown(before, measured);
            if (!ledger.head().hash().equals(chain.head())) {
                throw new IllegalStateException("the ledger's head is not the predicted hash");
            }
        } finally {
            BenchData.deleteLedger(file);
        }
    }

    private static void verifyLedger(long size, double verify, int cores) {
        Path file = BenchData.ledger(size);
        LedgerVerifier.Options options = LedgerVerifier.Options.defaults().withThreads(cores);
        LedgerVerifier.verify(BenchData.ledger(10_000), options);
        LedgerVerifier.verify(BenchData.ledger(10_000), options);
        System.gc();
        Map<String, Long> before = threadTicks();
        long wall = System.nanoTime();
        long process = OS.getProcessCpuTime();
        long thread = THREADS.getCurrentThreadCpuTime();
        AuditReport report = LedgerVerifier.verify(file, options);
        if (!report.intact() || report.entries() != size) {
            throw new IllegalStateException("verification was not intact: " + report.summary());
        }
        double signaturesPerEntry = (6 + 2 + 3.0 * (size - 2)) / size;
        report("verify " + size, "entry", size, wall, process, thread, verify * signaturesPerEntry, cores);
        breakdown(before, size);
    }

    /** CPU clock ticks used so far by this process's threads (Linux), summed by thread name less digits. */
    private static Map<String, Long> threadTicks() {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9#]+", "N");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    /** Prints where the CPU time since {@code before} went, by thread name, per unit of work. */
    private static void breakdown(Map<String, Long> before, long n) {
        Map<String, Long> after = threadTicks();
        StringBuilder out = new StringBuilder("  CPU by thread, us per unit:");
        after.forEach((name, ticks) -> {
            // ticks are 1/100 s on Linux
            double us = (ticks - before.getOrDefault(name, 0L)) * 1e4 / n;
            if (us >= 0.5) {
                out.append(String.format(" %s %.1f;", name, us));
            }
        });
        System.out.println(out);
    }

    private static void report(String what, String unit, long n, long wall, long process, long thread, double boundCpu, int cores) {
        double wallUs = (System.nanoTime() - wall) / 1e3 / n;
        double processUs = (OS.getProcessCpuTime() - process) / 1e3 / n;
        double threadUs = (THREADS.getCurrentThreadCpuTime() - thread) / 1e3 / n;
        double cpuBound = cores * 1e6 / processUs;
        System.out.printf("%s: per %s %.1f us CPU (%.1f us on the calling thread), %.1f us wall;"
                        + " CPU-bound rate on %d cores %,.0f/s = %.0f %% of the raw-verify bound; measured %,.0f/s%n",
                what, unit, processUs, threadUs, wallUs, cores, cpuBound, 100 * boundCpu / processUs, 1e6 / wallUs);
    }
}
