package org.custody.rules;

import java.util.ArrayList;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Enrolment;

/**
 * R17: no single person governs the ledger. A policy change, a timetable, a revocation of someone else's key, a
 * compromise declaration (a revocation effective before it was recorded), and the incidents that change what may be
 * opened (set withdrawn, spare-paper approval) are signed by a responsible officer and a discipline inspector
 * ({@link Governance}); a correction by one of those who signed the corrected entry and a discipline inspector; an
 * enrolment is sponsored by an officer or an inspector. A key's owner may always revoke their own key from the time
 * they record it.
 */
final class GovernanceRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R17;
    }

    @Override
    public String source() {
        return "004 Art.5, Art.7, Art.46";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        if (in.record() instanceof Enrolment e) {
            checkSponsor(in, e, out);
            return;
        }
        // a record of the whole ledger (a key record) meets the quorum of every exam's policy; others their exam's
        List<org.custody.model.Policy> policies = in.ledgerWide() ? in.policies() : List.of(in.policy());
        List<PersonId> by = in.record().parties();
        List<Person> signers = new ArrayList<>();
        by.forEach(p -> in.state().person(p).ifPresent(signers::add));
        // the default once (for a correction it looks up the corrected entry's signers), then as each policy states it
        Governance byDefault = Governance.of(in.record(), in.state());
        if (byDefault == null) {
            return;
        }
        Governance needed = null;
        for (org.custody.model.Policy policy : policies) {
            Governance g = byDefault.under(policy);
            if (!g.metBy(signers)) {
                needed = g;
                break;
            }
        }
        if (needed == null) {
            return;
        }
        out.add(in.finding(code(), "the " + needed.action() + " is signed by " + describe(by, in) + "; it needs "
                + needed.english() + " / " + needed.chineseAction() + "须由" + needed.chinese() + "签署", in.bagIds(), by)
                .comparing(needed.english(), describe(by, in)));
    }

    private void checkSponsor(RuleInput in, Enrolment e, List<Finding> out) {
        Person sponsor = in.state().person(e.sponsor()).orElse(null);
        if (sponsor != null && sponsor.roles().stream().noneMatch(Governance.SPONSORS::contains)) {
            String may = Governance.SPONSORS.stream().map(Role::wire).sorted().toList().toString();
            out.add(in.finding(code(), "the enrolment of " + e.person().id() + " is sponsored by " + describe(List.of(e.sponsor()), in)
                    + ", who may not sponsor one; a sponsor holds one of " + may
                    + " / 人员登记须由主考、副主考、保密员或纪检监察人员担保", List.of(), List.of(e.sponsor()))
                    .comparing(may, describe(List.of(e.sponsor()), in)));
        }
    }

    /**
     * "P001 (print_supervisor 印刷监督), P002 (grader 评卷员)": each signer with their roles in both languages, since the
     * text is shown under the English and the Chinese line alike (expected and found).
     */
    private static String describe(List<PersonId> people, RuleInput in) {
        List<String> out = new ArrayList<>();
        for (PersonId p : people) {
            out.add(p + in.state().person(p).map(person -> " (" + String.join(", ", person.roles().stream()
                    .sorted(java.util.Comparator.comparing(Role::wire)).map(r -> r.wire() + " " + r.label().chinese()).toList()) + ")")
                    .orElse(" (not enrolled 未登记)"));
        }
        return people.size() == 1 ? out.get(0) + " alone 单独" : String.join(", ", out);
    }
}
