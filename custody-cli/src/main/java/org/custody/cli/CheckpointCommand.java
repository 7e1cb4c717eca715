package org.custody.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingClass;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.checkpoint.WitnessRefusedException;
import org.custody.checkpoint.WitnessStateException;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.timestamp.TimestampToken;
import org.custody.timestamp.TimestampUnavailableException;
import org.custody.timestamp.TsaClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody checkpoint}: show, make, cosign and compare the ledger's signed checkpoints (docs/checkpoints.md). */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = {"Signed checkpoints of a ledger (检查点): its size and Merkle root, signed by the ledger's checkpoint key"
                + " and cosigned by inspectors (C2SP tlog-checkpoint, tlog-cosignature).",
                "Exit status: 0 done, 2 usage or input error, 3 the ledger did not only grow (I08, I09)."},
        subcommands = {CheckpointCommand.Show.class, CheckpointCommand.Make.class, CheckpointCommand.Timestamp.class,
                CheckpointCommand.Cosign.class, CheckpointCommand.Compare.class})
final class CheckpointCommand {
    private CheckpointCommand() {}

    /** How a key file's passphrase is given. */
    static final class Passphrase {
        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "file whose first line is the key file's passphrase")
        Path file;

        @Option(names = "--passphrase-env", defaultValue = "CUSTODY_PASSPHRASE", paramLabel = "VAR",
                description = "else the environment variable holding it (default ${DEFAULT-VALUE}); else it is asked for")
        String env;
    }

    /** Reads a key file with the passphrase from a file, the environment variable named, or the console. */
    static SigningKey readKey(Path file, Passphrase how) {
        if (how.file != null) {
            char[] passphrase;
            try {
                passphrase = Files.readAllLines(how.file).stream().findFirst().orElse("").toCharArray();
            } catch (IOException e) {
                throw new UserError("cannot read the passphrase file " + how.file + ": " + e.getMessage(), e);
            }
            try {
                return KeyFiles.read(file, passphrase);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
        String passphraseEnv = how.env;
        String fromEnv = System.getenv(passphraseEnv);
        char[] passphrase;
        if (fromEnv != null) {
            passphrase = fromEnv.toCharArray();
        } else {
            Console console = System.console();
            if (console == null) {
                throw new UserError("no passphrase for " + file + ": set " + passphraseEnv
                        + " or run in a terminal");
            }
            passphrase = console.readPassword("passphrase for %s: ", file);
        }
        try {
            return KeyFiles.read(file, passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    static SignedNote readNote(Path file) {
        try {
            return SignedNote.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
        } catch (MalformedNoteException e) {
            throw new UserError(file + " is not a signed checkpoint: " + e.getMessage(), e);
        }
    }

    static List<NoteKey> parseKeys(List<String> vkeys, String option) {
        List<NoteKey> out = new ArrayList<>();
        for (String v : vkeys) {
            try {
                out.add(NoteKey.parse(v));
            } catch (MalformedNoteException e) {
                throw new UserError(option + " " + v + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the latest stored checkpoint (or the one of --size) and the verifier keys to check it with.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "the ledger file, or a postgresql:// URL")
        org.custody.ledger.LedgerLocation ledger;

        @Option(names = "--size", paramLabel = "N", description = "the checkpoint of the first N entries")
        Long size;

        @Option(names = "--token-out", paramLabel = "FILE",
                description = "write the checkpoint's RFC 3161 time-stamp token (DER) to FILE, e.g. for 'openssl ts -verify'")
        Path tokenOut;

        @Override
        public Integer call() {
            try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
                Ledger l = lease.ledger();
                Optional<SignedNote> note = size == null ? l.latestCheckpoint() : l.checkpoint(size);
                if (note.isEmpty()) {
                    throw new UserError(size == null ? "no checkpoint in " + ledger + "; make one with"
                            + " 'custody checkpoint make'" : "no checkpoint of size " + size + " in " + ledger);
                }
                var out = spec.commandLine().getOut();
                out.print(note.get());
                long noteSize = Checkpoint.parse(note.get().text()).size();
                spec.commandLine().getErr().println("verifier keys of " + l.origin() + ":");
                for (NoteKey k : l.checkpointKeys(noteSize)) {
                    spec.commandLine().getErr().println("  " + k);
                }
                Optional<TimestampToken> token = l.timestamp(noteSize);
                spec.commandLine().getErr().println(token.map(t -> "RFC 3161 time-stamp token (可信时间戳): genTime " + t.genTime()
                        + ", not checked here: custody verify --tsa-cert FILE checks it").orElse(
                        "no RFC 3161 time-stamp token (无可信时间戳)"));
                if (tokenOut != null) {
                    if (token.isEmpty()) {
                        throw new UserError("the checkpoint of size " + noteSize + " has no time-stamp token to write to " + tokenOut
                                + " (该检查点无时间戳)");
                    }
                    try {
                        Files.write(tokenOut, token.get().bytes());
                    } catch (IOException e) {
                        throw new UserError("cannot write " + tokenOut + ": " + e.getMessage(), e);
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "make", mixinStandardHelpOptions = true,
            description = "Sign and store a checkpoint of the ledger as it is now, with its checkpoint key; print it.")
    static final class Make implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "the ledger file, or a postgresql:// URL")
        org.custody.ledger.LedgerLocation ledger;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "the checkpoint key file (enrolled for a person with the role checkpoint_signer)")
        Path key;

        @picocli.CommandLine.Mixin
        Passphrase passphrase = new Passphrase();

        @Option(names = "--tsa", paramLabel = "URL",
                description = "then ask this RFC 3161 time-stamping authority for a token over the checkpoint (可信时间戳),"
                        + " stored beside it; if the TSA gives none the checkpoint is made all the same, without one, and"
                        + " a warning says so ('custody checkpoint timestamp' asks again)")
        String tsa;

        @Override
        public Integer call() {
            TsaClient client = tsa == null ? null : TsaClient.of(tsa);
            try (SigningKey signingKey = readKey(key, passphrase)) { // wiped when the command ends
                try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
                    Ledger l = lease.ledger();
                    SignedNote note = l.signCheckpoint(signingKey);
                    spec.commandLine().getOut().print(note);
                    if (client != null) {
                        long made = Checkpoint.parse(note.text()).size();
                        try {
                            stamped(spec, client, l.timestampCheckpoint(made, client));
                        } catch (TimestampUnavailableException e) {
                            spec.commandLine().getErr().println("warning: the checkpoint of size " + made + " is made, without a"
                                    + " trusted time: " + e.getMessage() + "; ask again with 'custody checkpoint timestamp'"
                                    + " (检查点已生成，但未取得可信时间戳，可稍后重试)");
                        }
                    }
                    return 0;
                }
            }
        }
    }

    static void stamped(CommandSpec spec, TsaClient client, TimestampToken token) {
        spec.commandLine().getErr().println("timestamped by " + client.uri() + ": genTime " + token.genTime()
                + " (已取得可信时间戳)");
    }

    @Command(name = "timestamp", mixinStandardHelpOptions = true,
            description = {"Ask an RFC 3161 time-stamping authority for a token over a stored checkpoint (the latest, or"
                    + " the one of --size) that has none, and store it beside the checkpoint (可信时间戳).",
                    "A checkpoint that has a token keeps it. Exit status 2 if the TSA gives none: nothing is stored."})
    static final class Timestamp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "the ledger file, or a postgresql:// URL")
        org.custody.ledger.LedgerLocation ledger;

        @Option(names = "--tsa", required = true, paramLabel = "URL", description = "the time-stamping authority's URL (http or https)")
        String tsa;

        @Option(names = "--size", paramLabel = "N", description = "the checkpoint of the first N entries")
        Long size;

        @Override
        public Integer call() {
            TsaClient client = TsaClient.of(tsa);
            try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
                Ledger l = lease.ledger();
                long which = size != null ? size : l.latestCheckpoint().map(n -> Checkpoint.parse(n.text()).size())
                        .orElseThrow(() -> new UserError("no checkpoint in " + ledger + "; make one with 'custody checkpoint make'"));
                try {
                    stamped(spec, client, l.timestampCheckpoint(which, client));
                } catch (TimestampUnavailableException e) {
                    throw new UserError(e.getMessage() + "; the checkpoint of size " + which + " stays without a token", e);
                }
                return 0;
            }
        }
    }

    @Command(name = "cosign", mixinStandardHelpOptions = true,
            description = {"Cosign the ledger's latest checkpoint as an inspector (见证签名), after checking it is consistent"
                    + " with the last one this inspector cosigned (kept in the witness state file), and store the cosignature.",
                    "Refused with I09 if the ledger was rolled back or shows another history, I08 if the proof fails."})
    static final class Cosign implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "the ledger file or a postgresql:// URL; or --server URL")
        org.custody.ledger.LedgerLocation ledger;

        @picocli.CommandLine.Mixin
        ServerOptions remote;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "the cosigning key file: a witness's own key, enrolled for a person with the role witness_cosigner"
                        + " (见证签名); a discipline inspector's ledger key is still accepted")
        Path key;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "the inspector's cosignature key name, e.g. inspector.example/P003")
        String name;

        @Option(names = "--state", required = true, paramLabel = "FILE",
                description = "the witness state file: what this inspector cosigned before")
        Path state;

        @Option(names = "--new-state", description = "create the state file (the first cosignature of this inspector)")
        boolean newState;

        @Option(names = "--log-key", paramLabel = "VKEY",
                description = "the ledger's checkpoint verifier key to trust (repeatable). Default: the keys the ledger"
                        + " itself enrols, which trusts the file for the first cosignature")
        List<String> logKeys = new ArrayList<>();

        @picocli.CommandLine.Mixin
        Passphrase passphrase = new Passphrase();

        @Override
        public Integer call() {
            remote.requireServerForToken();
            if (remote.remote() == (ledger != null)) {
                throw new UserError("give either the ledger file or --server URL to cosign its latest checkpoint");
            }
            try (SigningKey signingKey = readKey(key, passphrase)) { // wiped when the command ends
                if (remote.remote()) {
                    return new RemoteCosign(remote.api(), spec.commandLine().getOut(), spec.commandLine().getErr())
                            .cosign(signingKey, name, state, newState, logKeys.isEmpty() ? null : parseKeys(logKeys, "--log-key"));
                }
                try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
                    Ledger l = lease.ledger();
                    List<NoteKey> trusted = logKeys.isEmpty() ? l.checkpointKeys(l.head().size()) : parseKeys(logKeys, "--log-key");
                    if (trusted.isEmpty()) {
                        throw new UserError("the ledger enrols no checkpoint key; pass --log-key");
                    }
                    try (Witness w = newState ? Witness.create(state, name, signingKey, trusted, Clock.systemUTC())
                            : Witness.open(state, name, signingKey, trusted, Clock.systemUTC())) {
                        SignedNote cosigned = l.cosignLatest(w);
                        spec.commandLine().getOut().print(cosigned);
                        spec.commandLine().getErr().println("cosigned by " + w.key().name() + "; verifier key " + w.key());
                        return 0;
                    } catch (WitnessRefusedException e) {
                        spec.commandLine().getErr().println("refused: " + e.getMessage());
                        return AuditReport.EXIT_INTEGRITY;
                    } catch (WitnessStateException | NoteVerificationException | IllegalStateException e) {
                        throw new UserError(e.getMessage(), e);
                    }
                }
            }
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Check that the ledger only grew since a checkpoint kept earlier (与留存检查点比对): the same"
                    + " verification as 'custody verify --expect-checkpoint' (every entry re-read and re-hashed; the first"
                    + " N entries must have the kept checkpoint's root), reported briefly.",
                    "Exit status: 0 the ledger only grew and is intact, 3 it did not (I09: an entry deleted, the ledger"
                            + " rolled back, rewritten or forked) or another integrity finding, 2 usage or input error."})
    static final class Compare implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "LEDGER", description = "the ledger file, or an export bundle of it")
        Path ledger;

        @Option(names = "--kept", required = true, paramLabel = "FILE", description = "the signed checkpoint kept earlier")
        Path kept;

        @Option(names = "--log-key", paramLabel = "VKEY",
                description = "the checkpoint verifier key kept with it (repeatable): the kept checkpoint must be signed by it."
                        + " Without it the kept checkpoint's signature is not checked (its root is what is compared)")
        List<String> logKeys = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            Checkpoint cp = KeptCheckpointOptions.read(kept, logKeys, List.of(), null);
            if (!Files.isRegularFile(ledger)) {
                throw new UserError("no ledger at " + ledger + "; give the ledger file or export bundle to compare");
            }
            AuditReport report = VerifyCommand.verify(ledger, VerifyCommand.isBundle(ledger), LedgerVerifier.Options.defaults(), cp);
            var out = spec.commandLine().getOut();
            if (report.intact()) {
                out.println("the ledger only grew: " + cp.size() + " -> " + report.entries() + " entries (every entry checked;"
                        + " the first " + cp.size() + " have the kept root " + cp.root().hex() + ")");
                out.println("账本自留存检查点以来仅有追加：" + cp.size() + " -> " + report.entries());
                return 0;
            }
            List<Finding> integrity = report.findings().stream()
                    .filter(f -> f.code().findingClass() == FindingClass.INTEGRITY).toList();
            for (Finding f : integrity) {
                out.println(f.code() + " entry " + f.seq() + ": " + f.message());
                out.println("    " + (f.chinese() != null ? f.chinese() : f.code().chinese()));
            }
            boolean diverged = report.counts().containsKey(FindingCode.I09);
            out.println((diverged ? "the ledger did not only grow since the kept checkpoint of size " + cp.size()
                    : "the ledger holds the kept checkpoint's entries but cannot be trusted") + ": "
                    + report.counts().entrySet().stream().filter(e -> e.getKey().findingClass() == FindingClass.INTEGRITY)
                            .map(e -> e.getKey() + "=" + e.getValue()).toList() + "; 'custody verify' gives the full report");
            out.println(diverged ? "账本在留存检查点之后被删改、回滚、改写或分叉" : "账本完整性核验未通过");
            return AuditReport.EXIT_INTEGRITY;
        }
    }
}
