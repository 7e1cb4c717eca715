package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.BagKind;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R07: counts reconcile end to end: copies printed (when counted) = copies planned; copies sealed = copies printed
 * (else planned); copies found at opening = copies sealed; answer sheets collected = present + absent = candidates
 * assigned; any other count recorded (in the vault, on the road, out to grading and back) = the count before it. A
 * count that must be recorded (sealing, opening, collection) and is missing is a finding.
 */
final class CountsRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R07;
    }

    @Override
    public String source() {
        return "004 Art.23, 25, 45";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).ifPresent(bag -> {
                    Integer planned = bag.bag.copies();
                    if (h.step() == Step.PRINT) {
                        if (move.count() != null) {
                            expect(in, out, move, "printed", planned, move.count());
                        }
                    } else if (h.step() == Step.SEAL) {
                        // what was printed (when counted), else the plan
                        expect(in, out, move, "sealed", bag.lastCount != null ? bag.lastCount : planned, move.count());
                    } else if (h.step() == Step.OPEN && bag.bag.kind() != BagKind.MARKING_REFERENCE) {
                        expect(in, out, move, "found at opening", bag.sealedCount != null ? bag.sealedCount : planned, move.count());
                    } else if (h.step() == Step.COLLECT && bag.bag.kind() == BagKind.ANSWER_SHEET) {
                        if (move.present() == null || move.absent() == null) {
                            out.add(in.finding(code(), "attendance (present, absent) not recorded at collection / 回收未记录实到、缺考人数",
                                    move.bag()));
                            return;
                        }
                        int attended = move.present() + move.absent();
                        expect(in, out, move, "present + absent", planned, attended);
                        expect(in, out, move, "collected", attended, move.count());
                    } else if (move.count() != null && bag.lastCount != null) {
                        // any other count (vault, escort, grading out and back) is the one counted before it
                        expect(in, out, move, "counted at " + h.step().wire(), bag.lastCount, move.count());
                    }
                });
            }
        });
    }

    private void expect(RuleInput in, List<Finding> out, BagMove move, String what, Integer expected, Integer actual) {
        if (actual == null) {
            out.add(in.finding(code(), "count " + what + " not recorded for " + move.bag() + " / 未记录份数", move.bag()));
        } else if (expected != null && !expected.equals(actual)) {
            out.add(in.finding(code(), "copies " + what + " do not reconcile for " + move.bag() + " / 份数不符", move.bag())
                    .comparing(expected, actual));
        }
    }
}
