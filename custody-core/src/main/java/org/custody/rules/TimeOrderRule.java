package org.custody.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagId;
import org.custody.record.BagMove;

/**
 * R15: a bag's entries, in ledger order, never go back in time: each is dated no earlier than the bag's entry before
 * it (its registration, handoff or incident). A record dated before what it follows (an escort dated 05:00 after a
 * 05:30 distribution, a vault return dated before the return escort it ends) would otherwise move the times that
 * R06, R10 and R11 judge, and hide a breach.
 */
final class TimeOrderRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R15;
    }

    @Override
    public String source() {
        return "004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        List<BagId> back = new ArrayList<>(0);
        Instant latest = null;
        long latestSeq = -1;
        for (BagMove move : in.record().moves()) {
            BagState bag = in.state().bags.get(move.bag());
            if (bag != null && bag.lastEntryAt != null && in.record().at().isBefore(bag.lastEntryAt)) {
                back.add(move.bag());
                if (latest == null || bag.lastEntryAt.isAfter(latest)) {
                    latest = bag.lastEntryAt;
                    latestSeq = bag.lastSeq;
                }
            }
        }
        if (!back.isEmpty()) {
            out.add(in.finding(code(), (back.size() == 1 ? back.get(0) + " is" : back.size() + " bags are")
                    + " dated before " + (back.size() == 1 ? "its" : "their") + " previous entry (#" + latestSeq + ")"
                    + " / 记录时间早于试卷袋的前一条记录", back, in.record().parties())
                    .comparing("not before " + latest, in.record().at()));
        }
    }
}
