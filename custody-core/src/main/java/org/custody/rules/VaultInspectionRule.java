package org.custody.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.IncidentType;
import org.custody.record.BagMove;

/**
 * R12: while a vault keeps papers for an exam, its video is reviewed (a vault_inspection incident at the vault's
 * place) at least every 6 hours, or the policy's interval. A gap is reported at the inspection or handoff
 * that ends it, or at the end of the ledger. Keeping ends when the vault holds only answer sheets back from grading
 * (archived) and papers of exams whose last session has ended; a gap counts only up to then.
 */
final class VaultInspectionRule implements TimedRule {
    @Override
    public FindingCode code() {
        return FindingCode.R12;
    }

    @Override
    public String source() {
        return "003";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        Set<String> touched = new LinkedHashSet<>();
        in.incident().filter(i -> i.incident() == IncidentType.VAULT_INSPECTION && i.place() != null)
                .ifPresent(i -> touched.add(i.place().id()));
        in.handoff().ifPresent(h -> {
            for (BagMove move : h.bags()) {
                in.bag(move).filter(b -> b.vault != null).ifPresent(b -> touched.add(b.vault));
            }
            if (h.step().entersVault()) {
                // a vault whose keeping starts again: the gap of its last keeping is reported before the interval restarts
                touched.add(h.place().id());
            }
        });
        for (String place : touched) {
            VaultState vault = in.state().vaults.get(place);
            Instant until = vault == null || vault.stored == 0 ? null : keptUntil(vault, in.state(), in.record().at());
            if (until != null && overdue(vault, until, interval(in))) {
                out.add(in.finding(code(), "vault " + place + " not inspected for "
                        + Duration.between(vault.lastCheck, until).toMinutes() + " min while storing bags"
                        + " / 保密室监控回放间隔超过规定", in.bagIds(), in.record().parties())
                        .comparing("every " + interval(in).toMinutes() + " min", "last at " + vault.lastCheck));
            }
        }
    }

    @Override
    public void finish(CustodyState state, Instant asOf, List<Finding> out) {
        state.vaults.values().stream().filter(v -> v.stored > 0).sorted(Comparator.comparing(v -> v.place)).forEach(vault -> {
            Duration interval = state.inspectionInterval();
            Instant until = keptUntil(vault, state, asOf);
            if (overdue(vault, until, interval)) {
                out.add(RuleInput.finding(code(), vault.lastCheckSeq, vault.lastCheckHash, vault.lastCheck, List.of(), List.of(), "vault "
                        + vault.place + " storing " + vault.stored + " bags not inspected since " + vault.lastCheck
                        + " / 保密室监控未按时回放").comparing("every " + interval.toMinutes() + " min", "none until " + until));
            }
        });
    }

    /**
     * How far the gap since the last inspection counts, as seen at {@code at}: up to {@code at} while the vault keeps
     * papers for an exam, else up to when that keeping ended (003: 试卷保管期间; answer sheets back from grading are
     * archived, and an exam's other papers leave keeping when its last session ends).
     */
    private static Instant keptUntil(VaultState vault, CustodyState state, Instant at) {
        Instant end = vault.keepingEnd(state, at);
        return end == null || end.isAfter(at) ? at : end;
    }

    static boolean overdue(VaultState vault, Instant at, Duration interval) {
        return vault.lastCheck != null && Duration.between(vault.lastCheck, at).compareTo(interval) > 0;
    }

    private static Duration interval(RuleInput in) {
        return in.state().inspectionInterval();
    }
}
