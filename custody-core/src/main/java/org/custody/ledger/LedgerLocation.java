package org.custody.ledger;

import java.nio.file.Path;
import java.util.Objects;
import org.custody.ledger.postgres.PostgresUrl;

/**
 * Where a ledger is kept: a SQLite file, or a schema of a PostgreSQL database given by a {@code postgresql://} URL
 * ({@link PostgresUrl}). What the CLI's {@code --ledger} and the server's {@code serve --ledger} take. Printing a
 * location never shows a password.
 */
public sealed interface LedgerLocation permits LedgerLocation.File, LedgerLocation.Database {
    /** A {@code postgresql://} (or {@code postgres://}) URL, else a file name. */
    static LedgerLocation parse(String text) {
        Objects.requireNonNull(text, "text");
        return PostgresUrl.looksLikeOne(text) ? new Database(PostgresUrl.parse(text)) : new File(Path.of(text));
    }

    static LedgerLocation of(Path file) {
        return new File(file);
    }

    /** A SQLite ledger file. */
    record File(Path path) implements LedgerLocation {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A ledger in one schema of a PostgreSQL database. */
    record Database(PostgresUrl url) implements LedgerLocation {
        public Database {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            return url.display();
        }
    }
}
