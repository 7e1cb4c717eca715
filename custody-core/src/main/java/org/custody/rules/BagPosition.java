package org.custody.rules;

import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Step;

/**
 * Where a bag stands as the custody rules see it after the ledger's entries: its last handoff step and who received
 * it ({@code null} both while it was only registered), the container it is in ({@code null} if none) and the position
 * of the last entry that named it.
 */
public record BagPosition(Bag bag, Step step, PersonId holder, BagId container, long lastSeq) {
    public BagId id() {
        return bag.id();
    }
}
