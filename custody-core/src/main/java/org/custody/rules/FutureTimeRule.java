package org.custody.rules;

import java.time.Duration;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Policy;

/**
 * R22: a record does not claim a time later than the moment the ledger appends it, beyond the policy's tolerance for
 * the clocks of signing devices ({@link Policy#aheadAllowed}, 10 minutes unless stated). A record from the future
 * cannot be what happened (a 2030 typo, a wrong device clock); the gate refuses it under every policy, and the
 * verifier repeats the check against each entry's append time. Entries without an append time are not checked.
 */
final class FutureTimeRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R22;
    }

    @Override
    public String source() {
        return "004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        if (in.appended() == null) {
            return;
        }
        // a record of the whole ledger (a key record) is held to the tightest tolerance any exam states
        Duration allowed = in.ledgerWide() ? in.policies().stream().map(org.custody.model.Policy::aheadAllowed)
                .min(Duration::compareTo).orElse(Policy.FUTURE_TOLERANCE) : in.policy().aheadAllowed();
        if (!in.record().at().isAfter(in.appended().plus(allowed))) {
            return;
        }
        out.add(in.finding(code(), "the record claims " + in.record().at() + ", later than the moment it is appended ("
                + in.appended() + ") by more than " + allowed.toMinutes() + " minutes; check the date and time given (--at)"
                + " / 记录时间晚于入账时间超过" + allowed.toMinutes() + "分钟，请核对日期和时间", in.bagIds(), in.record().parties())
                .comparing("not after " + in.appended().plus(allowed), in.record().at()));
    }
}
