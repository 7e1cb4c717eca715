package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R16: the seal number recorded when a bag was sealed ({@code seal} for papers, {@code collect} for answer sheets, and
 * {@code grading_return} when graded answer sheets are sealed again) is the one every later check sees (pickup,
 * receipt, opening, the return to the vault, the check-out for grading). A different number means another seal than the one
 * applied: a finding, unless a {@code seal_broken} incident for the bag was recorded since, after which the next
 * number seen is the new seal's (re-sealing) and later checks follow it.
 */
final class SealContinuityRule implements Rule {
    /** The steps that apply a seal: a number recorded there is the bag's seal from then on. */
    static boolean seals(Step step) {
        return step == Step.SEAL || step == Step.COLLECT || step == Step.GRADING_RETURN;
    }

    @Override
    public FindingCode code() {
        return FindingCode.R16;
    }

    @Override
    public String source() {
        return "004 Art.25; 003";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> !seals(h.step())).ifPresent(h -> {
            for (BagMove move : h.bags()) {
                BagState bag = in.state().bags.get(move.bag());
                if (move.seal() != null && bag != null && bag.sealNumber != null && !bag.resealing
                        && !move.seal().equals(bag.sealNumber)) {
                    out.add(in.finding(code(), move.bag() + " shows seal " + move.seal() + ", not the seal " + bag.sealNumber
                            + " it was sealed with, and no broken seal was recorded / 封条编号与封装时不符且无封条破损记录",
                            List.of(move.bag()), h.parties()).comparing(bag.sealNumber, move.seal()));
                }
            }
        });
    }
}
