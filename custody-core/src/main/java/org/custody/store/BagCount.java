package org.custody.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How many bags share the values of the columns a grouped question asked by ({@link LedgerStore#bagCounts}): the values
 * in the order of the columns asked for ({@code null} where the bag has none; a stage or step of a bag only registered
 * is {@link BagQuery#REGISTERED}), and the number of bags.
 */
public record BagCount(List<String> values, long bags) {
    public BagCount {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }
}
