package org.custody.server;

import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.record.SignedRecord;

/**
 * Group commit: one thread appends the records that requests hand in, as many as are waiting at once in
 * one durable transaction ({@link Ledger#appendAll}). A batch is all-or-nothing in the ledger, so when
 * the ledger refuses the record at position i, that record alone is answered with the refusal and the
 * rest are appended again; each request gets exactly its own record's outcome. Two records that move
 * the same bag from the same previous entry can share a batch: the first is stored, the second is
 * refused (I07), so the chain never forks.
 */
final class Committer implements AutoCloseable {
    static final int MAX_BATCH = 256;
    private static final int QUEUE = 4096;

    private record Job(SignedRecord record, CompletableFuture<Appended> done) {}

    private final Ledger ledger;
    private final Metrics.OfLedger metrics;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean running = true;

    Committer(Ledger ledger, Metrics.OfLedger metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "custody-committer");
        this.thread.setDaemon(true);
    }

    /** Starts the committer thread; records submitted before wait for it. */
    synchronized void start() {
        if (running && !thread.isAlive()) {
            thread.start();
        }
    }

    /** Queues {@code record}; the future completes with where it landed, or with the ledger's refusal. */
    CompletableFuture<Appended> submit(SignedRecord record) {
        CompletableFuture<Appended> done = new CompletableFuture<>();
        if (!running || !queue.offer(new Job(record, done))) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                    running ? "too many records are waiting to be stored; retry shortly" : "the server is stopping");
        }
        return done;
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                batch.forEach(j -> j.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy", "the server is stopping"));
        }
    }

    private void commit(List<Job> batch) {
        List<Job> pending = new ArrayList<>(batch);
        while (!pending.isEmpty()) {
            long start = System.nanoTime();
            try {
                List<Appended> out = ledger.appendAll(pending.stream().map(Job::record).toList());
                metrics.batch(pending.size(), System.nanoTime() - start);
                for (int i = 0; i < pending.size(); i++) {
                    pending.get(i).done().complete(out.get(i));
                }
                return;
            } catch (AppendRefusedException e) {
                int i = e.index();
                if (i < 0 || i >= pending.size()) {
                    pending.forEach(j -> j.done().completeExceptionally(e));
                    return;
                }
                pending.remove(i).done().completeExceptionally(e);
            }
        }
    }

    /** Stores what is in hand and stops the thread; a committer never started answers what waits with 503. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread.isAlive()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy", "the server is stopping"));
        }
    }
}
