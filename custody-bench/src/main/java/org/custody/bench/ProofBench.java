package org.custody.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.custody.crypto.Hash;
import org.custody.ledger.Ledger;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.InclusionProof;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Merkle proofs served by a ledger from its stored tree ({@link Ledger#inclusionProof}, {@link Ledger#consistencyProof},
 * {@link Ledger#root}) at {@code leaves} leaves, from the SQLite file built by {@link ProofTree}: average time per
 * proof, for a random leaf or a random old size each time. Target (issue 4): under 1 ms at 10 M leaves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
public class ProofBench {
    @Param({"10000000"})
    public long leaves;

    private Ledger ledger;
    private long size;
    private final SplittableRandom random = new SplittableRandom(20211122L);

    @Setup(Level.Trial)
    public void open() {
        ledger = Ledger.open(ProofTree.file(leaves), Workload.CLOCK);
        size = ledger.head().size();
    }

    @TearDown(Level.Trial)
    public void close() {
        ledger.close();
    }

    @Benchmark
    public InclusionProof inclusion() {
        return ledger.inclusionProof(random.nextLong(size), size);
    }

    @Benchmark
    public ConsistencyProof consistency() {
        return ledger.consistencyProof(1 + random.nextLong(size - 1), size);
    }

    @Benchmark
    public Hash root() {
        return ledger.root(1 + random.nextLong(size));
    }
}
