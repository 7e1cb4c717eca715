package org.custody.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.custody.audit.Finding;

/**
 * A time limit that runs for one bag at a time (R10: answer sheets back in the vault; R11: grading returned the same
 * day). Whether it runs for a bag depends on that bag's state alone, so a store can index the bags it runs for and a
 * question "which bags are late now" reads those bags only, with the same answer as a pass over every bag.
 */
interface BagDeadlineRule extends TimedRule {
    /** Whether the limit runs for {@code bag} now: it must still do something by a time. */
    boolean running(BagState bag);

    /** Adds the finding for {@code bag}, one the limit runs for, if it is overdue as of {@code asOf}. */
    void overdue(CustodyState state, BagState bag, Instant asOf, List<Finding> out);

    /** Every bag the limit runs for, by id, checked as of {@code asOf}. */
    @Override
    default void finish(CustodyState state, Instant asOf, List<Finding> out) {
        overdue(state, state.bags.all(), asOf, out);
    }

    /** Those of {@code bags} the limit runs for, in order of id, checked as of {@code asOf}. */
    default void overdue(CustodyState state, java.util.Collection<BagState> bags, Instant asOf, List<Finding> out) {
        bags.stream().filter(this::running).sorted(Comparator.comparing(b -> b.bag.id().value()))
                .forEach(bag -> overdue(state, bag, asOf, out));
    }
}
