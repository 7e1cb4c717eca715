package org.custody.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.Witness;
import org.custody.checkpoint.WitnessStateException;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody witness}: run a C2SP tlog-witness that any log, Custody's or another, can ask for cosignatures. */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = "A transparency-log witness (见证节点, C2SP tlog-witness): cosigns checkpoints of the logs it follows,"
                + " only if each extends the last one it cosigned.",
        subcommands = {WitnessCommand.Serve.class})
final class WitnessCommand {
    private WitnessCommand() {}

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Answer tlog-witness add-checkpoint requests over HTTP (POST <prefix>/add-checkpoint) until stopped.",
                    "The state file keeps, per log, the last checkpoint cosigned (owner-only, replaced atomically); a"
                            + " rollback, a fork or a bad consistency proof is refused, and a lost state file is not silently"
                            + " replaced: --new-state creates it once."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--key", required = true, paramLabel = "FILE",
                description = "the witness's cosigning key file (Ed25519; kept for this alone, enrolled in a Custody ledger for a"
                        + " person with the role witness_cosigner if that ledger should trust it)")
        Path key;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "the witness's name, a schema-less URL (e.g. witness.exam-office.example/w1): its key name")
        String name;

        @Option(names = "--state", required = true, paramLabel = "FILE", description = "the witness state file")
        Path state;

        @Option(names = "--new-state", description = "create the state file (the witness's first start)")
        boolean newState;

        @Option(names = "--log-key", paramLabel = "VKEY|FILE",
                description = "a log's verifier key (its name is the log's origin), or a file of them, one a line (repeatable)")
        List<String> logKeys = new ArrayList<>();

        @Option(names = "--listen", defaultValue = "127.0.0.1:8380", paramLabel = "HOST:PORT",
                description = "where to listen (default ${DEFAULT-VALUE}; port 0 picks a free one)")
        String listen;

        @Option(names = "--prefix", defaultValue = "", paramLabel = "PATH",
                description = "the submission prefix's path, e.g. /witness (default: none)")
        String prefix;

        @picocli.CommandLine.Mixin
        CheckpointCommand.Passphrase passphrase = new CheckpointCommand.Passphrase();

        /** Released to stop a server started in this process (tests); else the process runs until killed. */
        final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public Integer call() throws IOException {
            List<NoteKey> logs = logKeys();
            if (logs.isEmpty()) {
                throw new UserError("a witness follows at least one log: give its verifier key with --log-key (需指定所见证日志的公钥)");
            }
            if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
                throw new UserError("--prefix is a path starting with '/' and not ending in one, e.g. /witness; got " + prefix);
            }
            InetSocketAddress address = address(listen);
            SigningKey signingKey = CheckpointCommand.readKey(key, passphrase);
            Witness witness;
            try {
                witness = newState ? Witness.create(state, name, signingKey, logs, Clock.systemUTC())
                        : Witness.open(state, name, signingKey, logs, Clock.systemUTC());
            } catch (WitnessStateException | MalformedInputException e) {
                throw new UserError(e.getMessage() + (newState ? "" : "; on the witness's first start give --new-state"), e);
            }
            var err = spec.commandLine().getErr();
            try (WitnessServer server = WitnessServer.start(witness, address, prefix, err)) {
                var out = spec.commandLine().getOut();
                out.println("witness " + witness.key().name() + " listening on http://" + server.address().getHostString() + ":"
                        + server.address().getPort() + prefix + "/add-checkpoint");
                out.println("verifier key " + witness.key());
                out.println("following " + logs.stream().map(NoteKey::name).distinct().toList());
                out.flush();
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } catch (IOException e) {
                witness.close();
                throw new UserError("cannot listen on " + listen + ": " + e.getMessage() + " (无法监听该地址)", e);
            }
            return 0;
        }

        private List<NoteKey> logKeys() {
            List<NoteKey> out = new ArrayList<>();
            for (String arg : logKeys) {
                out.addAll(CheckpointCommand.parseKeys(WitnessKeys.keysOrFile(arg, "log key"), "--log-key"));
            }
            return out;
        }

        private static InetSocketAddress address(String listen) {
            int colon = listen.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException("no port");
                }
                int port = Integer.parseInt(listen.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException("port out of range");
                }
                return new InetSocketAddress(listen.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new UserError("--listen is HOST:PORT, e.g. 127.0.0.1:8380; got " + listen);
            }
        }
    }
}
