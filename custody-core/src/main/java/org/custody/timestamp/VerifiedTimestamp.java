package org.custody.timestamp;

import java.time.Duration;
import java.time.Instant;

/**
 * A time-stamp token that {@link TimestampVerifier} checked: a TSA the reader trusts says the text existed at
 * {@link #time()}, give or take {@link #accuracy()}. Only the verifier makes one.
 */
public final class VerifiedTimestamp {
    private final Instant time;
    private final Duration accuracy;
    private final String tsa;

    VerifiedTimestamp(Instant time, Duration accuracy, String tsa) {
        this.time = time;
        this.accuracy = accuracy;
        this.tsa = tsa;
    }

    /** The token's {@code genTime}. */
    public Instant time() {
        return time;
    }

    /** The token's stated accuracy, zero if it states none. */
    public Duration accuracy() {
        return accuracy;
    }

    /** The subject of the TSA's certificate. */
    public String tsa() {
        return tsa;
    }

    @Override
    public String toString() {
        return time + (accuracy.isZero() ? "" : " ± " + accuracy) + " by " + tsa;
    }
}
