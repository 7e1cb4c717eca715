package org.custody.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.ledger.bundle.Evidence;
import org.custody.record.Entry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody evidence}: verifies one bag's evidence file (custody export --bag) alone. */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"Verify a bag's evidence file (单袋证据) alone: every entry is in the cosigned checkpoint, validly signed,"
                + " and the bag's chain links (docs/formats.md §12).",
                "Exit status: 0 the evidence holds, 3 integrity findings, 2 usage or input error (including a checkpoint"
                        + " not vouched for by the keys given)."})
final class EvidenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the evidence file")
    Path file;

    @Option(names = "--log-key", required = true, paramLabel = "VKEY",
            description = "the ledger's checkpoint verifier key (custody checkpoint show), repeatable")
    List<String> logKeys = new ArrayList<>();

    @Option(names = "--inspector-key", paramLabel = "VKEY", description = "an inspector's cosignature verifier key, repeatable")
    List<String> inspectorKeys = new ArrayList<>();

    @Option(names = "--cosignatures", paramLabel = "N",
            description = "how many of the --inspector-key inspectors must have cosigned (default: all of them)")
    Integer cosignatures;

    /**
     * Verifies the evidence in {@code file} under the verifier keys given as options: the ledger's ({@code --log-key})
     * and the inspectors' ({@code --inspector-key}), {@code cosignatures} of whom must have cosigned (null: all).
     *
     * @throws UserError with exit 3 if the evidence's checkpoint is not vouched for by those keys
     */
    static Evidence.Report verify(Path file, List<String> logKeys, List<String> inspectorKeys, Integer cosignatures)
            throws IOException {
        List<NoteKey> trusted = new ArrayList<>(CheckpointCommand.parseKeys(logKeys, "--log-key"));
        List<NoteKey> inspectors = CheckpointCommand.parseKeys(inspectorKeys, "--inspector-key");
        trusted.addAll(inspectors);
        int required = cosignatures != null ? cosignatures : (int) inspectors.stream().map(NoteKey::name).distinct().count();
        try (InputStream in = Files.newInputStream(file)) {
            return Evidence.verify(in, trusted, required);
        } catch (NoteVerificationException e) {
            throw new UserError("the evidence's checkpoint is not vouched for: " + e.getMessage()
                    + " (证据的检查点未经可信密钥签署); nothing in it can be trusted", Exit.INTEGRITY);
        }
    }

    @Override
    public Integer call() throws IOException {
        Evidence.Report report = verify(file, logKeys, inspectorKeys, cosignatures);
        var out = spec.commandLine().getOut();
        out.println("bag " + report.bag() + " in " + report.checkpoint().origin() + " at size " + report.checkpoint().size()
                + ", root " + report.checkpoint().root().hex());
        for (Entry e : report.entries()) {
            out.println("  #" + e.seq() + "  " + e.record().type() + "  " + e.record().at() + "  " + e.record().parties());
        }
        Custody.printFindings(out, report.findings(), Custody.zone(spec));
        out.println(report.intact() ? "the evidence holds: " + report.entries().size() + " entries of " + report.bag()
                : "EVIDENCE DOES NOT HOLD: " + report.findings().size() + " findings");
        // an entry listed as signed with a key later declared compromised (R18) leaves the evidence holding: exit 1
        return !report.intact() ? AuditReport.EXIT_INTEGRITY
                : report.findings().isEmpty() ? AuditReport.EXIT_CLEAN : AuditReport.EXIT_RULE_FINDINGS;
    }
}
