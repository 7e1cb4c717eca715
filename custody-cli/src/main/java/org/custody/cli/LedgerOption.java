package org.custody.cli;

import java.time.ZoneId;
import org.custody.ledger.LedgerLocation;
import picocli.CommandLine.Option;

/** The ledger (a file, or a PostgreSQL URL) and the time zone officers use: shared by every verb that works on a ledger. */
final class LedgerOption {
    @Option(names = {"-l", "--ledger"}, required = true, paramLabel = "LEDGER", converter = LedgerOption.Location.class,
            description = "the ledger file (SQLite), or postgresql://[user@]host[:port]/database[?schema=NAME]")
    LedgerLocation ledger;

    /** The ledger's file name, or its PostgreSQL schema: a title for what is made from it. */
    static String shortName(LedgerLocation location) {
        return location instanceof LedgerLocation.File f ? f.path().getFileName().toString()
                : ((LedgerLocation.Database) location).url().schema();
    }

    /** Reads a ledger location: a {@code postgresql://} URL, else a file name. */
    static final class Location implements picocli.CommandLine.ITypeConverter<LedgerLocation> {
        @Override
        public LedgerLocation convert(String value) {
            return LedgerLocation.parse(value);
        }
    }

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone for times typed and shown (default: ${DEFAULT-VALUE})")
    ZoneId zone;
}
