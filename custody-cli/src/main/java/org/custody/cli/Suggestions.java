package org.custody.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What a mistyped command line is told, on standard error, in English and Chinese: an unknown verb or option
 * with the nearest ones ("did you mean"), else picocli's own message; always where the usage is. Picocli's
 * {@link UnmatchedArgumentException#getSuggestions()} offers the three verbs most alike even when none is near
 * ("frobnicate" gets three unrelated verbs) and for options only those sharing the first two letters ("--ledgr"
 * gets every "--l..." option); here a suggestion is a name within a few typing mistakes of the word, or one
 * it begins.
 */
final class Suggestions {
    private Suggestions() {}

    /** Reports the usage error {@code e} on {@code w}; the caller ends with {@link Exit#USAGE}. */
    static void usageError(ParameterException e, PrintWriter w) {
        CommandLine cli = e.getCommandLine();
        String name = cli.getCommandSpec().qualifiedName();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (word.startsWith("-")) {
                w.println(unknownOption(cli.getCommandSpec(), word));
            } else if (!cli.getSubcommands().isEmpty()) {
                w.println(unknownVerb(cli, word));
            } else {
                w.println("error: " + e.getMessage() + " (多余的参数)");
            }
        } else {
            w.println("error: " + e.getMessage() + " (" + zh(e) + ")");
        }
        w.println("Run '" + name + " --help' for usage (用法见 '" + name + " --help').");
    }

    /** Picocli's other parse errors, said in Chinese: its own messages are English only. */
    private static String zh(ParameterException e) {
        if (e instanceof CommandLine.MissingParameterException) {
            return "缺少必需的选项或参数";
        }
        if (e instanceof CommandLine.OverwrittenOptionException) {
            return "选项重复";
        }
        if (e instanceof CommandLine.MaxValuesExceededException) {
            return "参数过多";
        }
        if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
            return "选项不能同时使用";
        }
        if (String.valueOf(e.getMessage()).startsWith("Invalid value")) {
            return "选项或参数的值无效";
        }
        return "命令行有误";
    }

    /** "{@code parent} has no verb {@code word}", and the verbs it may have meant; no line end. */
    static String unknownVerb(CommandLine parent, String word) {
        String name = parent.getCommandSpec().qualifiedName();
        Set<String> verbs = new LinkedHashSet<>();
        parent.getSubcommands().forEach((verb, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                verbs.add(verb);
            }
        });
        List<String> near = near(word, verbs);
        String message = "error: '" + name + "' has no verb '" + word + "' (没有这个命令: " + name + " " + word + ")";
        if (near.isEmpty()) {
            return message;
        }
        List<String> full = near.stream().map(v -> name + " " + v).toList();
        return message + System.lineSeparator() + "Did you mean " + String.join(" or ", full.stream().map(v -> "'" + v + "'").toList())
                + "? (您是否要输入: " + String.join("、", full) + ")";
    }

    /** "{@code spec} has no option {@code word}", and the options it may have meant; no line end. */
    static String unknownOption(CommandSpec spec, String word) {
        String typed = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        Set<String> names = new LinkedHashSet<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden()) {
                names.addAll(List.of(o.names()));
            }
        }
        List<String> near = near(typed, names);
        String message = "error: '" + spec.qualifiedName() + "' has no option '" + typed + "' (没有这个选项: " + typed + ")";
        if (near.isEmpty()) {
            return message;
        }
        return message + System.lineSeparator() + "Did you mean " + String.join(" or ", near) + "? (您是否要输入: "
                + String.join("、", near) + ")";
    }

    /**
     * The names near {@code word}, nearest first, at most three: within two edits (a letter left out, added, changed,
     * or two swapped; one edit for words of two to four letters, none for one letter), or that begin with it when it
     * has three letters or more.
     */
    static List<String> near(String word, Iterable<String> names) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        String bare = w.replaceFirst("^-+", "");
        List<String> found = new ArrayList<>();
        List<Integer> distances = new ArrayList<>();
        for (String name : names) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            int d = distance(w, n);
            int allowed = bare.length() <= 1 ? 0 : bare.length() <= 4 ? 1 : 2;
            boolean prefix = bare.length() >= 3 && n.replaceFirst("^-+", "").startsWith(bare) && n.startsWith(w.substring(0, w.length() - bare.length()));
            if (d <= allowed || prefix) {
                found.add(name);
                distances.add(d);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(distances::get));
        return order.stream().limit(3).map(found::get).toList();
    }

    /** Edits from {@code a} to {@code b}: letters inserted, deleted, replaced, or two neighbours swapped. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
