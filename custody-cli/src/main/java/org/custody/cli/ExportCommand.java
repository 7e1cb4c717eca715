package org.custody.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.custody.files.OwnerOnly;
import org.custody.ledger.bundle.Bundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody export}: writes a ledger's export bundle, for verification offline from one file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the export bundle of a ledger (导出核验包): one file with every entry, the tree, the checkpoints"
                + " and their cosignatures (custody-bundle/v1, docs/formats.md §11).",
                "Verify it offline with 'custody verify BUNDLE'. Exit status: 0 written, 2 usage or input error."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LEDGER", description = "the ledger file (SQLite), or a postgresql:// URL")
    String ledger;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "where to write the bundle; a file that exists is not overwritten. Default: standard output")
    Path output;

    @Option(names = "--bag", paramLabel = "BAG",
            description = "write only this bag's evidence (custody-evidence/v1, formats.md §12): its entries, the"
                    + " enrolments of their signers, inclusion proofs and the latest cosigned checkpoint")
    String bag;

    @Override
    public Integer call() throws IOException {
        org.custody.ledger.LedgerLocation where = org.custody.ledger.LedgerLocation.parse(ledger);
        if (bag != null) {
            if (!(where instanceof org.custody.ledger.LedgerLocation.File f)) {
                throw new UserError("--bag exports evidence from a ledger file only; migrate the ledger to a file first"
                        + " ('custody migrate') / 单袋证据仅可从账本文件导出");
            }
            return evidence(f.path());
        }
        if (output == null) {
            OutputStream out = System.out;
            Bundle.Exported e = export(where, out);
            out.flush();
            spec.commandLine().getErr().println(summary(e, "standard output"));
            return 0;
        }
        if (Files.exists(output)) {
            throw new UserError(output + " exists already; choose another file or remove it first");
        }
        Path tmp = OwnerOnly.createTempFile(output.toAbsolutePath().getParent(), "." + output.getFileName() + ".", ".partial");
        try {
            Bundle.Exported e;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                e = export(where, out);
            }
            Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println(summary(e, output.toString()));
            return 0;
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    private static Bundle.Exported export(org.custody.ledger.LedgerLocation where, OutputStream out) {
        return where instanceof org.custody.ledger.LedgerLocation.Database d
                ? Bundle.export(d.url(), out) : Bundle.export(((org.custody.ledger.LedgerLocation.File) where).path(), out);
    }

    private int evidence(Path ledger) throws IOException {
        org.custody.model.BagId id = org.custody.model.BagId.of(bag);
        if (output == null) {
            int n = org.custody.ledger.bundle.Evidence.export(ledger, id, System.out);
            spec.commandLine().getErr().println("exported the evidence of " + bag + " (" + n + " entries) to standard output");
            return 0;
        }
        if (Files.exists(output)) {
            throw new UserError(output + " exists already; choose another file or remove it first");
        }
        Path tmp = OwnerOnly.createTempFile(output.toAbsolutePath().getParent(), "." + output.getFileName() + ".", ".partial");
        try {
            int n;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                n = org.custody.ledger.bundle.Evidence.export(ledger, id, out);
            }
            Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("exported the evidence of " + bag + " (" + n + " entries) to " + output);
            return 0;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String summary(Bundle.Exported e, String where) {
        return "exported " + e.entries() + " entries, " + e.tiles() + " tree tiles and " + e.checkpoints()
                + " checkpoints" + (e.timestamps() == 0 ? "" : " (" + e.timestamps() + " with a time-stamp token)") + " to " + where;
    }
}
