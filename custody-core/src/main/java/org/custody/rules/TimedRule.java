package org.custody.rules;

import java.time.Instant;
import java.util.List;
import org.custody.audit.Finding;

/** A rule about something that must happen within a time: at the end of a ledger it reports what is overdue. */
interface TimedRule extends Rule {
    void finish(CustodyState state, Instant asOf, List<Finding> out);
}
