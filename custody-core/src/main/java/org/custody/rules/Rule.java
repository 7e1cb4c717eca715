package org.custody.rules;

import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;

/**
 * One custody rule of domain.md: its stable code, the article it comes from, and the check of one entry
 * against the state before that entry. Rules read the state; only {@link StateUpdate} changes it.
 */
interface Rule {
    FindingCode code();

    /** The regulation the rule comes from, e.g. {@code "004 Art.36"}. */
    String source();

    void check(RuleInput input, List<Finding> out);
}
