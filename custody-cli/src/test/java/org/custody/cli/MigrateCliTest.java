package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import org.custody.ledger.postgres.Postgres;
import org.custody.ledger.postgres.PostgresUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custody migrate} and {@code --ledger postgresql://...} on the test PostgreSQL database
 * ({@code tools/build/test-postgres.sh}); fails, never skips, without it.
 */
class MigrateCliTest {
    @TempDir
    Path dir;
    private PostgresUrl schema;

    /** The test database's URL as written by tools/build/test-postgres.sh, password included. */
    static String testDatabase() throws Exception {
        String url = System.getenv("CUSTODY_TEST_POSTGRES");
        if (url != null && !url.isBlank()) {
            return url.trim();
        }
        String configured = System.getenv("CUSTODY_TEST_POSTGRES_FILE");
        String home = System.getenv().getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config");
        Path file = configured != null ? Path.of(configured) : Path.of(home, "custody", "test-postgres.url");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no test PostgreSQL: " + file + " is missing; run tools/build/test-postgres.sh");
        }
        return Files.readString(file).trim();
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Postgres.Lease lease = Postgres.connect(schema.withSchema("public"));
                 Statement s = lease.connection().createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema.schema() + " CASCADE");
            }
        }
    }

    @Test
    void migrate_fileToPostgresAndBack_thenEveryCommandReadsThePostgresLedgerAsTheFile_andNoPasswordIsShown() throws Exception {
        Path file = Cli.vaultExam(dir);
        String base = testDatabase();
        String url = base + "?schema=cli_" + ProcessHandle.current().pid() + "_" + (System.nanoTime() % 1_000_000);
        schema = PostgresUrl.parse(url);
        String password = base.replaceFirst("^postgresql://[^:]*:([^@]*)@.*$", "$1");

        Cli.Result there = Cli.run("", "migrate", file.toString(), url);
        int status = Cli.run("", "verify", file.toString()).status();
        assertEquals(status, there.status(), there.toString());
        assertFalse(there.err().contains("Hikari"), there.err());
        assertTrue(there.out().contains("byte-identical"), there.out());
        assertTrue(there.out().contains("copied 5 entries"), there.out());

        Cli.Result bagsFile = Cli.run("", "bags", "list", "--ledger", file.toString());
        Cli.Result bagsDb = Cli.run("", "bags", "list", "--ledger", url);
        assertEquals(0, bagsDb.status(), bagsDb.toString());
        assertEquals(bagsFile.out(), bagsDb.out());
        Cli.Result verify = Cli.run("", "verify", url);
        assertEquals(status, verify.status(), verify.toString());
        assertEquals(Cli.run("", "verify", file.toString()).out().replace(file.toString(), "LEDGER"),
                verify.out().replace(schema.display(), "LEDGER"));
        Path fromFile = dir.resolve("file.bundle");
        Path fromDb = dir.resolve("db.bundle");
        assertEquals(0, Cli.run("", "export", file.toString(), "-o", fromFile.toString()).status());
        assertEquals(0, Cli.run("", "export", url, "-o", fromDb.toString()).status());
        assertArrayEquals(Files.readAllBytes(fromFile), Files.readAllBytes(fromDb));

        Cli.Result again = Cli.run("", "migrate", file.toString(), url);
        assertEquals(2, again.status(), again.toString());
        assertTrue(again.err().contains("holds a ledger already"), again.err());
        Cli.Result ontoFile = Cli.run("", "migrate", url, file.toString());
        assertEquals(2, ontoFile.status(), ontoFile.toString());
        assertTrue(ontoFile.err().contains("exists already"), ontoFile.err());
        Cli.Result back = Cli.run("", "migrate", url, dir.resolve("back.db").toString());
        assertEquals(status, back.status(), back.toString());

        for (Cli.Result r : new Cli.Result[] {there, bagsDb, verify, again, ontoFile, back}) {
            assertFalse(password.length() > 3 && (r.out() + r.err()).contains(password), "the password is shown: " + r);
        }
    }
}
