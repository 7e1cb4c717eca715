package org.custody.label;

import java.util.Objects;
import org.custody.audit.Finding;

/**
 * The outcome of checking one scanned label against a ledger.
 *
 * @param status   what the check found
 * @param label    the label as scanned
 * @param expected the label the ledger would print for this bag now, or {@code null} if the bag is not in it
 *                 (or the label is for another ledger)
 * @param finding  the {@code I10} finding for {@link Status#MISMATCH} and {@link Status#UNKNOWN_BAG}, else {@code null}
 * @param message  what was found, in English, naming the bag and both bindings where they differ
 */
public record LabelVerdict(Status status, Label label, Label expected, Finding finding, String message) {
    /** What a label check found. */
    public enum Status {
        /** The label binds the bag to its current seal entry. */
        OK,
        /** The bag is in the ledger but the label binds another entry or has another tag: swapped, forged or stale (I10). */
        MISMATCH,
        /** The label names this ledger and a bag it never registered: forged (I10). */
        UNKNOWN_BAG,
        /** The label names another ledger: check it against that ledger's file. */
        OTHER_LEDGER
    }

    public LabelVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(message, "message");
        if ((finding != null) != (status == Status.MISMATCH || status == Status.UNKNOWN_BAG)) {
            throw new IllegalArgumentException("a label verdict has an I10 finding exactly when the label is mismatched or unknown");
        }
    }

    /** True if the label checks out. */
    public boolean ok() {
        return status == Status.OK;
    }
}
