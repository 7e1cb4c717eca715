package org.custody.server.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The console's links, each path segment percent-encoded (a template HTML-escapes them again). */
public final class Urls {
    private Urls() {}

    /** One path segment, percent-encoded. */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String board(String ledger) {
        return "/console/" + segment(ledger) + "/board";
    }

    /** One of a ledger's pages: {@code findings}, {@code reconciliation}, {@code integrity}. */
    public static String page(String ledger, String page) {
        return "/console/" + segment(ledger) + "/" + page;
    }

    /** The bag's story, at entry {@code seq}. */
    public static String entry(String ledger, String bag, long seq) {
        return bag(ledger, bag) + "#e" + seq;
    }

    public static String search(String ledger) {
        return "/console/" + segment(ledger) + "/search";
    }

    public static String search(String ledger, String query, int page) {
        return search(ledger) + "?q=" + segment(query) + "&page=" + page;
    }

    /** The findings page, filtered as {@code filter} says, read on from the cursor {@code after}. */
    public static String findings(String ledger, ConsoleQueries.FindingFilter filter, String after) {
        StringBuilder url = new StringBuilder(page(ledger, "findings")).append("?after=").append(segment(after));
        String[][] fields = {{"code", filter.code()}, {"severity", filter.severity()}, {"site", filter.site()},
                {"person", filter.person()}, {"from", filter.from()}, {"to", filter.to()}};
        for (String[] field : fields) {
            if (field[1] != null) {
                url.append('&').append(field[0]).append('=').append(segment(field[1]));
            }
        }
        return url.toString();
    }

    public static String bag(String ledger, String bag) {
        return "/console/" + segment(ledger) + "/bags/" + segment(bag);
    }

    public static String evidence(String ledger, String bag) {
        return bag(ledger, bag) + "/evidence";
    }

    public static String events(String ledger) {
        return "/console/" + segment(ledger) + "/events";
    }
}
