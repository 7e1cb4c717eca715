package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagKind;
import org.custody.model.Role;
import org.custody.model.Step;
import org.custody.record.BagMove;

/** R09: opening spare papers (备用试卷) needs a recorded approval and at least 2 chief or deputy chief examiners. */
final class SpareOpeningRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R09;
    }

    @Override
    public String source() {
        return "004 Art.46";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.OPEN).ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).filter(b -> b.bag.kind() == BagKind.SPARE_PAPER).ifPresent(bag -> {
                    if (!bag.spareApproved) {
                        out.add(in.finding(code(), "spare papers " + move.bag() + " opened without a recorded approval"
                                + " / 备用试卷未经审批启用", move.bag()));
                    }
                    long chiefs = in.count(h.parties(), Role.CHIEF_EXAMINER) + in.count(h.parties(), Role.DEPUTY_CHIEF_EXAMINER);
                    if (chiefs < 2) {
                        out.add(in.finding(code(), "spare papers " + move.bag() + " opened with " + chiefs
                                + " chief or deputy chief examiners present / 启用备用试卷须两名主考或副主考在场", move.bag())
                                .comparing(">= 2", chiefs));
                    }
                });
            }
        });
    }
}
