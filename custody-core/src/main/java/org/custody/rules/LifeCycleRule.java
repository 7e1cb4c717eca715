package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagId;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * R05: a bag moves only along its life cycle ({@link LifeCycle}): each step applies to its kind of bag and
 * follows an allowed step, nothing happens after destruction, and bags inside a container move with it.
 */
final class LifeCycleRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R05;
    }

    @Override
    public String source() {
        return "004 Art.26";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        if (in.handoff().isEmpty()) {
            return;
        }
        Handoff h = in.handoff().get();
        for (BagMove move : h.bags()) {
            in.bag(move).ifPresent(bag -> {
                if (!LifeCycle.appliesTo(h.step(), bag.bag.kind())) {
                    out.add(in.finding(code(), "step " + h.step().wire() + " does not apply to a " + bag.bag.kind().wire()
                            + " / " + h.step().chinese() + "不适用于" + bag.bag.kind().chinese(), move.bag()));
                } else if (!LifeCycle.mayFollow(bag.bag.kind(), bag.lastStep, h.step())) {
                    String last = bag.lastStep == null ? "registration" : bag.lastStep.wire();
                    out.add(in.finding(code(), move.bag() + " cannot go from " + last + " to " + h.step().wire()
                            + " / 流转顺序错误", move.bag()).comparing(LifeCycle.allowedAfter(bag.bag.kind(), bag.lastStep), h.step().wire()));
                }
            });
            List<BagId> inside = in.state().bags.inside(move.bag());
            for (BagId content : inside) {
                if (h.bags().stream().noneMatch(m -> m.bag().equals(content))) {
                    out.add(in.finding(code(), content + " was packed in " + move.bag() + " but is not among the bags handed over"
                            + " with it: the box was opened and the bag not found. Hand a sealed box over by its id alone (its"
                            + " bags move with it), or list every bag found ('custody bags list --in " + move.bag() + "')"
                            + " / 箱内试卷袋未随箱交接（开箱未见该袋）：未开启的运送箱只需登记箱号，箱内各袋随箱流转；开箱交接须逐袋登记"
                            + "（custody bags list --in " + move.bag() + "）",
                            List.of(content, move.bag()), h.parties()));
                }
            }
        }
    }
}
