package org.custody.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.custody.audit.AttachmentTally;
import org.custody.audit.AuditReport;
import org.custody.audit.ReportWriter;
import org.custody.crypto.Hash;
import org.custody.files.OwnerOnly;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.AttachmentAudit;
import org.custody.ledger.verify.EntrySource;
import org.custody.ledger.verify.LedgerVerifier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody verify}: checks a ledger file offline and reports every integrity finding. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a ledger file offline (离线核验) and report every finding with its code.",
                "Exit status: 0 intact and no findings, 1 rule findings only, 3 integrity findings, 2 usage or input error."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "LEDGER", description = "the ledger file (SQLite), or an export bundle of it"
            + " (custody export), or a postgresql:// URL; or --server URL")
    String ledger;

    @picocli.CommandLine.Mixin
    ServerOptions remote;

    @Option(names = "--save", paramLabel = "FILE",
            description = "with --server: keep the downloaded export bundle in FILE (else a temporary file, deleted afterwards)")
    Path save;

    enum Format { text, json, html }

    /** Ledgers at least this long get a progress bar on a terminal without asking. */
    static final long PROGRESS_FROM = 10_000;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "report as text (default), json (schema custody-audit-report/v1, docs/formats.md) or html (one self-contained page)")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the report to FILE instead of standard output")
    java.nio.file.Path output;

    @Option(names = "--progress", negatable = true,
            description = "show a progress bar on standard error (default: only on a terminal, for ledgers of " + PROGRESS_FROM
                    + " entries or more)")
    Boolean progress;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone for times in the text report (default: ${DEFAULT-VALUE})")
    java.time.ZoneId zone;

    @ArgGroup(exclusive = false, heading = "Check against a head kept earlier:%n")
    KeptHead kept;

    static final class KeptHead {
        @Option(names = "--expect-size", required = true, paramLabel = "N", description = "number of entries the ledger had")
        long size;

        @Option(names = "--expect-head", required = true, paramLabel = "HASH", description = "hash of its last entry (64 hex digits)")
        String hash;
    }

    @Option(names = "--since", paramLabel = "STATE",
            description = "verify incrementally (增量核验) from a verification state kept by an earlier --save-state: the entries"
                    + " it covers are only checked to be the same bytes (Merkle root and last hash, I09); the entries after it,"
                    + " and every index after the last entry, are checked in full; the report says what was covered")
    Path since;

    @Option(names = "--save-state", paramLabel = "FILE",
            description = "keep the verification state after the last entry in FILE (owner-only), for a later --since;"
                    + " written only when the entries are intact (no integrity finding)")
    Path saveState;

    @Option(names = "--witness", paramLabel = "VKEY|FILE",
            description = "a witness's cosignature verifier key (<name>+<id>+<base64>, C2SP tlog-cosignature), or a file holding"
                    + " it (repeatable): the latest stored checkpoint must be cosigned by --witness-quorum of these (I08 if not)")
    java.util.List<String> witnesses = new java.util.ArrayList<>();

    @Option(names = "--witness-quorum", paramLabel = "N",
            description = "how many of the --witness witnesses (distinct names) must have cosigned (default: all of them)")
    Integer witnessQuorum;

    @Option(names = "--tsa-cert", paramLabel = "FILE",
            description = "check the checkpoints' RFC 3161 time-stamp tokens (可信时间戳) under the TSA certificates in FILE"
                    + " (PEM: the TSA's root, or its chain; each is trusted): a token that does not verify is I08, and an"
                    + " entry whose append time lies after a timestamped checkpoint that contains it, or before one that"
                    + " does not, is I12")
    Path tsaCert;

    @ArgGroup(exclusive = false, heading = "Check against a signed checkpoint kept earlier:%n")
    KeptCheckpointOptions keptCheckpoint;

    @Option(names = "--attachments", paramLabel = "DIR",
            description = "also check the files taken at the scene (现场证据文件): every attachment a handoff or incident carries must"
                    + " be a file under DIR, found by its digest and size whatever its name or folder (every file is hashed once;"
                    + " links are not followed). A missing file, or a file of the attachment's name with other bytes, is I13;"
                    + " the report says how many were checked, found, missing and altered")
    Path attachments;

    @Override
    public Integer call() throws java.io.IOException {
        remote.requireServerForToken();
        if (!remote.remote()) {
            if (ledger == null) {
                throw new UserError("no ledger: give the ledger file or export bundle to verify, or --server URL");
            }
            if (save != null) {
                throw new UserError("--save keeps a download from --server; a local file needs no saving");
            }
            org.custody.ledger.LedgerLocation where = org.custody.ledger.LedgerLocation.parse(ledger);
            if (where instanceof org.custody.ledger.LedgerLocation.Database) {
                var url = ((org.custody.ledger.LedgerLocation.Database) where).url();
                return verify(where.toString(), null, (options, checkpoint) -> Ledger.verify(where, options, checkpoint),
                        () -> EntrySource.database(url));
            }
            return verify(Path.of(ledger), ledger);
        }
        if (ledger != null) {
            throw new UserError("give either a ledger file or --server URL, not both");
        }
        Api api = remote.api();
        String path = Api.V1 + "/export";
        Path file = save != null ? save : OwnerOnly.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "custody-export-", ".bundle");
        try {
            var err = spec.commandLine().getErr();
            err.println("downloading the export of " + api.url("") + " to " + file + " ...");
            err.flush();
            long bytes = api.download(path, file);
            err.println("downloaded " + bytes + " bytes; verifying it as a bundle");
            err.flush();
            return verify(file, api.url(path));
        } finally {
            if (save == null) {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }

    private int verify(Path ledger, String name) throws java.io.IOException {
        boolean bundle = isBundle(ledger);
        return verify(name, progressBar(ledger, bundle), (options, checkpoint) -> verify(ledger, bundle, options, checkpoint),
                () -> bundle ? org.custody.ledger.bundle.Bundle.source(ledger) : EntrySource.file(ledger));
    }

    /** One verification of what {@code name} names, by {@code run}. */
    @FunctionalInterface
    private interface Run {
        AuditReport verify(LedgerVerifier.Options options, org.custody.checkpoint.Checkpoint checkpoint) throws java.io.IOException;
    }

    private int verify(String name, ProgressBar bar, Run run, java.util.function.Supplier<EntrySource> source) throws java.io.IOException {
        LedgerVerifier.Options options = LedgerVerifier.Options.defaults();
        if (tsaCert != null) {
            options = options.withTsa(org.custody.timestamp.TimestampVerifier.readPem(tsaCert));
        }
        if (kept != null) {
            options = options.expecting(new Head(kept.size, Hash.fromHex(kept.hash)));
        }
        org.custody.checkpoint.Checkpoint checkpoint = keptCheckpoint == null ? null : keptCheckpoint.read();
        if (keptCheckpoint != null && keptCheckpoint.skipSignatures) {
            options = options.sinceKept();
        }
        if (since != null) {
            options = options.since(readState(since));
        }
        if (!witnesses.isEmpty()) {
            options = options.requiringWitnesses(WitnessKeys.quorum(witnesses, witnessQuorum));
        } else if (witnessQuorum != null) {
            throw new UserError("--witness-quorum needs the witnesses' keys: give them with --witness (见证签名数需配合 --witness)");
        }
        org.custody.ledger.verify.VerificationState[] reached = {null};
        if (saveState != null) {
            options = options.keepingState(state -> reached[0] = state);
        }
        if (bar != null) {
            options = options.withProgress(bar);
        }
        AuditReport report;
        try {
            report = run.verify(options, checkpoint);
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        if (saveState != null) {
            saveState(reached[0]);
        }
        AttachmentTally tally = null;
        if (attachments != null) {
            AttachmentAudit.Result checked = checkAttachments(source);
            report = report.with(checked.findings());
            tally = checked.tally();
        }
        String text;
        if (format == Format.json) {
            text = ReportWriter.json(report, tally);
        } else if (format == Format.html) {
            text = HtmlReport.render(report, zone, name);
        } else {
            text = ReportWriter.text(report, zone) + (tally == null ? "" : tally.summary() + "\n") + (report.head() == null ? ""
                    : "keep this head to check later that the ledger only grew: --expect-size " + report.entries()
                    + " --expect-head " + report.head() + "\n");
        }
        if (tally != null && format != Format.text) {
            spec.commandLine().getErr().println(tally.summary());
            spec.commandLine().getErr().flush();
        }
        if (output != null) {
            try {
                byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (java.nio.file.Files.exists(output) && !java.nio.file.Files.isRegularFile(output)) {
                    java.nio.file.Files.write(output, bytes); // a device or pipe, e.g. -o /dev/stdout
                } else {
                    OwnerOnly.replace(output, bytes); // a new report is owner-only, as the ledger it describes
                }
            } catch (java.io.IOException e) {
                throw new UserError("cannot write the report to " + output + ": " + e.getMessage() + "; check the folder and its permissions");
            }
            spec.commandLine().getErr().println(report.summary() + "; report written to " + output);
        } else {
            var out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        }
        return report.exitStatus();
    }

    /** The files under {@code --attachments} checked against the entries {@code source} reads. */
    private AttachmentAudit.Result checkAttachments(java.util.function.Supplier<EntrySource> source) throws java.io.IOException {
        try {
            return AttachmentAudit.check(source.get(), attachments);
        } catch (org.custody.failure.MalformedInputException e) {
            throw new UserError("--attachments: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new UserError("--attachments: cannot read the folder " + attachments + ": " + e.getMessage()
                    + "; check it and its permissions (无法读取证据文件目录)", e);
        }
    }

    /** The verification state kept in {@code file} by an earlier {@code --save-state}. */
    private org.custody.ledger.verify.VerificationState readState(Path file) {
        try {
            org.custody.ledger.verify.VerificationState state = org.custody.ledger.verify.VerificationState.read(file);
            var err = spec.commandLine().getErr();
            err.println("verifying since the kept verification state of " + state.size() + " entries (digest " + state.digest().hex()
                    + ") 自已保存的核验状态起增量核验");
            err.flush();
            return state;
        } catch (java.io.IOException e) {
            throw new UserError("cannot read the verification state " + file + ": " + e.getMessage()
                    + "; give the file written by --save-state (无法读取核验状态文件)", e);
        }
    }

    /** Writes the state the verification reached, or says why there is none. */
    private void saveState(org.custody.ledger.verify.VerificationState state) {
        var err = spec.commandLine().getErr();
        if (state == null) {
            err.println("the verification state was NOT saved to " + saveState + ": the entries are not intact (integrity findings"
                    + " above), so nothing verified can be carried forward (存在完整性问题，未保存核验状态)");
            err.flush();
            return;
        }
        try {
            state.write(saveState);
        } catch (java.io.IOException e) {
            throw new UserError("cannot write the verification state to " + saveState + ": " + e.getMessage()
                    + "; check the folder and its permissions (无法写入核验状态文件)", e);
        }
        err.println("verification state of " + state.size() + " entries saved to " + saveState + " (digest " + state.digest().hex()
                + "); verify what comes after it with --since " + saveState + " (核验状态已保存，下次可增量核验)");
        err.flush();
    }

    /**
     * The one verification behind {@code custody verify} and {@code custody checkpoint compare}: the ledger file, or
     * the bundle read straight from its file, checked entry by entry, and against {@code checkpoint} (I09) if given.
     */
    static AuditReport verify(Path ledger, boolean bundle, LedgerVerifier.Options options,
                              org.custody.checkpoint.Checkpoint checkpoint) throws java.io.IOException {
        if (bundle) {
            return org.custody.ledger.bundle.Bundle.verify(ledger, options, checkpoint);
        }
        return checkpoint == null ? LedgerVerifier.verify(ledger, options) : LedgerVerifier.verify(ledger, options, checkpoint);
    }

    /** A bar when asked for, or on a terminal for a large ledger; none if the entries cannot be counted. */
    private ProgressBar progressBar(Path ledger, boolean bundle) {
        boolean forced = Boolean.TRUE.equals(progress);
        if (!forced && (progress != null || !Custody.terminal(spec).interactive())) {
            return null;
        }
        long total;
        try {
            total = bundle ? org.custody.ledger.bundle.Bundle.size(ledger) : LedgerVerifier.size(ledger);
        } catch (org.custody.ledger.LedgerStoreException e) {
            return null; // verification itself reports what is wrong with the file
        }
        if (total < 0) {
            return null;
        }
        return forced || total >= PROGRESS_FROM ? new ProgressBar(spec.commandLine().getErr(), "verifying", total) : null;
    }

    /** Whether {@code file} starts like an export bundle (a ledger file starts "SQLite format 3"). */
    static boolean isBundle(Path file) throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        byte[] magic = (org.custody.ledger.bundle.Bundle.MAGIC + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(magic.length), magic);
        }
    }
}
