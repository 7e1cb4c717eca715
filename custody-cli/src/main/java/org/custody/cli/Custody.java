package org.custody.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import org.custody.audit.FindingCode;
import org.custody.audit.RefusedException;
import org.custody.failure.CustodyException;
import org.custody.failure.StoreException;
import org.custody.failure.VerificationException;
import org.custody.ledger.bundle.MalformedBundleException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * The {@code custody} command: one subcommand per verb. User mistakes end with a message saying what was
 * wrong and what to do next, and status 2; never a stack trace.
 */
@Command(name = "custody", mixinStandardHelpOptions = true, version = Custody.VERSION,
        description = "Chain-of-custody ledger for sealed exam papers (试卷保密交接台账).",
        subcommands = {InitCommand.class, KeysCommand.class, PeopleCommand.class, BagsCommand.class,
                HandoffCommand.class, SignCommand.class, IncidentCommand.class, HistoryCommand.class, EntriesCommand.class,
                FindingsCommand.class, VerifyCommand.class,
                DemoCommand.class, LabelCommand.class, ScanCommand.class, ReceiptCommand.class,
                ExportCommand.class, MigrateCommand.class, CheckpointCommand.class, EvidenceCommand.class, PolicyCommand.class,
                ServeCommand.class, WitnessCommand.class, ViewCommand.class, BatchCommand.class, StationCommand.class, HelpCommand.class, CompletionCommand.class})
public final class Custody {
    /** What {@code -V} prints, on every verb. */
    static final String VERSION = "custody 0.1.0";

    private final Terminal terminal;

    private Custody(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        int status = commandLine(out, err, Terminal.system()).execute(args);
        out.flush(); // autoflush covers println only: a note ends with print (checkpoint show, make)
        err.flush();
        System.exit(status);
    }

    /** The configured command line writing to {@code out} and {@code err}, reading standard input as lines. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, Terminal.lines(java.io.InputStream.nullInputStream()));
    }

    /** The configured command line; {@code execute} returns the exit status. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Terminal terminal) {
        CommandLine cli = new CommandLine(new Custody(terminal));
        cli.getCommandSpec().usageMessage().footer(Exit.helpSection().toArray(String[]::new));
        everyVerb(cli, c -> c.getCommandSpec().version(VERSION)); // -V on a verb: the same as 'custody -V'
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> Exit.USAGE);
        // the keys a command unlocks are wiped when it ends; in a batch, when the batch ends (Keyring)
        cli.setExecutionStrategy(parsed -> Keyring.active() ? new CommandLine.RunLast().execute(parsed)
                : Keyring.during(() -> new CommandLine.RunLast().execute(parsed)));
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter w = e.getCommandLine().getErr();
            Suggestions.usageError(e, w);
            w.flush();
            return Exit.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int status = failure(e, commandLine.getCommandSpec(), commandLine.getErr());
            commandLine.getErr().flush();
            return status;
        });
        return cli;
    }

    /** Applies {@code action} to {@code cli} and each of its verbs and sub-verbs. */
    static void everyVerb(CommandLine cli, java.util.function.Consumer<CommandLine> action) {
        action.accept(cli);
        for (CommandLine sub : new java.util.LinkedHashSet<>(cli.getSubcommands().values())) {
            everyVerb(sub, action);
        }
    }

    /** Where commands ask people for key files, passphrases and scanned bags. */
    static Terminal terminal(CommandSpec spec) {
        return ((Custody) spec.root().userObject()).terminal;
    }

