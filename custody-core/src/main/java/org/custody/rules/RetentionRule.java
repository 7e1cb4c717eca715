package org.custody.rules;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagKind;
import org.custody.model.Policy;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R14: answer sheets are not destroyed before their retention period ends: 3 years after the session
 * (1 year where the policy says they were scanned), counted from the session end, else from collection.
 */
final class RetentionRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R14;
    }

    @Override
    public String source() {
        return "004 Art.33";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.DESTROY).ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).filter(b -> b.bag.kind() == BagKind.ANSWER_SHEET).ifPresent(bag -> {
                    Instant from = in.state().session(bag.bag.exam(), bag.bag.session(), bag.bag.subject())
                            .map(s -> s.endsAt()).orElse(bag.collectedAt != null ? bag.collectedAt : bag.lastAt);
                    Policy policy = in.state().policy(bag.bag.exam());
                    Instant until = ZonedDateTime.ofInstant(from, policy.zone()).plus(policy.retention()).toInstant();
                    if (h.at().isBefore(until)) {
                        out.add(in.finding(code(), "answer sheets " + move.bag() + " destroyed before their retention ends"
                                + " / 答卷保存期未满即销毁", move.bag()).comparing("not before " + until, h.at()));
                    }
                });
            }
        });
    }
}
