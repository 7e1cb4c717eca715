package org.custody.ledger;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;

/**
 * Where a record landed: its sequence number and entry hash. {@code alreadyPresent} is true when the same
 * record (same id, same content) was appended before, so nothing new was stored. {@code findings} are the
 * custody-rule breaches the record shows, stored as it happened under a record-what-happened policy (or
 * lateness, which is never refused); verification reports them too.
 */
public record Appended(long seq, Hash hash, boolean alreadyPresent, List<Finding> findings) {
    public Appended {
        findings = List.copyOf(findings);
    }

    public Appended(long seq, Hash hash, boolean alreadyPresent) {
        this(seq, hash, alreadyPresent, List.of());
    }
}