    /**
     * Reports {@code e} on {@code err} and returns the exit status: the one place where failures become exit
     * statuses. Custody's typed failures ({@link CustodyException}) and the CLI's own ({@link UserError},
     * {@link ServerError}) are explained; anything else, an {@code IllegalArgumentException} included, is a bug (70).
     */
    static int failure(Exception e, CommandSpec spec, PrintWriter err) {
        if (e instanceof UserError u) {
            err.println("error: " + u.getMessage());
            return u.status();
        }
        if (e instanceof ServerError s) {
            err.println("error: " + s.getMessage());
            printFindings(err, s.findings(), zone(spec));
            return s.status();
        }
        if (e instanceof CustodyException c) {
            return custodyFailure(c, spec, err);
        }
        if (e instanceof UncheckedIOException io) {
            err.println("error: " + io.getCause().getMessage() + "; check the path and its permissions, then run again"
                    + " (无法读写文件，请检查路径和权限)");
            return Exit.USAGE;
        }
        if (e instanceof DateTimeException) {
            err.println("error: " + e.getMessage());
            err.println("Nothing was stored (未保存任何内容). Correct the time and run again; '" + spec.qualifiedName()
                    + " --help' lists the options.");
            return Exit.USAGE;
        }
        err.println("error: unexpected failure (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").");
        err.println("Nothing half-done is stored (appends are atomic; 追加操作是原子的，未留下半成品). This is a bug (程序错误):"
                + " rerun with CUSTODY_DEBUG=1 and report the output.");
        if (System.getenv("CUSTODY_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return Exit.SOFTWARE;
    }

    /**
     * Findings as an officer reads them, each in English and Chinese with its bags, people and expected and found
     * values, every time in {@code zone} (ReportWriter.finding), indented under what they explain.
     */
    static void printFindings(PrintWriter w, java.util.List<org.custody.audit.Finding> findings, java.time.ZoneId zone) {
        for (org.custody.audit.Finding f : findings) {
            w.print(org.custody.audit.ReportWriter.finding(f, zone).indent(2));
        }
        w.flush();
    }

    /**
     * After "recorded entry #N ...": the custody-rule findings stored with the record, if any, each in both languages;
     * the exit status (1 with findings, else 0).
     */
    static int recordedFindings(PrintWriter w, java.util.List<org.custody.audit.Finding> findings, java.time.ZoneId zone) {
        if (findings.isEmpty()) {
            return Exit.OK;
        }
        w.println("recorded with " + findings.size() + " custody-rule finding" + (findings.size() == 1 ? "" : "s")
                + " (the exam records what happened; 已记录，含 " + findings.size() + " 项规则发现):");
        printFindings(w, findings, zone);
        return Exit.RULE_FINDINGS;
    }

    /** The zone the command shows times in: its {@code --zone}, or the exam's default. */
    static java.time.ZoneId zone(CommandSpec spec) {
        picocli.CommandLine.Model.OptionSpec option = spec == null ? null : spec.findOption("--zone");
        Object value = option == null ? null : option.getValue();
        return value instanceof java.time.ZoneId z ? z : org.custody.model.Policy.ZONE;
    }

    private static int custodyFailure(CustodyException e, CommandSpec spec, PrintWriter err) {
        if (e instanceof MalformedBundleException b && b.line() <= 1) {
            // not even the first line of a bundle or evidence file: most likely the wrong file was given
            err.println("error: " + b.getMessage() + "; is this an export bundle or evidence file? 文件不是导出包或证据文件");
            return Exit.USAGE;
        }
        if (e instanceof MalformedBundleException b) {
            err.println("INTEGRITY FINDING " + FindingCode.I01 + ": the file is damaged (文件已损坏): " + b.getMessage());
            err.println("Its contents cannot be trusted as given (内容不可信): obtain a fresh copy from the ledger's keeper"
                    + " and verify that.");
            return Exit.INTEGRITY;
        }
        if (e instanceof RefusedException r) {
            boolean integrity = r.integrity();
            if (r instanceof org.custody.ledger.AppendRefusedException a) {
                err.println("refused (已拒绝)" + (a.index() >= 0 ? ": record " + (a.index() + 1) + " of the batch (批次中第 "
                        + (a.index() + 1) + " 条)" : "") + ":");
                printFindings(err, a.findings(), zone(spec));
            } else {
                err.println("refused: " + r.getMessage());
            }
            err.println(integrity
                    ? "Nothing was stored (未保存). The record fails an integrity check; check the signers' keys and the bag ids,"
                            + " then run again."
                    : "Nothing was stored (未保存): the exam's policy is strict. Correct the handoff (signers, step, counts)"
                            + " and run again.");
            return integrity ? Exit.INTEGRITY : Exit.REFUSED;
        }
        if (e instanceof VerificationException) {
            err.println("verification failed (验证失败): " + e.getMessage());
            err.println("Do not trust what depended on it; nothing was stored.");
            return Exit.INTEGRITY;
        }
        if (e instanceof StoreException) {
            err.println("error: " + e.getMessage());
            return Exit.USAGE;
        }
        err.println("error: " + e.getMessage());
        err.println("Nothing was stored (未保存任何内容). Correct the value and run again; '" + spec.qualifiedName()
                + " --help' lists the options.");
        return Exit.USAGE;
    }
}
