package org.custody.ledger.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.LedgerStoreException;
import org.custody.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ledger URLs: what they name, where the password comes from, and that no message or name shows it. */
class PostgresUrlTest {
    @TempDir
    Path dir;

    @Test
    void parse_fullUrl_namesHostPortDatabaseUserAndSchema_andShowsNoPassword() {
        PostgresUrl url = PostgresUrl.parse("postgresql://clerk:s3cr%40t@db.example:6543/custody?schema=gaokao_2026", Map.of());
        assertEquals("jdbc:postgresql://db.example:6543/custody", url.jdbcUrl());
        assertEquals("clerk", url.user());
        assertEquals("s3cr@t", url.password());
        assertEquals("gaokao_2026", url.schema());
        assertEquals("postgresql://clerk@db.example:6543/custody?schema=gaokao_2026", url.display());
        assertEquals(url.display(), url.toString());
        assertFalse(url.withSchema("other").toString().contains("s3cr"));
    }

    @Test
    void parse_withoutUserOrPassword_takesPgUserAndPgPassword_elseLeavesThePasswordToThePasswordFile() {
        PostgresUrl fromEnv = PostgresUrl.parse("postgres://db/custody", Map.of("PGUSER", "vault", "PGPASSWORD", "pw"));
        assertEquals("vault", fromEnv.user());
        assertEquals("pw", fromEnv.password());
        assertEquals(5432, Integer.parseInt(fromEnv.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1")));
        assertEquals(PostgresUrl.DEFAULT_SCHEMA, fromEnv.schema());
        assertNull(PostgresUrl.parse("postgresql://u@db/custody", Map.of()).password());
    }

    @Test
    void parse_badUrls_areRefused_namingWhat_withoutThePassword() {
        for (String bad : new String[] {"postgresql://u:hunter2@/custody", "postgresql://u:hunter2@db/", "postgresql://u:hunter2@db/c?schema=Bad-Name",
            "postgresql://u:hunter2@db/c?schema=pg_catalog", "postgresql://u:hunter2@db/c?sslmode=disable", "jdbc:postgresql://db/c"}) {
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> PostgresUrl.parse(bad, Map.of()), bad);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
        }
    }

    @Test
    void connect_withTheWrongPassword_isRefused_withAMessageThatShowsNoPassword() {
        PostgresUrl real = TestPostgres.database();
        PostgresUrl wrong = PostgresUrl.parse("postgresql://" + real.user() + ":wrong-hunter2@"
                + real.jdbcUrl().substring("jdbc:postgresql://".length()), Map.of());
        LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> Postgres.connect(wrong).close());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains(wrong.display()), e.getMessage());
    }

    @Test
    void connect_withoutAPassword_readsThePasswordFile_asLibpqDoes() throws Exception {
        PostgresUrl real = TestPostgres.database();
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "*:*:*:" + real.user() + ":" + real.password().replace(":", "\\:") + "\n");
        String previous = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            PostgresUrl noPassword = PostgresUrl.parse("postgresql://" + real.user() + "@"
                    + real.jdbcUrl().substring("jdbc:postgresql://".length()), Map.of());
            assertNull(noPassword.password());
            try (Postgres.Lease lease = Postgres.connect(noPassword)) {
                assertTrue(lease.connection().isValid(5));
            }
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }
}
