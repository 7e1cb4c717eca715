package org.custody.ledger.verify;

import java.time.Instant;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.record.Entry;

/**
 * The append times a ledger wrote into its entries (docs/formats.md §5, format version 2), checked in ledger order
 * (I12): once an entry has one, every later entry has one, and none goes back in time. Entries written before the
 * ledger was upgraded have none, and are not checked.
 */
final class AppendTimes {
    /** The last append time read, or {@code null} before the first stamped entry. */
    private Instant last;
    private long lastPosition = -1;

    /** Starts after entries not read here, whose latest append time was {@code last} (null if none), at {@code position}. */
    void restore(Instant last, long position) {
        this.last = last;
        this.lastPosition = position;
    }

    /** The latest append time read, or {@code null}. */
    Instant last() {
        return last;
    }

    /** The position of {@link #last()}, or -1. */
    long lastPosition() {
        return lastPosition;
    }

    /** Checks the decoded entry at {@code position} against the entries before it. */
    void entry(long position, Hash hash, Entry entry, List<Finding> out) {
        Instant appended = entry.appended().orElse(null);
        if (appended == null) {
            if (last != null) {
                out.add(Finding.of(FindingCode.I12, position, hash, "entry " + position + " has no append time, but entry "
                        + lastPosition + " before it has one: entries are stamped from the first on")
                        .inChinese("该记录缺少入账时间，而其之前的记录已有").comparing("an append time not before " + last, "none"));
            }
            return;
        }
        if (last != null && appended.isBefore(last)) {
            out.add(Finding.of(FindingCode.I12, position, hash, "entry " + position + " was appended at " + appended
                    + ", before entry " + lastPosition + " (" + last + "): append times never go back")
                    .inChinese("入账时间早于前一条记录，入账时间不得倒退").comparing("not before " + last, appended));
            return; // the later entries are judged against the latest time seen
        }
        last = appended;
        lastPosition = position;
    }
}
