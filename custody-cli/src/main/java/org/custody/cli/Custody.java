package org.custody.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import org.custody.audit.FindingClass;
import org.custody.crypto.KeyFileException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.LedgerStoreException;
import org.custody.record.MalformedRecordException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code custody} command: one subcommand per verb. User mistakes end with a message saying what was
 * wrong and what to do next, and status 2; never a stack trace.
 */
@Command(name = "custody", mixinStandardHelpOptions = true, version = "custody 0.1.0",
        description = "Chain-of-custody ledger for sealed exam papers (试卷保密交接台账).",
        subcommands = {InitCommand.class, KeysCommand.class, PeopleCommand.class, BagsCommand.class,
                HandoffCommand.class, SignCommand.class, IncidentCommand.class, HistoryCommand.class, VerifyCommand.class,
                DemoCommand.class, LabelCommand.class, ScanCommand.class,
                ExportCommand.class, CheckpointCommand.class, EvidenceCommand.class,
                ServeCommand.class, BatchCommand.class},
        footer = {"", "Exit status: 0 done; 1 custody-rule findings;",
                "2 usage or input error (nothing stored); 3 integrity findings, or an append",
                "refused for integrity; 4 refused by a strict exam policy (nothing stored).",
                "Set CUSTODY_DEBUG=1 to see stack traces of unexpected failures. See docs/cli.md."})
public final class Custody {
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
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> Exit.USAGE);
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("error: " + e.getMessage());
            w.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
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

    /** Where commands ask people for key files, passphrases and scanned bags. */
    static Terminal terminal(CommandSpec spec) {
        return ((Custody) spec.root().userObject()).terminal;
    }

    /** Reports {@code e} on {@code err} and returns the exit status. */
    static int failure(Exception e, CommandSpec spec, PrintWriter err) {
        if (e instanceof UserError u) {
            err.println("error: " + u.getMessage());
            return u.status();
        }
        if (e instanceof ServerError s) {
            err.println("error: " + s.getMessage());
            s.findings().forEach(f -> err.println("  " + f.code() + " " + f.message()));
            return s.status();
        }
        if (e instanceof AppendRefusedException r) {
            boolean integrity = r.code().findingClass() == FindingClass.INTEGRITY;
            err.println("refused: " + r.getMessage());
            err.println(integrity
                    ? "Nothing was stored. The record fails an integrity check; check the signers' keys and the bag ids, then run again."
                    : "Nothing was stored: the exam's policy is strict. Correct the handoff (signers, step, counts) and run again.");
            return integrity ? Exit.INTEGRITY : Exit.REFUSED;
        }
        if (e instanceof LedgerStoreException || e instanceof KeyFileException) {
            err.println("error: " + e.getMessage());
            return Exit.USAGE;
        }
        if (e instanceof IllegalArgumentException || e instanceof DateTimeException || e instanceof MalformedRecordException) {
            err.println("error: " + e.getMessage());
            err.println("Nothing was stored. Correct the value and run again; '" + spec.qualifiedName() + " --help' lists the options.");
            return Exit.USAGE;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("error: " + io.getCause().getMessage() + "; check the path and its permissions, then run again");
            return Exit.USAGE;
        }
        err.println("error: unexpected failure (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").");
        err.println("Nothing half-done is stored (appends are atomic). This is a bug: rerun with CUSTODY_DEBUG=1 and report the output.");
        if (System.getenv("CUSTODY_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return Exit.SOFTWARE;
    }
}
