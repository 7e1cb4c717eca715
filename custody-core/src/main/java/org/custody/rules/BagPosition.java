package org.custody.rules;

import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Step;

/**
 * Where a bag stands as the custody rules see it after the ledger's entries: its last handoff step and who received
 * it ({@code null} both while it was only registered), the container it is in ({@code null} if none), the position
 * of the last entry that named it, and the time limits that run for it now ({@code deadlines}: R10 while answer sheets
 * are out of the vault after collection, R11 while a bag is out for grading, R25 while a question-paper bag is not at its site yet), in code order.
 */
public record BagPosition(Bag bag, Step step, PersonId holder, BagId container, long lastSeq,
                          java.util.Set<org.custody.audit.FindingCode> deadlines) {
    public BagPosition {
        deadlines = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(deadlines));
    }

    public BagId id() {
        return bag.id();
    }
}
