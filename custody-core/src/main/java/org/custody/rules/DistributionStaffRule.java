package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Role;
import org.custody.model.Step;

/** R02: sorting and distribution (分发) needs at least 3 staff plus a discipline inspector. */
final class DistributionStaffRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R02;
    }

    @Override
    public String source() {
        return "004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.DISTRIBUTE).ifPresent(h -> {
            long inspectors = in.count(h.parties(), Role.DISCIPLINE_INSPECTOR);
            long staff = h.parties().size() - inspectors;
            int needed = in.policy().distributionStaff();
            if (staff < needed || inspectors == 0) {
                out.add(in.finding(code(), "distribution with " + staff + " staff and " + inspectors
                        + " discipline inspectors; needs " + needed + " staff and an inspector / 分发须" + needed
                        + "名以上工作人员及纪检监察人员在场", in.bagIds(), h.parties())
                        .comparing(needed + " staff + 1 inspector", staff + " staff + " + inspectors + " inspector(s)"));
            }
        });
    }
}
