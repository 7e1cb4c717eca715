package org.custody.cli;

import java.time.ZoneId;
import org.custody.ledger.LedgerLocation;
import picocli.CommandLine.Option;

/** A ledger (a file or a PostgreSQL URL), or a Custody server holding the ledger, and the time zone officers use. */
final class LedgerOrServer extends ServerOptions {
    @Option(names = {"-l", "--ledger"}, paramLabel = "LEDGER", converter = LedgerOption.Location.class,
            description = "the ledger file (SQLite), or a postgresql:// URL; or --server URL")
    LedgerLocation ledger;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone for times typed and shown (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    /** Whether the ledger is on a server; refuses both or neither. */
    @Override
    boolean remote() {
        if (ledger != null && server != null) {
            throw new UserError("give either --ledger FILE or --server URL, not both");
        }
        if (ledger == null && server == null) {
            throw new UserError("no ledger: give --ledger FILE, or --server URL to work against a Custody server");
        }
        requireServerForToken();
        return server != null;
    }
}
