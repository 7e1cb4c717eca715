package org.custody.ledger.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import org.custody.audit.Finding;
import org.custody.ledger.AppendRefusedException;
import org.custody.record.SignedRecord;

/**
 * The signature checks of one append, started as soon as each entry has passed its ordered checks, so
 * the signature arithmetic of a batch runs on every core while the appending thread goes on storing
 * entries. {@link #awaitAll} waits for all of them before the caller may commit; closing cancels whatever
 * is left when the append fails early.
 */
final class SignatureChecks implements AutoCloseable {
    /** Threads for signature arithmetic, shared by every ledger in the process: the work is pure CPU. */
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("custody-signature-check-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, true);

    private final List<Started> started = new ArrayList<>();

    /** The checks of one entry: its own tasks, or its record's results among {@code prechecks} at {@code position}. */
    private record Started(int index, EntryChecker.Pending pending, List<ForkJoinTask<Finding[]>> tasks,
                           Prechecks prechecks, int position) {}

    /** Runs {@code work} on the signature threads. */
    static <T> ForkJoinTask<T> submit(Callable<T> work) {
        return POOL.submit(work);
    }

    /**
     * As {@link #start(int, EntryChecker.Pending, boolean)}, but takes the results {@code prechecks} already has for
     * the record at {@code position} of the batch when they cover every check of {@code pending}.
     */
    void start(int index, EntryChecker.Pending pending, boolean split, Prechecks prechecks, int position,
               SignedRecord record) {
        if (prechecks != null && prechecks.covers(position, record, pending)) {
            started.add(new Started(index, pending, List.of(), prechecks, position));
        } else {
            start(index, pending, split);
        }
    }

    /**
     * Starts the signature checks of {@code pending}, the entry at {@code index} in the batch (-1 for one
     * record): each signature as a task of its own when {@code split} (one record: its few signatures are
     * all the work there is), else all of them in one task (a batch: enough entries to keep every core busy,
     * at a third of the hand-over cost).
     */
    void start(int index, EntryChecker.Pending pending, boolean split) {
        int n = pending.checks().size();
        List<ForkJoinTask<Finding[]>> tasks = new ArrayList<>(split ? n : 1);
        if (split) {
            for (int i = 0; i < n; i++) {
                int check = i;
                tasks.add(POOL.submit(() -> new Finding[] {pending.verify(check)}));
            }
        } else {
            tasks.add(POOL.submit(() -> {
                Finding[] results = new Finding[n];
                for (int i = 0; i < n; i++) {
                    results[i] = pending.verify(i);
                }
                return results;
            }));
        }
        started.add(new Started(index, pending, tasks, null, -1));
    }

    /**
     * Waits for every check started, then refuses the append, naming the first entry (in ledger order)
     * with a signature that does not verify.
     *
     * @throws AppendRefusedException with that entry's I03 findings
     */
    void awaitAll() {
        for (Started s : started) {
            Finding[] results;
            if (s.prechecks() != null) {
                results = s.prechecks().results(s.position(), s.pending());
            } else {
                results = new Finding[s.pending().checks().size()];
                int i = 0;
                for (ForkJoinTask<Finding[]> task : s.tasks()) {
                    for (Finding f : task.join()) {
                        results[i++] = f;
                    }
                }
            }
            List<Finding> findings = new ArrayList<>();
            s.pending().report(results, findings);
            if (!findings.isEmpty()) {
                throw new AppendRefusedException(s.index(), findings);
            }
        }
    }

    /** Cancels the checks not yet run (after a refusal, nobody needs them). */
    @Override
    public void close() {
        for (Started s : started) {
            s.tasks().forEach(t -> t.cancel(false));
        }
    }
}
