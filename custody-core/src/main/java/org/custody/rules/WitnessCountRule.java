package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;

/** R01: every handoff is signed by at least 2 people present (or the exam policy's number); nobody counts twice. */
final class WitnessCountRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R01;
    }

    @Override
    public String source() {
        return "003; 004 Art.21, 36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().ifPresent(h -> {
            int needed = in.policy().minSigners();
            if (h.parties().size() < needed) {
                out.add(in.finding(code(), "handoff signed by " + h.parties().size() + " people, at least " + needed
                        + " must be present / 交接签字人数" + h.parties().size() + "人，少于" + needed + "人",
                        in.bagIds(), h.parties()).comparing(">= " + needed + " signers", h.parties().size()));
            }
        });
    }
}
