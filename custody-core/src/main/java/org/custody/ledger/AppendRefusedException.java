package org.custody.ledger;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;

/**
 * An append was refused because the record failed an integrity check; nothing was stored.
 * {@link #finding()} names the check (its code I01-I07), the entry position and the expected value.
 */
public final class AppendRefusedException extends RuntimeException {
    private final transient List<Finding> findings;
    private final int index;

    AppendRefusedException(int index, List<Finding> findings) {
        super(message(index, findings));
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

    public FindingCode code() {
        return findings.get(0).code();
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
