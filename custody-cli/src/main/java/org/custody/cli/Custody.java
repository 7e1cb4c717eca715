package org.custody.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.custody.audit.AuditReport;
import org.custody.crypto.KeyFileException;
import org.custody.ledger.LedgerStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code custody} command: one subcommand per verb; user mistakes end with a message and status 2. */
@Command(name = "custody", mixinStandardHelpOptions = true, version = "custody 0.1.0",
        description = "Chain-of-custody ledger for sealed exam papers (试卷保密交接台账).",
        subcommands = {VerifyCommand.class, HistoryCommand.class,
                ExportCommand.class,
                CheckpointCommand.class,
                EvidenceCommand.class})
public final class Custody {
    private Custody() {}

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)).execute(args));
    }

    /** The configured command line writing to {@code out} and {@code err}; {@code execute} returns the exit status. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Custody());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> AuditReport.EXIT_USAGE);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + e.getMessage());
            e.getCommandLine().getErr().println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return AuditReport.EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof LedgerStoreException || e instanceof KeyFileException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return AuditReport.EXIT_USAGE;
            }
            throw e;
        });
        return cli;
    }
}
