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
 * R12: while bags are stored in a vault, its video is reviewed (a vault_inspection incident at the vault's
 * place) at least every 6 hours, or the policy's interval. A gap is reported at the inspection or handoff
 * that ends it, or at the end of the ledger.
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
        });
        for (String place : touched) {
            VaultState vault = in.state().vaults.get(place);
            if (vault != null && vault.stored > 0 && overdue(vault, in.record().at(), interval(in))) {
                out.add(in.finding(code(), "vault " + place + " not inspected for "
                        + Duration.between(vault.lastCheck, in.record().at()).toMinutes() + " min while storing bags"
                        + " / 保密室监控回放间隔超过规定", in.bagIds(), in.record().parties())
                        .comparing("every " + interval(in).toMinutes() + " min", "last at " + vault.lastCheck));
            }
        }
    }

    @Override
    public void finish(CustodyState state, Instant asOf, List<Finding> out) {
        state.vaults.values().stream().filter(v -> v.stored > 0).sorted(Comparator.comparing(v -> v.place)).forEach(vault -> {
            Duration interval = state.inspectionInterval();
            if (overdue(vault, asOf, interval)) {
                out.add(RuleInput.finding(code(), vault.lastCheckSeq, vault.lastCheckHash, vault.lastCheck, List.of(), List.of(), "vault "
                        + vault.place + " storing " + vault.stored + " bags not inspected since " + vault.lastCheck
                        + " / 保密室监控未按时回放").comparing("every " + interval.toMinutes() + " min", "none until " + asOf));
            }
        });
    }

    static boolean overdue(VaultState vault, Instant at, Duration interval) {
        return vault.lastCheck != null && Duration.between(vault.lastCheck, at).compareTo(interval) > 0;
    }

    private static Duration interval(RuleInput in) {
        return in.state().inspectionInterval();
    }
}
