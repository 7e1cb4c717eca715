package org.custody.cli;

import java.util.List;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;

/**
 * Where a bag stands after its entries: the last handoff step, who received it, and the container it was
 * put in (as recorded on the bag's own chain).
 */
record BagStatus(BagId bag, Step step, PersonId holder, BagId container, long lastSeq) {
    static BagStatus of(BagId bag, List<Entry> history) {
        Step step = null;
        PersonId holder = null;
        BagId container = null;
        long last = -1;
        for (Entry e : history) {
            last = e.seq();
            if (e.record() instanceof Handoff h) {
                step = h.step();
                holder = h.to();
            }
            for (BagMove m : e.record().moves()) {
                if (m.bag().equals(bag)) {
                    container = m.container();
                }
            }
        }
        return new BagStatus(bag, step, holder, container, last);
    }

    String describe() {
        if (step == null) {
            return "registered, not handed over yet";
        }
        return step.wire() + " " + step.chinese() + ", held by " + holder;
    }
}
