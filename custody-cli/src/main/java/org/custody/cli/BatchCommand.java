package org.custody.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custody batch}: runs a file of custody commands in one process, showing each; every signer unlocks
 * their key once for the whole batch ({@link Keyring}), and each ledger file is opened once ({@link OpenLedgers}). For scripts and for a station that records a whole
 * session's handoffs: one Java start and one passphrase per person instead of one per command.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the custody commands in FILE, one per line, in order, in one process (批量执行).",
                "Each line is a command as typed after 'custody' (a leading 'custody' is allowed): words are separated by"
                        + " blanks; quote a word holding blanks with '...' or \"...\"; a backslash escapes the next character"
                        + " outside single quotes. Blank lines and lines starting with # are skipped ('#' lines are shown).",
                "Each signer's key is unlocked once, at its first use, and kept in memory for the rest of the batch only.",
                "Each ledger file is opened once, at its first use, and kept open until the batch ends.",
                "Each command is shown before its output, without its passphrase-file options.",
                "Commands that end with status 0 or 1 (recorded with custody-rule findings) let the batch go on; the first"
                        + " other status stops it: what ran before is recorded, nothing after it runs.",
                "Exit status: that of the command that stopped the batch, else 1 if any command reported custody-rule"
                        + " findings, else 0."})
final class BatchCommand implements Callable<Integer> {
    private static final long MAX_BYTES = 16L * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the commands, one per line (UTF-8)")
    Path file;

    @Option(names = "--quiet", description = "show only the commands' own output and errors, not each command line")
    boolean quiet;

    /** One command of the file: its line number and words. */
    record Line(long number, List<String> words) {}

    @Override
    public Integer call() {
        List<Object> items = read(file);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = Custody.terminal(spec);
        return Keyring.during(() -> OpenLedgers.during(() -> {
            int worst = Exit.OK;
            int commands = 0;
            for (Object item : items) {
                if (item instanceof String comment) {
                    if (!quiet) {
                        out.println(comment);
                    }
                    continue;
                }
                Line line = (Line) item;
                if (!quiet) {
                    out.println("$ custody " + shown(line.words()));
                }
                out.flush();
                int status = Custody.commandLine(out, err, terminal).execute(line.words().toArray(String[]::new));
                out.flush();
                commands++;
                if (status == Exit.RULE_FINDINGS) {
                    worst = Exit.RULE_FINDINGS;
                } else if (status != Exit.OK) {
                    err.println("error: " + file + " line " + line.number() + " ended with exit status " + status
                            + "; the batch stopped there: the " + (commands - 1) + " commands before it ran, nothing after it");
                    err.flush();
                    return status;
                }
            }
            out.println("batch " + file + ": " + commands + " command" + (commands == 1 ? "" : "s") + " done"
                    + (worst == Exit.RULE_FINDINGS ? ", some recorded with custody-rule findings (exit status 1)" : ""));
            return worst;
        }));
    }

    /** The file's commands ({@link Line}) and shown comments ({@code String}), in order; errors name the line. */
    static List<Object> read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new UserError(file + " is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; split it into several batches");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new UserError("no batch file " + file + "; check the path");
        } catch (CharacterCodingException e) {
            throw new UserError(file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage() + "; check its permissions");
        }
        List<Object> items = new ArrayList<>();
        long number = 0;
        for (String raw : text.split("\\R", -1)) {
            number++;
            String line = number == 1 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
            String t = line.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("#")) {
                items.add(t);
                continue;
            }
            List<String> words;
            try {
                words = words(t);
            } catch (IllegalArgumentException e) {
                throw new UserError(file + " line " + number + ": " + e.getMessage() + "; nothing was run");
            }
            if (!words.isEmpty() && words.get(0).equals("custody")) {
                words = words.subList(1, words.size());
            }
            if (words.isEmpty()) {
                throw new UserError(file + " line " + number + ": 'custody' alone is not a command; nothing was run");
            }
            if (words.get(0).equals("batch")) {
                throw new UserError(file + " line " + number + ": a batch cannot run another batch; nothing was run");
            }
            items.add(new Line(number, List.copyOf(words)));
        }
        return items;
    }

    /** The words of one line, split at blanks, with shell-like quoting. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("a quote ' opened at column " + (i + 1) + " is not closed");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= line.length()) {
                        throw new IllegalArgumentException("a quote \" opened at column " + (i + 1) + " is not closed");
                    }
                    char d = line.charAt(j);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && j + 1 < line.length() && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\')) {
                        j++;
                        d = line.charAt(j);
                    }
                    word.append(d);
                    j++;
                }
                inWord = true;
                i = j + 1;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("the line ends with a backslash; join the command onto one line");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The command as typed, without its passphrase-file options (paths only, but long and many). */
    private static String shown(List<String> words) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--passphrase-file") || w.equals("--ledger-key-passphrase-file")) {
                i++;
                continue;
            }
            if (w.startsWith("--passphrase-file=") || w.startsWith("--ledger-key-passphrase-file=")) {
                continue;
            }
            q.add(w.isEmpty() || w.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == '\'' || ch == '"' || ch == '\\')
                    ? "'" + w.replace("'", "'\\''") + "'" : w);
        }
        return String.join(" ", q);
    }
}
