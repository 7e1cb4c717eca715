package org.custody.record;

import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.SealState;

/**
 * One bag in a handoff or incident, linked to the bag's previous entry (the bag chain), with what was
 * checked: counts, seal number and seal state, and the container it travels in after this entry.
 *
 * @param prev      hash of the previous entry that named this bag (its registration or last move)
 * @param count     copies or sheets counted at this step, if counted
 * @param present   candidates present (answer-sheet collection), if recorded
 * @param absent    candidates absent (缺考), if recorded
 * @param seal      seal number (封条编号), if recorded
 * @param sealState what the seal check found, if checked
 * @param container the transport box or cabinet the bag is in after this entry, if any
 */
public record BagMove(BagId bag, Hash prev, Integer count, Integer present, Integer absent, String seal,
                      SealState sealState, BagId container) {
    public BagMove {
        if (bag == null || prev == null) {
            throw new MalformedInputException("a bag move needs the bag id and the hash of the bag's previous entry");
        }
        requireCount("count", count);
        requireCount("present", present);
        requireCount("absent", absent);
        if (seal != null) {
            org.custody.model.Text.require("seal number", seal, 64);
        }
        if (bag.equals(container)) {
            throw new MalformedInputException("bag " + bag + " cannot be inside itself");
        }
    }

    /** A plain move: the bag changes hands, nothing counted. */
    public static BagMove of(BagId bag, Hash prev) {
        return new BagMove(bag, prev, null, null, null, null, null, null);
    }

    public BagMove count(int copies) {
        return new BagMove(bag, prev, copies, present, absent, seal, sealState, container);
    }

    public BagMove attendance(int present, int absent) {
        return new BagMove(bag, prev, count, present, absent, seal, sealState, container);
    }

    public BagMove seal(String number, SealState state) {
        return new BagMove(bag, prev, count, present, absent, number, state, container);
    }

    public BagMove inside(BagId container) {
        return new BagMove(bag, prev, count, present, absent, seal, sealState, container);
    }

    private static void requireCount(String what, Integer value) {
        if (value != null && (value < 0 || value > org.custody.model.Bag.MAX_COPIES)) {
            throw new MalformedInputException(what + " must be between 0 and " + org.custody.model.Bag.MAX_COPIES + ", got " + value);
        }
    }
}
