package org.custody.ledger;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.RefusedException;

/**
 * An append was refused because the record failed an integrity check or, under a strict policy, a custody
 * rule; nothing was stored.
 * {@link #finding()} names the check (its code), the entry position and the expected value.
 */
public final class AppendRefusedException extends RefusedException {
    private final transient List<Finding> findings;
    private final int index;

    public AppendRefusedException(int index, List<Finding> findings) {
        super(findings.get(0).code(), message(index, findings));
        this.findings = List.copyOf(findings);
        this.index = index;
    }

    private static String message(int index, List<Finding> findings) {
        Finding f = findings.get(0);
        String where = index >= 0 ? "record " + (index + 1) + " of the batch" : "record";
        return where + " refused: " + f.code() + " " + f.message()
                + (f.expected() == null ? "" : " (expected " + f.expected() + ", got " + f.actual() + ")")
                + (findings.size() > 1 ? " (+" + (findings.size() - 1) + " more)" : "");
    }

    /** The first failed check. */
    public Finding finding() {
        return findings.get(0);
    }

    /** Every failed check of the refused record. */
    public List<Finding> findings() {
        return findings;
    }

    /** Position of the refused record in its batch, or -1 for a single append. */
    public int index() {
        return index;
    }
}
