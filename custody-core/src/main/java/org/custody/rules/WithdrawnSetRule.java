package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.PaperSet;
import org.custody.model.Step;
import org.custody.record.BagMove;

/** R13: a paper set withdrawn after a leak or loss (set_withdrawn incident) is never opened afterwards. */
final class WithdrawnSetRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R13;
    }

    @Override
    public String source() {
        return "004 Art.18";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.OPEN).ifPresent(h -> {
            java.util.Map<PaperSet, List<org.custody.model.BagId>> opened = new java.util.LinkedHashMap<>();
            for (BagMove move : h.bags()) {
                in.bag(move).ifPresent(bag -> {
                    var b = bag.bag;
                    if (b.set() == null || b.session() == null || b.subject() == null) {
                        return;
                    }
                    PaperSet set = new PaperSet(b.exam(), b.session(), b.subject(), b.set());
                    if (in.state().withdrawn.contains(set)) {
                        opened.computeIfAbsent(set, x -> new java.util.ArrayList<>()).add(move.bag());
                    }
                });
            }
            opened.forEach((set, bags) -> out.add(in.finding(code(), "set " + set.set() + " of " + set.subject() + " "
                    + set.session() + " was withdrawn, yet opened / 已停用的" + set.set() + "卷被启封", bags, h.parties())));
        });
    }
}
