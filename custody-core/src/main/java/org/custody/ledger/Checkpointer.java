package org.custody.ledger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;

/**
 * Signs a checkpoint of a ledger at a fixed interval (at least once a second under load) whenever the ledger has
 * grown since the last one, on one daemon thread. A checkpoint takes the ledger's lock only for one root (O(log n)
 * tile reads), one signature and one small insert, so appends go on between ticks. Failures are handed to the
 * error handler and retried at the next tick; nothing is logged here.
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
    private final org.custody.store.ExclusiveLock lock;
    private volatile boolean holding;
    private long lastSize = -1;

    private Checkpointer(Ledger ledger, SigningKey key, Consumer<SignedNote> made, Consumer<RuntimeException> errors) {
        this.ledger = ledger;
        this.key = key;
        this.made = made;
        this.errors = errors;
        this.lock = ledger.exclusive("checkpointer");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "custody-checkpointer");
            t.setDaemon(true);
            return t;
        });
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
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(key, "key");
        if (interval.isNegative() || interval.isZero()) {
            throw new MalformedInputException("the checkpoint interval must be positive, got " + interval);
        }
        Checkpointer c = new Checkpointer(ledger, key, Objects.requireNonNull(made, "made"), Objects.requireNonNull(errors, "errors"));
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
        } catch (RuntimeException e) {
            errors.accept(e);
        }
    }

    /** Whether this checkpointer held the lock at its last tick: it is the one that checkpoints the ledger. */
    public boolean holding() {
        return holding;
    }

    /** Stops after the checkpoint in progress, if any, waiting for it up to 10 seconds, and releases the lock. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            holding = false;
            lock.close();
        }
    }
}
