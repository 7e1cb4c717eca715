package org.custody.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The bounds trusted checkpoint times set on append times ({@link TimeBounds}) against a naive pass over every
 * checkpoint: the tightest latest time of the checkpoints that contain an entry, and the tightest earliest time of
 * those that do not, for checkpoints whose times need not grow with their sizes.
 */
class TimeBoundsPropertiesTest {
    @Property(tries = 300)
    void bounds_areTheTightestOfEveryCheckpointAroundAnEntry(
            @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 40) Integer> rawSizes,
            @ForAll @Size(min = 12, max = 12) List<@IntRange(min = 0, max = 10_000) Integer> seconds,
            @ForAll @IntRange(min = 0, max = 45) int position) {
        long[] sizes = new TreeSet<>(rawSizes).stream().mapToLong(Integer::longValue).toArray();
        Instant[] latest = new Instant[sizes.length];
        Instant[] earliest = new Instant[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            Instant t = Instant.ofEpochSecond(1_700_000_000L + seconds.get(i));
            latest[i] = t.plusSeconds(600);
            earliest[i] = t.minusSeconds(600);
        }
        TimeBounds bounds = new TimeBounds(sizes, latest, earliest);

        List<Instant> containing = new ArrayList<>();
        List<Instant> preceding = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > position) {
                containing.add(latest[i]);
            } else {
                preceding.add(earliest[i]);
            }
        }
        int up = bounds.containing(position);
        int down = bounds.preceding(position);
        assertEquals(containing.stream().min(Instant::compareTo).orElse(null), up < 0 ? null : bounds.latest(up));
        assertEquals(preceding.stream().max(Instant::compareTo).orElse(null), down < 0 ? null : bounds.earliest(down));
        if (up >= 0) {
            assertEquals(true, bounds.size(up) > position, "the bound comes from a checkpoint that contains the entry");
        }
        if (down >= 0) {
            assertEquals(true, bounds.size(down) <= position, "the bound comes from a checkpoint that does not contain it");
        }
    }
}
