package org.custody.server;

/**
 * The load tool's open-loop schedule: request {@code i} is due {@code i / rate} seconds after the start,
 * whatever happened to the requests before it, so a slow answer delays no later request and every
 * latency is counted from when the request was due (no coordinated omission).
 *
 * @param startNanos when request 0 is due, on the {@link System#nanoTime} clock
 * @param rate       requests per second, at least 1
 */
record LoadSchedule(long startNanos, int rate) {
    LoadSchedule {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second, got " + rate);
        }
    }

    /** When request {@code i} is due; exact (no drift) for any rate that does not divide a second. */
    long due(long i) {
        if (i < 0) {
            throw new IllegalArgumentException("request index must not be negative, got " + i);
        }
        return startNanos + Math.multiplyExact(i, 1_000_000_000L) / rate;
    }
}
