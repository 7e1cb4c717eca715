package org.custody.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Step;
import org.custody.record.BagMove;

/** R11: a bag checked out for grading is returned the same day (in the exam's time zone). */
final class GradingSameDayRule implements BagDeadlineRule {
    @Override
    public FindingCode code() {
        return FindingCode.R11;
    }

    @Override
    public String source() {
        return "004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.GRADING_RETURN).ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).filter(b -> b.gradingOutAt != null).ifPresent(bag -> {
                    var zone = in.state().policy(bag.bag.exam()).zone();
                    LocalDate out1 = LocalDate.ofInstant(bag.gradingOutAt, zone);
                    LocalDate back = LocalDate.ofInstant(h.at(), zone);
                    if (!back.equals(out1)) {
                        out.add(in.finding(code(), move.bag() + " checked out for grading on " + out1 + " and returned on "
                                + back + " / 评卷领取未当日归还", move.bag()).comparing(out1, back));
                    }
                });
            }
        });
    }

    @Override
    public boolean running(BagState b) {
        return b.gradingOutAt != null && !b.destroyed;
    }

    @Override
    public void overdue(CustodyState state, BagState bag, Instant asOf, List<Finding> out) {
        var zone = state.policy(bag.bag.exam()).zone();
        LocalDate day = LocalDate.ofInstant(bag.gradingOutAt, zone);
        if (LocalDate.ofInstant(asOf, zone).isAfter(day)) {
            out.add(RuleInput.finding(code(), bag.lastSeq, bag.lastHash, bag.lastEntryAt, List.of(bag.bag.id()),
                    bag.holder == null ? List.of() : List.of(bag.holder), bag.bag.id()
                    + " checked out for grading on " + day + " and not returned / 评卷领取未归还")
                    .comparing("back on " + day, "still out at " + asOf));
        }
    }
}
