package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody serve}: mistakes end with a message and status 2 before anything listens. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return Custody.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void serve_missingLedgerFile_status2WithMessage() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--ledger", dir.resolve("none.db").toString(), "--port", "0"));
        assertTrue(err.toString().contains("no ledger at"), err.toString());
    }

    @Test
    void serve_badDraftTtl_status2WithMessage() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--ledger", "x.db", "--draft-ttl", "forever"));
        assertTrue(err.toString().contains("draft-ttl"), err.toString());
    }

    @Test
    void serve_badCheckpointInterval_status2WithMessage() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--ledger", "x.db", "--checkpoint-interval", "5s"));
        assertTrue(err.toString().contains("checkpoint-interval"), err.toString());
    }

    @Test
    void serve_checkpointKeyThatDoesNotExist_status2WithMessage() throws Exception {
        Path pass = Cli.secret(dir.resolve("pass"), "secret\n");
        StringWriter err = new StringWriter();
        int status = run(err, "serve", "--ledger", dir.resolve("none.db").toString(), "--port", "0", "--checkpoint-key",
                dir.resolve("none.key").toString(), "--checkpoint-passphrase-file", pass.toString());
        assertEquals(2, status);
        assertTrue(err.toString().startsWith("error: "), err.toString());
    }

    @Test
    void serve_checkpointPassphraseFileReadableByOthers_refusedNamingChmod600() throws Exception {
        Path pass = Cli.secret(dir.resolve("pass"), "secret passphrase\n");
        java.nio.file.Files.setPosixFilePermissions(pass, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        StringWriter err = new StringWriter();
        int status = run(err, "serve", "--ledger", dir.resolve("none.db").toString(), "--port", "0", "--checkpoint-key",
                dir.resolve("none.key").toString(), "--checkpoint-passphrase-file", pass.toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("passphrase file " + pass + " may be read or changed by other users")
                && err.toString().contains("chmod 600 " + pass) && err.toString().contains("口令文件"), err.toString());
        assertTrue(!err.toString().contains("secret passphrase"));
    }
}
