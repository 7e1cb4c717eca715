package org.custody.server;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.custody.ledger.Ledger;
import org.custody.ledger.WitnessPush;

/**
 * Asks the configured tlog-witnesses to cosign a ledger's latest checkpoint after each new one, on a thread of its own
 * so a slow or absent witness never holds up checkpoints or appends. Requests do not queue up: while one round runs,
 * further checkpoints only mark that another round is due, which then sends the latest. A witness that does not cosign
 * is logged and asked again at the next checkpoint.
 */
final class WitnessRequests implements AutoCloseable {
    private final Ledger ledger;
    private final List<WitnessPush.Endpoint> witnesses;
    private final org.slf4j.Logger log;
    private final WitnessPush push;
    private final ExecutorService executor;
    private final AtomicBoolean due = new AtomicBoolean();

    WitnessRequests(Ledger ledger, List<WitnessPush.Endpoint> witnesses, org.slf4j.Logger log) {
        this.ledger = ledger;
        this.witnesses = List.copyOf(witnesses);
        this.log = log;
        this.push = new WitnessPush(ledger);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "custody-witness-requests");
            t.setDaemon(true);
            return t;
        });
    }

    /** A new checkpoint was signed: have it cosigned (the latest when the round runs). */
    void checkpointed() {
        if (due.compareAndSet(false, true)) {
            executor.execute(this::round);
        }
    }

    private void round() {
        due.set(false);
        for (WitnessPush.Endpoint w : witnesses) {
            try {
                push.push(w);
                log.debug("witness {} cosigned the latest checkpoint of {}", w.key().name(), ledger.id());
            } catch (WitnessPush.PushException | IllegalStateException e) {
                log.warn("witness {} did not cosign the checkpoint of {}: {}", w.key().name(), ledger.id(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
