package org.custody.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagKind;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R25: a question-paper bag is received at its exam site (考点接收, or any later step of its life) before its session
 * starts: invigilators pick the papers up there about 30 minutes before the start (domain.md; 002, 附件2 "考前30分钟
 * ... 领取试卷是否有交接手续"). Judged for bags sent out of the vault to their site: when the bag arrives, and, while it
 * has not, as a time limit (the exam-day board's "not yet received by session start"). A bag whose session has no
 * timetable entry is not judged (R06 names it when it is opened).
 */
final class SiteArrivalRule implements BagDeadlineRule {
    @Override
    public FindingCode code() {
        return FindingCode.R25;
    }

    @Override
    public String source() {
        return "002; domain.md";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).filter(this::running).filter(b -> arrives(h, b.bag)).ifPresent(bag -> start(in.state(), bag).filter(h.at()::isAfter)
                        .ifPresent(start -> out.add(in.finding(code(), "question papers " + move.bag() + " received at the"
                                + " site " + Duration.between(start, h.at()).toMinutes() + " min after the session started"
                                + " / 试卷袋开考后才送达考点", move.bag()).comparing("by " + start, h.at()))));
            }
        });
    }

    /**
     * A question-paper bag sent to its site and not there yet: distributed out of the vault, or on an escort. A bag kept
     * in the vault is not judged: a backup set stays there through the exam, and which sets go out is the exam
     * office's choice (a set switched during the exam is an incident, R13).
     */
    @Override
    public boolean running(BagState b) {
        return b.bag.kind() == BagKind.QUESTION_PAPER && !b.destroyed && !b.atSite
                && (b.lastStep == Step.DISTRIBUTE || b.lastStep == Step.ESCORT);
    }

    @Override
    public void overdue(CustodyState state, BagState bag, Instant asOf, List<Finding> out) {
        start(state, bag).filter(asOf::isAfter).ifPresent(start ->
                out.add(RuleInput.finding(code(), bag.lastSeq, bag.lastHash, bag.lastEntryAt, List.of(bag.bag.id()),
                        bag.holder == null ? List.of() : List.of(bag.holder),
                        "question papers " + bag.bag.id() + " not received at the site by the start of their session"
                                + " / 试卷袋开考时尚未送达考点")
                        .comparing("received by " + start, "not received at " + asOf)));
    }

    /**
     * Whether handoff {@code h} has {@code bag} at its site: the escort's handoff at the site (its place is the bag's
     * site), or a step of the site or after it (receipt, pickup, opening, collection...).
     */
    static boolean arrives(org.custody.record.Handoff h, org.custody.model.Bag bag) {
        return h.step().ordinal() >= Step.SITE_RECEIPT.ordinal()
                || (h.step() == Step.ESCORT && h.place() != null && bag.site() != null && bag.site().equals(h.place().id()));
    }

    private static Optional<Instant> start(CustodyState state, BagState bag) {
        return state.session(bag.bag.exam(), bag.bag.session(), bag.bag.subject()).map(s -> s.startsAt());
    }
}
