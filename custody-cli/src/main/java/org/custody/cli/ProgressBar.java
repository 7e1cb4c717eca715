package org.custody.cli;

import java.io.PrintWriter;
import java.util.function.LongConsumer;

/**
 * A one-line progress bar on standard error, redrawn in place ({@code \r}) at most every 100 ms, for
 * long work such as verifying a large ledger. Never written into reports on standard output.
 */
final class ProgressBar implements LongConsumer {
    private static final int WIDTH = 30;
    private static final long EVERY_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private long lastDraw = Long.MIN_VALUE;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
    }

    @Override
    public synchronized void accept(long done) {
        long now = System.nanoTime();
        if (done < total && drawn && now - lastDraw < EVERY_NANOS) {
            return;
        }
        lastDraw = now;
        drawn = true;
        err.print("\r" + render(label, done, total));
        err.flush();
    }

    /** Ends the bar's line, if one was drawn. */
    synchronized void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }

    /** The bar's text, e.g. {@code verifying [###############...............]  50%  500/1000 entries}. */
    static String render(String label, long done, long total) {
        long clamped = Math.max(0, Math.min(done, total));
        int filled = total == 0 ? WIDTH : (int) (clamped * WIDTH / total);
        int percent = total == 0 ? 100 : (int) (clamped * 100 / total);
        return label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent)
                + "  " + done + "/" + total + " entries";
    }
}
