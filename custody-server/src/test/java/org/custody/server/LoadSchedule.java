package org.custody.server;

/**
 * The load tool's open-loop schedule: request {@code i} is due at a fixed time after the start, whatever
 * happened to the requests before it, so a slow answer delays no later request and every latency is counted
 * from when the request was due (no coordinated omission). Steady: request {@code i} is due {@code i / rate}
 * seconds after the start. With a ramp of {@code rampNanos}, the rate first rises in a straight line from 0 to
 * {@code rate} over the ramp ({@link #rampCount} requests: request {@code i} is due at
 * {@code ramp × sqrt(i / rampCount)}), then stays at {@code rate}; the warm-up uses it so that a server whose
 * JIT compiler has not started does not meet the full rate cold and build a queue it takes the rest of the
 * warm-up to drain.
 *
 * @param startNanos when request 0 is due, on the {@link System#nanoTime} clock
 * @param rate       requests per second, at least 1
 * @param rampNanos  how long the rate takes to rise to {@code rate}; 0 for none
 */
record LoadSchedule(long startNanos, int rate, long rampNanos) {
    LoadSchedule {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be at least 1 per second, got " + rate);
        }
        if (rampNanos < 0) {
            throw new IllegalArgumentException("the ramp must not be negative, got " + rampNanos);
        }
    }

    /** A steady schedule: {@code rate} per second from the start. */
    LoadSchedule(long startNanos, int rate) {
        this(startNanos, rate, 0);
    }

    /** Requests sent during the ramp: the area under the rising rate, {@code rate × ramp / 2}. */
    long rampCount() {
        return Math.multiplyExact((long) rate, rampNanos) / 2_000_000_000L;
    }

    /**
     * How many requests are due before {@code nanos} after the start, with a ramp of {@code rampNanos} and {@code nanos}
     * at least the ramp: the first request of a phase that begins at {@code nanos} is this one.
     */
    static long count(int rate, long rampNanos, long nanos) {
        if (nanos < rampNanos) {
            throw new IllegalArgumentException("count is for times after the ramp, got " + nanos + " < " + rampNanos);
        }
        LoadSchedule s = new LoadSchedule(0, rate, rampNanos);
        long steady = Math.multiplyExact((long) rate, nanos - rampNanos);
        return s.rampCount() + (steady + 999_999_999L) / 1_000_000_000L;   // steady request k is due at ramp + k / rate
    }

    /** When request {@code i} is due; exact (no drift) for any rate that does not divide a second. */
    long due(long i) {
        if (i < 0) {
            throw new IllegalArgumentException("request index must not be negative, got " + i);
        }
        long ramped = rampCount();
        if (i < ramped) {
            return startNanos + (long) (rampNanos * Math.sqrt((double) i / ramped));
        }
        return startNanos + rampNanos + Math.multiplyExact(i - ramped, 1_000_000_000L) / rate;
    }
}
