package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.custody.ledger.Page;
import picocli.CommandLine.Option;

/** One page of a long answer ({@code --limit}, {@code --after}), or all of it when no limit is given. */
final class PageOptions {
    @Option(names = "--limit", paramLabel = "N", description = "show at most N items, then the cursor of the next page"
            + " (default: all of them)")
    Integer limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "start after this cursor (from a page's 'more: --after')")
    String after;

    /** The items and the next page's cursor (empty when all was shown). */
    record Answer(List<JsonNode> items, Optional<String> next) {}

    /** A question with its subject (a bag query, a person...) and a page request. */
    @FunctionalInterface
    interface Question<Q> {
        Page<JsonNode> ask(Q subject, String after, int limit);
    }

    <Q> Answer ask(Question<Q> question, Q subject) {
        if (limit != null) {
            Page<JsonNode> page = question.ask(subject, after, limit);
            return new Answer(page.items(), page.next());
        }
        String from = after;
        java.util.ArrayList<JsonNode> items = new java.util.ArrayList<>();
        while (true) {
            Page<JsonNode> page = question.ask(subject, from, Questions.PAGE);
            items.addAll(page.items());
            if (page.next().isEmpty()) {
                return new Answer(items, Optional.empty());
            }
            from = page.next().get();
        }
    }
}
