package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagKind;
import org.custody.model.Role;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * R20: a room's question papers are opened by as many invigilators as the room needs: 2 in a standard room, 3 in a
 * non-standard one, as the plan registered the bag ({@code invigilators}; 2 when it says nothing). Counted among the
 * opening's signers holding the invigilator role. Spare papers are R09's (chief and deputy chief examiners).
 */
final class InvigilatorCountRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R20;
    }

    @Override
    public String source() {
        return "004 Art.42; domain.md";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        Handoff h = in.handoff().filter(x -> x.step() == Step.OPEN).orElse(null);
        if (h == null) {
            return;
        }
        int needed = 0;
        for (BagMove move : h.bags()) {
            BagState bag = in.state().bags.get(move.bag());
            if (bag != null && bag.bag.kind() == BagKind.QUESTION_PAPER) {
                needed = Math.max(needed, bag.bag.invigilatorsNeeded());
            }
        }
        long invigilators = in.count(h.parties(), Role.INVIGILATOR);
        if (needed > 0 && invigilators < needed) {
            out.add(in.finding(code(), "opened with " + invigilators + " invigilator" + (invigilators == 1 ? "" : "s") + ", the room needs "
                    + needed + " / 启封时监考员" + invigilators + "人，本考场应有" + needed + "人", in.bagIds(), h.parties())
                    .comparing(">= " + needed + " invigilators", invigilators));
        }
    }
}
