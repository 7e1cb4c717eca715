package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * R04: seamless custody (无缝衔接): who received a bag in one handoff releases it in the next; a step that
 * keeps custody (no {@code from}, e.g. opening) is done by the current holder.
 */
final class SeamlessCustodyRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R04;
    }

    @Override
    public String source() {
        return "004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        if (in.handoff().isEmpty()) {
            return;
        }
        Handoff h = in.handoff().get();
        java.util.Map<PersonId, List<org.custody.model.BagId>> heldByOthers = new java.util.LinkedHashMap<>();
        PersonId actor = h.from() != null ? h.from() : h.to();
        for (BagMove move : h.bags()) {
            in.bag(move).ifPresent(bag -> {
                PersonId holder = bag.holder;
                if (holder == null) {
                    return;
                }
                if (!actor.equals(holder)) {
                    heldByOthers.computeIfAbsent(holder, x -> new java.util.ArrayList<>()).add(move.bag());
                }
            });
        }
        String role = h.from() != null ? "released" : "handled";
        heldByOthers.forEach((holder, bags) -> out.add(in.finding(code(), role + " by " + actor + " but held by " + holder
                + " / 交接不衔接：由" + holder + "保管，却由" + actor + "交出", bags, List.of(actor, holder)).comparing(holder, actor)));
    }
}
