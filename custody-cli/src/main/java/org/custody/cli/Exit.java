package org.custody.cli;

import org.custody.audit.AuditReport;

/** The command's exit statuses, the same for every verb. */
final class Exit {
    /** Done; nothing to report. */
    static final int OK = AuditReport.EXIT_CLEAN;
    /** Done, with custody-rule findings (recorded as they happened, or found by verification). */
    static final int RULE_FINDINGS = AuditReport.EXIT_RULE_FINDINGS;
    /** Usage or input error: nothing was stored. */
    static final int USAGE = AuditReport.EXIT_USAGE;
    /** Integrity: a record cannot be trusted (verification), or an append was refused for it. */
    static final int INTEGRITY = AuditReport.EXIT_INTEGRITY;
    /** Refused under a strict exam policy because it breaks a custody rule: nothing was stored. */
    static final int REFUSED = 4;
    /** An unexpected failure: a bug to report. */
    static final int SOFTWARE = 70;

    private Exit() {}
}
