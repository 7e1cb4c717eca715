package org.custody.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.ledger.postgres.Postgres;
import org.custody.ledger.postgres.PostgresUrl;

/**
 * The PostgreSQL database the server's tests run against, started and created by {@code tools/build/test-postgres.sh}
 * (as core's {@code TestPostgres}): its URL from {@code CUSTODY_TEST_POSTGRES}, else from the file the script writes. No
 * skipping: without it the tests fail, saying how to start it.
 */
final class TestDatabase {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestDatabase() {}

    /** The test database's URL text, password included. */
    static String url() {
        String url = System.getenv("CUSTODY_TEST_POSTGRES");
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        String configured = System.getenv("CUSTODY_TEST_POSTGRES_FILE");
        String home = System.getenv().getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config");
        Path file = configured != null ? Path.of(configured) : Path.of(home, "custody", "test-postgres.url");
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no test PostgreSQL: " + file + " is missing; run tools/build/test-postgres.sh"
                    + " (as .ci/run does) or set CUSTODY_TEST_POSTGRES to a postgresql:// URL", e);
        }
    }

    /** A URL text naming a schema no test used before; nothing is created yet. */
    static String freshSchema() {
        return url() + "?schema=srv_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000_000L + "_"
                + NEXT.incrementAndGet();
    }

    /** Drops the schema {@code url} names and everything in it. */
    static void drop(String url) {
        PostgresUrl schema = PostgresUrl.parse(url);
        try (Postgres.Lease lease = Postgres.connect(schema.withSchema("public")); Statement s = lease.connection().createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema.schema() + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
