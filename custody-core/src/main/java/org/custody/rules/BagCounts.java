package org.custody.rules;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.custody.model.Bag;
import org.custody.model.Step;

/**
 * The counts a bag's handoffs recorded (with the bag as registered), as the custody rules' state keeps them (docs/formats.md §7.1): the last count
 * recorded at each step, with the entry that recorded it, and present plus absent as its collection recorded them
 * ({@code null} if none did). What reconciliation lays side by side (printed = sealed = opened = collected = graded);
 * the judgment of the counts stays R07's.
 */
public record BagCounts(Bag bag, Map<Step, Counted> counts, Integer attendance) {
    /** A count recorded at a step, and the position of the entry that recorded it. */
    public record Counted(int copies, long seq) {}

    public BagCounts {
        EnumMap<Step, Counted> copy = new EnumMap<>(Step.class);
        copy.putAll(counts);
        counts = Collections.unmodifiableMap(copy);
    }
}
