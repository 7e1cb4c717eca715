package org.custody.ledger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;
import org.custody.timestamp.TsaClient;

/**
 * Signs a checkpoint of a ledger at a fixed interval (at least once a second under load) whenever the ledger has
 * grown since the last one, on one daemon thread. A checkpoint takes the ledger's lock only for one root (O(log n)
 * tile reads), one signature and one small insert, so appends go on between ticks. Failures are handed to the
 * error handler and retried at the next tick; nothing is logged here. With a time-stamping authority, each new
 * checkpoint is then sent to it for an RFC 3161 token on a second thread, one request at a time (of the checkpoints made
 * while one is in flight, the latest is timestamped next), so a slow or absent TSA delays neither appends nor checkpoints: its failure is handed
 * to the error handler as a {@link org.custody.timestamp.TimestampUnavailableException} and the checkpoint stays, without
 * a token.
 *
 * <p>Of several processes serving one ledger (server instances over one PostgreSQL store), one at a time checkpoints:
 * each tick first holds the store's {@code checkpointer} lock ({@link org.custody.store.ExclusiveLock}), and skips
 * while another process holds it; when that process stops or dies, the next tick of another takes it over.
 */
public final class Checkpointer implements AutoCloseable {
    private final Ledger ledger;
    private final SigningKey key;
    private final Consumer<SignedNote> made;
    private final Consumer<RuntimeException> errors;
    private final ScheduledExecutorService executor;
    private final TsaClient tsa;
    private final ExecutorService stamper;
    private final AtomicBoolean stamping = new AtomicBoolean();
    private final org.custody.store.ExclusiveLock lock;
    private volatile boolean holding;
    private volatile long lastSize = -1;

    private Checkpointer(Ledger ledger, SigningKey key, Consumer<SignedNote> made, Consumer<RuntimeException> errors,
                         TsaClient tsa) {
        this.ledger = ledger;
        this.key = key;
        this.made = made;
        this.errors = errors;
        this.lock = ledger.exclusive("checkpointer");
        this.executor = Executors.newSingleThreadScheduledExecutor(daemon("custody-checkpointer"));
        this.tsa = tsa;
        this.stamper = tsa == null ? null : Executors.newSingleThreadExecutor(daemon("custody-timestamper"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts checkpointing {@code ledger} with {@code key} every {@code interval}, beginning now.
     *
     * @param made   called with each new checkpoint
     * @param errors called with each failure (the next tick tries again)
     * @throws org.custody.failure.MalformedInputException if the interval is not positive
     */
    public static Checkpointer start(Ledger ledger, SigningKey key, Duration interval, Consumer<SignedNote> made,
                                     Consumer<RuntimeException> errors) {
        return start(ledger, key, interval, made, errors, null);
    }

    /**
     * Starts checkpointing as {@link #start(Ledger, SigningKey, Duration, Consumer, Consumer)} does, and has each new
     * checkpoint timestamped by {@code tsa} (null: none).
     */
    public static Checkpointer start(Ledger ledger, SigningKey key, Duration interval, Consumer<SignedNote> made,
                                     Consumer<RuntimeException> errors, TsaClient tsa) {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(key, "key");
        if (interval.isNegative() || interval.isZero()) {
            throw new MalformedInputException("the checkpoint interval must be positive, got " + interval);
        }
        Checkpointer c = new Checkpointer(ledger, key, Objects.requireNonNull(made, "made"), Objects.requireNonNull(errors, "errors"),
                tsa);
        c.executor.scheduleWithFixedDelay(c::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return c;
    }

    /** One round: a checkpoint if the ledger grew since the last one. Runs on the checkpointer's thread. */
    private void tick() {
        try {
            holding = lock.tryHold();
            if (!holding) {
                return; // another process checkpoints this ledger
            }
            long size = ledger.head().size();
            if (size == 0 || size == lastSize) {
                return;
            }
            SignedNote note = ledger.signCheckpoint(key);
            lastSize = Checkpoint.parse(note.text()).size();
            made.accept(note);
            if (tsa != null && stamping.compareAndSet(false, true)) {
                long stamped = lastSize;
                stamper.execute(() -> stamp(stamped));
            }
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }

    /**
     * Has the checkpoint of {@code size} timestamped, then the latest one if the checkpointer made a newer one meanwhile
     * (so the last checkpoint of a burst gets its token); runs on the timestamper's thread. A TSA failure ends the round.
     */
    private void stamp(long size) {
        long done = size;
        try {
            ledger.timestampCheckpoint(done, tsa);
            for (long latest = lastSize; latest > done; latest = lastSize) {
                done = latest;
                ledger.timestampCheckpoint(done, tsa);
            }
        } catch (RuntimeException e) {
            errors.accept(e);
            return;
        } finally {
            stamping.set(false);
        }
        long latest = lastSize;
        if (latest > done && stamping.compareAndSet(false, true)) {
            try {
                stamper.execute(() -> stamp(latest));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                stamping.set(false); // closed meanwhile: nothing more to stamp
            }
        }
    }

    /** Whether this checkpointer held the lock at its last tick: it is the one that checkpoints the ledger. */
    public boolean holding() {
        return holding;
    }

    /**
     * Stops after the checkpoint (and the timestamp request) in progress, if any, waiting for each up to 10 seconds, and
     * releases the lock.
     */
    @Override
    public void close() {
        try {
            stop(executor);
            if (stamper != null) {
                stop(stamper);
            }
        } finally {
            holding = false;
            lock.close();
        }
    }

    private static void stop(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
