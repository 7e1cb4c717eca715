package org.custody.cli;

import java.nio.file.Path;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** The ledger file and the time zone officers use: shared by every verb that works on a ledger. */
final class LedgerOption {
    @Option(names = {"-l", "--ledger"}, required = true, paramLabel = "FILE", description = "the ledger file (SQLite)")
    Path ledger;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone for times typed and shown (default: ${DEFAULT-VALUE})")
    ZoneId zone;
}
