package org.custody.rules;

import java.time.Instant;

/**
 * A vault while it stores bags: how many, which of them are in exam keeping (R12), and when it was last inspected
 * (or began storing, or had a gap reported), with the entry that marks that time. Answer sheets back from grading
 * are archived: stored, but no longer in exam keeping.
 */
final class VaultState {
    final String place;
    int stored;
    /** Stored answer sheets not yet back from grading: in exam keeping (003: 试卷保管期间). */
    int answersInKeeping;
    /** Stored papers other than answer sheets, by exam: in keeping until their exam's last session ends. */
    final java.util.Map<String, Integer> papers = new java.util.HashMap<>();
    /** When the last answer sheets in keeping left or were archived, or {@code null}. */
    Instant answersKeptUntil;
    Instant lastCheck;
    long lastCheckSeq;
    org.custody.crypto.Hash lastCheckHash;

    VaultState(String place) {
        this.place = place;
    }

    /**
     * When this vault's exam keeping ends as seen at {@code at}: {@code null} while it goes on (answer sheets in
     * keeping, or papers of an exam whose last session has not ended or has no timetable), else the time it ended
     * ({@code at} itself if it never held anything in keeping, which makes no gap).
     */
    Instant keepingEnd(CustodyState state, Instant at) {
        if (answersInKeeping > 0) {
            return null;
        }
        Instant end = answersKeptUntil;
        for (var e : papers.entrySet()) {
            if (e.getValue() > 0) {
                Instant examEnd = state.examEnd(e.getKey());
                if (examEnd == null || examEnd.isAfter(at)) {
                    return null;
                }
                end = end == null || examEnd.isAfter(end) ? examEnd : end;
            }
        }
        return end == null ? lastCheck : end;
    }
}
