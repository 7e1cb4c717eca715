package org.custody.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that shows the time it was last set to: the append clock of a ledger whose entries' times a test decides. */
public final class SetClock extends Clock {
    private volatile Instant now;

    public SetClock(Instant now) {
        this.now = now;
    }

    public void set(Instant time) {
        now = time;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a SetClock is in UTC");
    }
}
