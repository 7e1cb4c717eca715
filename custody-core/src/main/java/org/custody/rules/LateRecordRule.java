package org.custody.rules;

import java.time.Duration;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;

/**
 * R23: a record is appended within the policy's {@code recordWithin} of the time it claims. The claimed time is what
 * R06, R10 and R11 judge; a record appended long after it (written up after the fact, or backdated to hide a late
 * return) is listed with both times. Reported, never refused: refusing would lose the record of what happened. Not
 * checked when the policy states no limit, or the entry has no append time.
 */
final class LateRecordRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R23;
    }

    @Override
    public String source() {
        return "004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        // a record of the whole ledger (a key record) is held to the tightest limit any exam states
        Duration within = in.ledgerWide() ? in.policies().stream().map(org.custody.model.Policy::recordWithin)
                .filter(java.util.Objects::nonNull).min(Duration::compareTo).orElse(null) : in.policy().recordWithin();
        if (in.appended() == null || within == null) {
            return;
        }
        java.time.Instant latest = in.record().at().plus(within);
        if (!in.appended().isAfter(latest)) {
            return;
        }
        Duration late = Duration.between(in.record().at(), in.appended());
        out.add(in.finding(code(), "the record claims " + in.record().at() + " but was appended at " + in.appended() + ", "
                + english(late) + " later; the policy allows " + english(within)
                + " / 记录入账时间比其所记时间晚" + chinese(late) + "，超过政策允许的" + chinese(within),
                in.bagIds(), in.record().parties()).comparing("appended by " + latest, in.appended()));
    }

    /** {@code d} in days, hours and minutes, largest first, e.g. "2 days 3 hours", "90 minutes" below 2 hours. */
    static String english(Duration d) {
        if (d.toMinutes() < 120) {
            return d.toMinutes() + " minutes";
        }
        String hours = d.toHoursPart() == 0 ? "" : " " + d.toHoursPart() + " hour" + (d.toHoursPart() == 1 ? "" : "s");
        return d.toDays() == 0 ? d.toHours() + " hours" + (d.toMinutesPart() == 0 ? "" : " " + d.toMinutesPart() + " minutes")
                : d.toDays() + " day" + (d.toDays() == 1 ? "" : "s") + hours;
    }

    static String chinese(Duration d) {
        if (d.toMinutes() < 120) {
            return d.toMinutes() + "分钟";
        }
        return d.toDays() == 0 ? d.toHours() + "小时" + (d.toMinutesPart() == 0 ? "" : d.toMinutesPart() + "分钟")
                : d.toDays() + "天" + (d.toHoursPart() == 0 ? "" : d.toHoursPart() + "小时");
    }
}
