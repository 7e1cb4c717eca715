package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Role;
import org.custody.model.Step;

/** R03: an escort between the vault and the exam site includes a police or armed-police officer among its signers. */
final class PoliceEscortRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R03;
    }

    @Override
    public String source() {
        return "003";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.handoff().filter(h -> h.step() == Step.ESCORT || h.step() == Step.RETURN_ESCORT).ifPresent(h -> {
            if (in.count(h.parties(), Role.POLICE) == 0) {
                out.add(in.finding(code(), "escort without a police or armed-police officer among the signers / 押运无公安或武警人员签字",
                        in.bagIds(), h.parties()));
            }
        });
    }
}
