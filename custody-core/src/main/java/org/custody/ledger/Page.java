package org.custody.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a long answer: its items, in order, and where the next page starts ({@code next}: the cursor to pass as
 * {@code after} for the page that follows; empty on the last page). A cursor is a short text (an entry position, a bag
 * id, or a finding's {@code seq:n}); a page after a cursor holds what follows it at the time it is read.
 */
public record Page<T>(List<T> items, Optional<String> next) {
    /** The most items one page holds. */
    public static final int MAX_LIMIT = 10_000;

    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /**
     * The page of {@code fetched}, rows read one past {@code limit} (so that whether another page follows is known): its
     * first {@code limit} rows as items, and the cursor of the last of them if a row is left over.
     */
    static <R, T> Page<T> of(List<R> fetched, int limit, java.util.function.Function<R, String> cursor,
                             java.util.function.Function<R, T> item) {
        boolean more = fetched.size() > limit;
        List<R> rows = more ? fetched.subList(0, limit) : fetched;
        return new Page<>(rows.stream().map(item).toList(),
                more ? Optional.of(cursor.apply(rows.get(limit - 1))) : Optional.empty());
    }

    /** Checks a page size asked for: 1 to {@link #MAX_LIMIT}. */
    static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new org.custody.failure.MalformedInputException("a page holds 1 to " + MAX_LIMIT + " items, not " + limit
                    + " / 每页条数应为 1 至 " + MAX_LIMIT);
        }
        return limit;
    }
}
