package org.custody.ledger.verify;

import java.time.Instant;
import java.util.Arrays;

/**
 * The bounds that trusted checkpoint times set on an entry's append time (formats.md §6.3, step 15): an entry at
 * position {@code p} was appended no later than the tightest {@code latest} of the checkpoints that contain it (size
 * {@code > p}), and no earlier than the tightest {@code earliest} of those that do not (size {@code <= p}). Times need
 * not grow with sizes (a checkpoint may be timestamped long after it was made), so every checkpoint counts, not only
 * the nearest: suffix minima and prefix maxima, found by binary search.
 */
final class TimeBounds {
    private final long[] sizes;
    private final Instant[] latest;
    private final Instant[] earliest;
    /** For each i, the index of the smallest {@code latest} from i on. */
    private final int[] upper;
    /** For each i, the index of the largest {@code earliest} up to i. */
    private final int[] lower;

    /** {@code sizes} strictly ascending, with each checkpoint's latest and earliest bound. */
    TimeBounds(long[] sizes, Instant[] latest, Instant[] earliest) {
        int n = sizes.length;
        this.sizes = sizes.clone();
        this.latest = latest.clone();
        this.earliest = earliest.clone();
        upper = new int[n];
        lower = new int[n];
        for (int i = 0; i < n; i++) {
            lower[i] = i > 0 && earliest[lower[i - 1]].isAfter(earliest[i]) ? lower[i - 1] : i;
        }
        for (int i = n - 1; i >= 0; i--) {
            upper[i] = i < n - 1 && latest[upper[i + 1]].isBefore(latest[i]) ? upper[i + 1] : i;
        }
    }

    /** The checkpoint (index) whose bound is the latest the entry at {@code position} may have been appended, or -1. */
    int containing(long position) {
        int first = firstAfter(position);
        return first < sizes.length ? upper[first] : -1;
    }

    /** The checkpoint (index) whose bound is the earliest the entry at {@code position} may have been appended, or -1. */
    int preceding(long position) {
        int first = firstAfter(position);
        return first > 0 ? lower[first - 1] : -1;
    }

    Instant latest(int i) {
        return latest[i];
    }

    Instant earliest(int i) {
        return earliest[i];
    }

    long size(int i) {
        return sizes[i];
    }

    /** The index of the first checkpoint that contains the entry at {@code position} (size {@code > position}). */
    private int firstAfter(long position) {
        int i = Arrays.binarySearch(sizes, position + 1);
        return i >= 0 ? i : -i - 1;
    }
}
