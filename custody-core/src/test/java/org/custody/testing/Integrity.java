package org.custody.testing;

import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingClass;

/** For tests about integrity: the integrity findings of a report, ignoring custody-rule findings. */
public final class Integrity {
    private Integrity() {}

    public static java.util.Map<org.custody.audit.FindingCode, Long> counts(AuditReport report) {
        java.util.Map<org.custody.audit.FindingCode, Long> out = new java.util.EnumMap<>(org.custody.audit.FindingCode.class);
        report.counts().forEach((code, n) -> {
            if (code.findingClass() == FindingClass.INTEGRITY) out.put(code, n);
        });
        return out;
    }

    public static List<Finding> findings(AuditReport report) {
        return report.findings().stream().filter(f -> f.code().findingClass() == FindingClass.INTEGRITY).toList();
    }
}
