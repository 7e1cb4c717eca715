package org.custody.rules;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagKind;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R10: answer-sheet bags are back in the vault within the policy's time (3 hours by default) after their
 * session ends: checked when they come back, and at the end of the ledger for those still out.
 */
final class AnswerReturnRule implements BagDeadlineRule {
    @Override
    public FindingCode code() {
        return FindingCode.R10;
    }

    @Override
    public String source() {
        return "003";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.VAULT_RETURN).ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).filter(b -> b.bag.kind() == BagKind.ANSWER_SHEET && !b.returnedToVault).ifPresent(bag ->
                        deadline(in.state(), bag).filter(h.at()::isAfter).ifPresent(due ->
                                out.add(in.finding(code(), "answer sheets " + move.bag() + " returned to the vault late"
                                        + " / 答卷未按时回库", move.bag()).comparing("by " + due, h.at()))));
            }
        });
    }

    @Override
    public boolean running(BagState b) {
        return b.bag.kind() == BagKind.ANSWER_SHEET && b.collectedAt != null && !b.returnedToVault && !b.destroyed;
    }

    @Override
    public void overdue(CustodyState state, BagState bag, Instant asOf, List<Finding> out) {
        deadline(state, bag).filter(asOf::isAfter).ifPresent(due ->
                out.add(RuleInput.finding(code(), bag.lastSeq, bag.lastHash, bag.lastEntryAt, List.of(bag.bag.id()),
                        bag.holder == null ? List.of() : List.of(bag.holder),
                        "answer sheets " + bag.bag.id() + " not back in the vault / 答卷未回库")
                        .comparing("by " + due, "still out at " + asOf)));
    }

    private static Optional<Instant> deadline(CustodyState state, BagState bag) {
        return state.session(bag.bag.exam(), bag.bag.session(), bag.bag.subject())
                .map(s -> s.endsAt().plus(state.policy(bag.bag.exam()).returnWithin()));
    }
}
