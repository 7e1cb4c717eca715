package org.custody.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.custody.server.CustodyServer;
import org.custody.server.PortInUseException;
import org.custody.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custody serve}: runs the Custody server over a ledger (a file or a PostgreSQL schema) until stopped (Ctrl-C or SIGTERM).
 * Options override {@code CUSTODY_*} environment variables, which override the config file (docs/server.md).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve one or more ledgers (one per exam) over HTTP (多考点联网交接服务): drafts co-signed on each person's own device, "
                + "signed handoffs, history, findings, metrics.",
                "Listens on loopback by default; put a TLS reverse proxy in front (docs/server.md)."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--ledger", paramLabel = "FILE|URL",
            description = {"the ledger file or postgresql:// URL (or CUSTODY_LEDGER, or 'ledger' in the config file); give it"
                    + " once per exam to serve several ledgers, each under /api/v1/ledgers/<ledger id>/ (一个服务可承载多场考试，每场一个账本);"
                    + " several instances may serve one PostgreSQL ledger (多个服务实例可共用一个 PostgreSQL 账本)"})
    List<String> ledgers = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", description = "port to listen on (default 8080; 0 picks a free one)")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "address to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--tokens", paramLabel = "FILE", description = "token file: hashed bearer tokens with roles and sites")
    Path tokens;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (properties; see docs/server.md)")
    Path config;

    @Option(names = "--draft-ttl", paramLabel = "DURATION", description = "how long a draft waits for signatures, e.g. 15m (default)")
    String draftTtl;

    @Option(names = "--checkpoint-key", paramLabel = "FILE",
            description = "the ledger's checkpoint key file: the server signs a checkpoint while the ledger grows")
    Path checkpointKey;

    @Option(names = "--checkpoint-passphrase-file", paramLabel = "FILE",
            description = "file whose first line is the checkpoint key file's passphrase (required with --checkpoint-key)")
    Path checkpointPassphraseFile;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            description = "how often to sign a checkpoint if the ledger grew, 10ms to 1s (default 1s)")
    String checkpointInterval;

    @Option(names = "--witness", paramLabel = "'URL VKEY'",
            description = "a C2SP tlog-witness to send each new checkpoint to (add-checkpoint): its submission prefix URL and its"
                    + " cosignature verifier key, separated by a space (repeatable); its cosignatures are stored with the checkpoint")
    java.util.List<String> witnesses = new java.util.ArrayList<>();

    @Option(names = "--tsa", paramLabel = "URL",
            description = "an RFC 3161 time-stamping authority: each checkpoint the server signs is sent to it for a token"
                    + " (可信时间戳), one request at a time; if it gives none the checkpoint stays without one and the log"
                    + " says so (needs --checkpoint-key)")
    String tsa;

    @Override
    public Integer call() throws InterruptedException, IOException {
        Map<String, String> options = new LinkedHashMap<>();
        if (!ledgers.isEmpty()) options.put("ledger", ledgers.get(0));
        if (port != null) options.put("port", port.toString());
        if (host != null) options.put("host", host);
        if (tokens != null) options.put("tokens", tokens.toString());
        if (config != null) options.put("config", config.toString());
        if (draftTtl != null) options.put("draft-ttl", draftTtl);
        if (checkpointKey != null) options.put("checkpoint-key", checkpointKey.toString());
        if (checkpointPassphraseFile != null) options.put("checkpoint-passphrase-file", checkpointPassphraseFile.toString());
        if (checkpointInterval != null) options.put("checkpoint-interval", checkpointInterval);
        if (!witnesses.isEmpty()) options.put("witnesses", String.join(";", witnesses));
        if (tsa != null) options.put("tsa", tsa);
        ServerConfig settings;
        try {
            settings = ServerConfig.load(options, System.getenv());
            if (ledgers.size() > 1) {
                settings = settings.withLocations(ledgers.stream().map(org.custody.ledger.LedgerLocation::parse).toList());
            }
        } catch (IllegalArgumentException | org.custody.failure.MalformedInputException e) { // the configuration names what is wrong
            throw new UserError(e.getMessage());
        }
        if (settings.checkpointPassphraseFile() != null && Files.exists(settings.checkpointPassphraseFile())) {
            Passphrases.refuseIfExposed(settings.checkpointPassphraseFile(), "passphrase file", "口令文件");
        }
        CustodyServer server;
        try {
            server = CustodyServer.start(settings);
        } catch (PortInUseException e) {
            // the failed start closed what it opened: nothing listens, no thread runs, the ledger is closed
            throw new UserError(e.getMessage());
        } catch (IllegalArgumentException e) {
            // a configuration the server refuses at start (e.g. two ledger files of one exam); nothing was left open
            throw new UserError(e.getMessage());
        }
        spec.commandLine().getOut().println("custody server for " + String.join(", ", settings.ledgers().stream().map(Object::toString).toList())
                + " listening on http://" + settings.host()
                + ":" + server.port() + " (Ctrl-C stops it)");
        spec.commandLine().getOut().flush();
        server.awaitShutdown();
        return 0;
    }
}
