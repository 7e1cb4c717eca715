package org.custody.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.crypto.Hash;
import org.custody.ledger.Appended;
import org.custody.ledger.Checkpointer;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Appends of three-signature Ed25519 handoffs to a real SQLite ledger (WAL, synchronous=FULL), in
 * handoffs per second: one per transaction ({@code durableOne}), in groups with {@code appendAll}, in groups of
 * 1,000 queued one ahead with {@code appendAllAsync} ({@code batch1000Pipelined}), and with a checkpoint signed
 * every second meanwhile ({@code ...Checkpointed}).
 *
 * <p>Records are generated and signed before each iteration (signing is the client's cost), each linking
 * to its bag's previous entry, so the measured work is the ledger's: canonicalising and hashing the entry,
 * the gate's state checks, three signature checks, the inserts and the commit. Each iteration's teardown
 * checks that the ledger's head is the hash the generator predicted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xms3g", "-Xmx3g"})
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
    /** Whether the benchmark queues its batches with {@link Ledger#appendAllAsync}. */
    private boolean pipelined;
    /** The batch queued and not yet waited for (pipelined benchmarks). */
    private CompletableFuture<List<Appended>> inFlight;
    /** Signs a checkpoint every second in the checkpointed benchmarks, else {@code null}. */
    private Checkpointer checkpointer;
    private final AtomicInteger checkpoints = new AtomicInteger();
    private final List<RuntimeException> checkpointErrors = new CopyOnWriteArrayList<>();

    @Setup(Level.Trial)
    public void create(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        pipelined = benchmark.contains("Pipelined");
        file = BenchData.dir().resolve("append-" + ProcessHandle.current().pid() + ".db");
        BenchData.deleteLedger(file);
        Workload workload = BenchData.workload();
        chain = new Chain(workload);
        List<Chain.Next> prologue = chain.prologue();
        ledger = Ledger.create(file, prologue.get(0).record(), Workload.CLOCK);
        ledger.append(prologue.get(1).record());
        if (benchmark.contains("Checkpointed")) {
            // as the server does: a checkpoint key enrolled in the ledger, a checkpoint signed every second
            ledger.append(chain.place(workload.checkpointSignerEnrolment()).record());
            checkpointer = Checkpointer.start(ledger, workload.checkpointKey(), Duration.ofSeconds(1),
                    note -> checkpoints.incrementAndGet(), checkpointErrors::add);
        }
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
        if (pipelined) {
            // one batch in flight, which the first invocation waits for: each invocation then waits for one batch,
            // and the batch still in flight when the iteration ends is not counted
            inFlight = ledger.appendAllAsync(take(1000));
        }
    }

    @TearDown(Level.Iteration)
    public void check() {
        if (inFlight != null) {
            inFlight.join();
            inFlight = null;
        }
        lastRate = (cursor - iterationStart) / ((System.nanoTime() - iterationNanos) / 1e9);
        if (!checkpointErrors.isEmpty()) {
            throw new IllegalStateException("the checkpointer failed", checkpointErrors.get(0));
        }
        Head head = ledger.head();
        if (cursor > 0 && !head.hash().equals(hashes.get(cursor - 1))) {
            throw new IllegalStateException("the ledger's head is not the predicted hash");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (checkpointer != null) {
            checkpointer.close();
            System.out.printf("%n%d checkpoints signed during the trial%n", checkpoints.get());
        }
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

    /**
     * As {@link #batch1000}, with a {@link Checkpointer} signing a checkpoint of the ledger every second on its own
     * thread, as the server runs one (issue 4: checkpointing keeps ingest within the core target).
     */
    @Benchmark
    @OperationsPerInvocation(1000)
    public List<Appended> batch1000Checkpointed() {
        return ledger.appendAll(take(1000));
    }

    /**
     * Batches of 1,000 through {@link Ledger#appendAllAsync}, one batch queued ahead: each invocation queues the next
     * batch and waits until the one before it is durable, so a batch's signature checks overlap the commit of the
     * batch before it. Every batch is still one durable, atomic transaction.
     */
    @Benchmark
    @OperationsPerInvocation(1000)
    public List<Appended> batch1000Pipelined() {
        CompletableFuture<List<Appended>> previous = inFlight;
        inFlight = ledger.appendAllAsync(take(1000));
        return previous.join();
    }

    /** {@link #batch1000Pipelined} with a {@link Checkpointer} at 1 s, as {@link #batch1000Checkpointed}. */
    @Benchmark
    @OperationsPerInvocation(1000)
    public List<Appended> batch1000PipelinedCheckpointed() {
        return batch1000Pipelined();
    }
}
