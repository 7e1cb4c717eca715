package org.custody.cli;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * The exit-status section of {@code custody --help}: every status above with its meaning, in English and
     * Chinese. Kept here, beside the constants, so that a new status is explained where it is made; ExitStatusHelpTest
     * checks that every constant is listed.
     */
    static List<String> helpSection() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Exit status (退出状态):");
        lines.add(row(OK, "done; verify: intact, no findings (完成)"));
        lines.add(row(RULE_FINDINGS, "custody-rule findings, recorded or found by verify (规则发现)"));
        lines.add(row(USAGE, "usage or input error; nothing stored (用法或输入错误，未保存)"));
        lines.add(row(INTEGRITY, "integrity findings, or an append refused for one (完整性问题)"));
        lines.add(row(REFUSED, "refused by a strict exam policy; nothing stored (严格政策拒绝，未保存)"));
        lines.add(row(SOFTWARE, "unexpected failure: a bug to report (程序错误，请报告)"));
        lines.add("CUSTODY_DEBUG=1 shows the stack trace of an unexpected failure (显示异常堆栈).");
        lines.add("");
        lines.add("'custody help VERB' shows a verb's usage (显示命令用法).");
        lines.add("'custody completion' prints a bash/zsh completion script (命令补全脚本).");
        lines.add("See docs/cli.md.");
        return lines;
    }

    private static String row(int status, String meaning) {
        return String.format("  %-3d %s", status, meaning);
    }
}
