package org.custody.server;

import java.util.Arrays;

/** Latencies of one load run, in nanoseconds, with nearest-rank percentiles. */
final class Latencies {
    private final long[] sorted;

    private Latencies(long[] sorted) {
        this.sorted = sorted;
    }

    /** The latencies in {@code nanos} (copied; the array is not changed). */
    static Latencies of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    int count() {
        return sorted.length;
    }

    /**
     * The nearest-rank {@code p}-th percentile: the smallest latency that at least {@code p} % of all are
     * at most. 0 when there are none.
     */
    long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100, got " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        // p * n / 100 less a hair, so that e.g. 99.9 % of 1,000 is rank 999 despite binary floating point
        long rank = (long) Math.ceil(p * sorted.length / 100 - 1e-9);
        return sorted[(int) Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }
}
