package org.custody.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R06: a question-paper bag is not opened before its session's permitted opening time (the session start
 * less the policy's opening lead, 5 minutes by default). Opening a bag whose session has no timetable
 * entry is a finding too: the time cannot be checked.
 */
final class OpeningTimeRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R06;
    }

    @Override
    public String source() {
        return "002";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.OPEN).ifPresent(h -> {
            List<BagId> unscheduled = new ArrayList<>();
            Map<Instant, List<BagId>> early = new LinkedHashMap<>();
            for (BagMove move : h.bags()) {
                in.bag(move).filter(b -> b.bag.kind() == BagKind.QUESTION_PAPER || b.bag.kind() == BagKind.SPARE_PAPER)
                        .ifPresent(bag -> {
                            var session = in.state().session(bag.bag.exam(), bag.bag.session(), bag.bag.subject());
                            if (session.isEmpty()) {
                                unscheduled.add(move.bag());
                                return;
                            }
                            Instant earliest = session.get().startsAt().minus(in.state().policy(bag.bag.exam()).openingLead());
                            if (h.at().isBefore(earliest)) {
                                early.computeIfAbsent(earliest, t -> new ArrayList<>()).add(move.bag());
                            }
                        });
            }
            if (!unscheduled.isEmpty()) {
                out.add(in.finding(code(), "no timetable for the session of " + unscheduled
                        + ": the opening time cannot be checked / 无考试日程，无法核验启封时间", unscheduled, h.parties()));
            }
            early.forEach((earliest, bags) -> {
                long minutes = Duration.between(h.at(), earliest).toMinutes();
                out.add(in.finding(code(), "opened " + minutes + " min before the permitted time / 提前" + minutes + "分钟启封",
                        bags, h.parties()).comparing("not before " + earliest, h.at()));
            });
        });
    }
}
