package org.custody.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.ledger.Head;
import org.custody.ledger.LedgerVerifier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code custody verify}: checks a ledger file offline and reports every integrity finding. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a ledger file offline (离线核验) and report every finding with its code.",
                "Exit status: 0 intact and no findings, 1 rule findings only, 3 integrity findings, 2 usage or input error."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LEDGER", description = "the ledger file (SQLite)")
    Path ledger;

    @ArgGroup(exclusive = false, heading = "Check against a head kept earlier:%n")
    KeptHead kept;

    static final class KeptHead {
        @Option(names = "--expect-size", required = true, paramLabel = "N", description = "number of entries the ledger had")
        long size;

        @Option(names = "--expect-head", required = true, paramLabel = "HASH", description = "hash of its last entry (64 hex digits)")
        String hash;
    }

    @Override
    public Integer call() {
        LedgerVerifier.Options options = LedgerVerifier.Options.defaults();
        if (kept != null) {
            options = options.expecting(new Head(kept.size, Hash.fromHex(kept.hash)));
        }
        AuditReport report = LedgerVerifier.verify(ledger, options);
        var out = spec.commandLine().getOut();
        for (Finding f : report.findings()) {
            out.println(f.code() + " [" + f.code().findingClass().name().toLowerCase(java.util.Locale.ROOT) + "] entry " + f.seq()
                    + ": " + f.message() + (f.expected() == null ? "" : " (expected " + f.expected() + ", found " + f.actual() + ")"));
        }
        out.println(report.summary());
        if (report.head() != null) {
            out.println("keep this head to check later that the ledger only grew: --expect-size " + report.entries()
                    + " --expect-head " + report.head());
        }
        return report.exitStatus();
    }
}
