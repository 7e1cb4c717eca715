package org.custody.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A Custody server to work against instead of a local file, and where its bearer token is. The token is read
 * from a file or the environment, never from the command line (it would sit in shell history and {@code ps}).
 */
class ServerOptions {
    @Option(names = "--server", paramLabel = "URL",
            description = "work against the Custody server at URL (https://..., or http:// on this machine) instead of a file")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "with --server: file whose first line is your bearer token (else the environment variable CUSTODY_TOKEN)")
    Path tokenFile;

    @Option(names = "--exam", paramLabel = "ID",
            description = "with --server: the exam's ledger id, on a server that serves several exams (its routes under"
                    + " /api/v1/ledgers/ID); or end the --server URL with /api/v1/ledgers/ID")
    String exam;

    boolean remote() {
        return server != null;
    }

    /** The server's API with the caller's token. */
    Api api() {
        if (server == null) {
            throw new IllegalStateException("no --server");
        }
        return Api.of(server, Api.token(tokenFile, System.getenv()), exam);
    }

    /** Refuses --token-file or --exam without --server (they would be ignored). */
    void requireServerForToken() {
        if (server == null && tokenFile != null) {
            throw new UserError("--token-file is for --server; give the server's URL with --server URL");
        }
        if (server == null && exam != null) {
            throw new UserError("--exam names an exam on a server; give the server's URL with --server URL"
                    + " / --exam 用于服务器上的考试，请用 --server URL 给出服务器地址");
        }
    }
}
