package org.custody.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.custody.audit.AuditReport;
import org.custody.ledger.verify.LedgerVerifier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Streaming verification ({@link LedgerVerifier#verify}) of a whole ledger file, built once by
 * {@link BenchData#ledger}. The score is verifications per second; the secondary result {@code entries}
 * is entries per second. Every verification must come out clean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
@Threads(1)
public class VerifyBench {
    /** Ledger size; the 1,000,000-entry ledger takes minutes to build and about three to verify. */
    @Param({"10000", "100000"})
    public long size;

    /** Threads for decoding and signature checks. */
    @Param({"2"})
    public int threads;

    private Path file;

    /** Entries verified, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts {
        public long entries;

        @Setup(Level.Iteration)
        public void reset() {
            entries = 0;
        }
    }

    @Setup(Level.Trial)
    public void find() {
        file = BenchData.ledger(size);
    }

    @Benchmark
    public AuditReport verify(Counts counts) {
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().withThreads(threads));
        if (!report.intact() || report.entries() != size) {
            throw new IllegalStateException("verification of " + file + " was not intact: " + report.summary());
        }
        counts.entries += report.entries();
        return report;
    }
}
