package org.custody.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.custody.ledger.postgres.Postgres;
import org.custody.ledger.postgres.PostgresUrl;

/**
 * The PostgreSQL database the tests run against, started and created by {@code tools/build/test-postgres.sh}: its URL
 * from {@code CUSTODY_TEST_POSTGRES}, else from the file the script writes. A test takes a schema of its own
 * ({@link #freshSchema}) and drops it when done ({@link #drop}). There is no skipping: without the database the
 * PostgreSQL tests fail, saying how to start it.
 */
public final class TestPostgres {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestPostgres() {}

    /** The test database's URL, with its default schema. */
    public static PostgresUrl database() {
        String url = System.getenv("CUSTODY_TEST_POSTGRES");
        if (url == null || url.isBlank()) {
            String configured = System.getenv("CUSTODY_TEST_POSTGRES_FILE");
            String home = System.getenv().getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config");
            Path file = configured != null ? Path.of(configured) : Path.of(home, "custody", "test-postgres.url");
            try {
                url = Files.readString(file).trim();
            } catch (IOException e) {
                throw new IllegalStateException("no test PostgreSQL: " + file + " is missing; run tools/build/test-postgres.sh"
                        + " (as .ci/run does) or set CUSTODY_TEST_POSTGRES to a postgresql:// URL", e);
            }
        }
        return PostgresUrl.parse(url);
    }

    /** A URL naming a schema no test used before, in the test database; nothing is created yet. */
    public static PostgresUrl freshSchema() {
        String schema = "t_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000_000L + "_" + NEXT.incrementAndGet();
        return database().withSchema(schema);
    }

    /** Runs {@code sql} on the schema {@code url} names (to damage a stored row, say). */
    public static void execute(PostgresUrl url, String sql) {
        try (Postgres.Lease lease = Postgres.connect(url); Statement s = lease.connection().createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the schema {@code url} names and everything in it. */
    public static void drop(PostgresUrl url) {
        execute(url.withSchema("public"), "DROP SCHEMA IF EXISTS " + url.schema() + " CASCADE");
    }
}
