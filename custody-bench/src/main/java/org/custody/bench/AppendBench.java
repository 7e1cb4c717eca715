package org.custody.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.custody.crypto.Hash;
import org.custody.ledger.Appended;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.record.SignedRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Appends of three-signature Ed25519 handoffs to a real SQLite ledger (WAL, synchronous=FULL), in
 * handoffs per second: one per transaction ({@code durableOne}) and in groups with {@code appendAll}.
 *
 * <p>Records are generated and signed before each iteration (signing is the client's cost), each linking
 * to its bag's previous entry, so the measured work is the ledger's: canonicalising and hashing the entry,
 * the gate's state checks, three signature checks, the inserts and the commit. Each iteration's teardown
 * checks that the ledger's head is the hash the generator predicted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Threads(1)
public class AppendBench {
    /** Rate assumed before the first iteration has been measured, in handoffs per second. */
    private static final double FIRST_GUESS = 12_000;

    private Path file;
    private Ledger ledger;
    private Chain chain;
    private List<SignedRecord> records = new ArrayList<>();
    private List<Hash> hashes = new ArrayList<>();
    private int cursor;
    private double lastRate;
    private int iterationStart;
    private long iterationNanos;

    @Setup(Level.Trial)
    public void create() {
        file = BenchData.dir().resolve("append-" + ProcessHandle.current().pid() + ".db");
        BenchData.deleteLedger(file);
        chain = new Chain(BenchData.workload());
        List<Chain.Next> prologue = chain.prologue();
        ledger = Ledger.create(file, prologue.get(0).record());
        ledger.append(prologue.get(1).record());
    }

    /** Tops the pool of signed handoffs up to twice what the last iteration used (and more than the first guess). */
    @Setup(Level.Iteration)
    public void sign(IterationParams iteration) {
        double seconds = iteration.getTime().convertTo(TimeUnit.MILLISECONDS) / 1000.0;
        int wanted = (int) Math.ceil(Math.max(FIRST_GUESS, 2 * lastRate) * seconds) + 1000;
        records = new ArrayList<>(records.subList(cursor, records.size()));
        hashes = new ArrayList<>(hashes.subList(cursor, hashes.size()));
        cursor = 0;
        if (records.size() < wanted) {
            for (Chain.Next next : chain.next(wanted - records.size())) {
                records.add(next.record());
                hashes.add(next.hash());
            }
        }
        System.gc();
        iterationStart = cursor;
        iterationNanos = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void check() {
        lastRate = (cursor - iterationStart) / ((System.nanoTime() - iterationNanos) / 1e9);
        Head head = ledger.head();
        if (cursor > 0 && !head.hash().equals(hashes.get(cursor - 1))) {
            throw new IllegalStateException("the ledger's head is not the predicted hash");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        ledger.close();
        BenchData.deleteLedger(file);
    }

    private List<SignedRecord> take(int n) {
        if (cursor + n > records.size()) {
            throw new IllegalStateException("the pool of signed handoffs ran out: the ledger appended faster than "
                    + "twice the previous iteration's rate");
        }
        List<SignedRecord> out = records.subList(cursor, cursor + n);
        cursor += n;
        return out;
    }

    @Benchmark
    public Appended durableOne() {
        return ledger.append(take(1).get(0));
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public List<Appended> batch100() {
        return ledger.appendAll(take(100));
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public List<Appended> batch1000() {
        return ledger.appendAll(take(1000));
    }
}
