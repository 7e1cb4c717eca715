package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody serve}: mistakes end with a message and status 2 before anything listens, and leave nothing behind. */
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

    /** A ledger made by {@code custody init}, its founders' key files in {@code dir/keys}. */
    private Path ledger() throws Exception {
        Path keys = java.nio.file.Files.createDirectory(dir.resolve("keys"));
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (String p : java.util.List.of("P006", "P009")) {
            Cli.keyFile(keys, p, org.custody.crypto.SignatureAlgorithm.ED25519, random);
        }
        Path file = dir.resolve("exam.db");
        Path ledgerPass = Cli.secret(dir.resolve("ledger.pass"), "ledger key passphrase\n");
        Cli.Result init = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "init", "--ledger", file.toString(), "--id", "HN-ZSB-2021",
                "--roster", Cli.resource(dir, "roster.csv").toString(), "--founder", "P006", "--founder", "P009", "--at", "2021-06-01 09:00",
                "--ledger-key-passphrase-file", ledgerPass.toString()));
        assertEquals(0, init.status(), init.toString());
        return file;
    }

    /** Threads a server would leave running: its own, Jetty's, SQLite's. */
    private static java.util.List<String> serverThreads(java.util.Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t)).map(Thread::getName)
                .filter(n -> n.startsWith("custody-") || n.contains("Jetty") || n.startsWith("qtp") || n.toLowerCase().contains("sqlite"))
                .sorted().toList();
    }

    @Test
    void serve_portInUse_status2BilingualMessageNamingThePortAndNothingLeftBehind() throws Exception {
        Path ledger = ledger();
        java.util.Set<String> filesBefore;
        try (var files = java.nio.file.Files.list(dir)) {
            filesBefore = files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            java.util.Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
            Cli.Result r = Cli.run("", "serve", "--ledger", ledger.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port));
            assertEquals(2, r.status(), r.toString());
            assertTrue(r.err().startsWith("error: "), r.toString());
            assertTrue(r.err().contains("端口 " + port) && r.err().contains("已被其他进程占用"), r.toString());
            assertTrue(r.err().contains("port " + port + " on 127.0.0.1 is already in use"), r.toString());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r);
            assertFalse(r.out().contains("listening"), r.toString());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!serverThreads(threadsBefore).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(java.util.List.of(), serverThreads(threadsBefore), "threads left running");
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(filesBefore, files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no drafts file, journal or lock left beside the ledger");
        }
        // the ledger is intact: it verifies
        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(0, verify.status(), verify.toString());
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

    /** --ledger once per exam: the files are read as given; one file twice, or two files of one ledger id, are refused. */
    @Test
    void serve_severalLedgers_sameFileTwiceOrOneIdTwice_status2NothingLeftBehind() throws Exception {
        Path ledger = ledger();
        Path twin = dir.resolve("twin.db");
        java.nio.file.Files.copy(ledger, twin);
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "serve", "--ledger", ledger.toString(), "--ledger", ledger.toString(), "--port", "0"));
        assertTrue(err.toString().contains("given twice") && err.toString().contains("重复"), err.toString());

        Cli.Result r = Cli.run("", "serve", "--ledger", ledger.toString(), "--ledger", twin.toString(), "--host", "127.0.0.1",
                "--port", "0");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("same ledger id HN-ZSB-2021") && r.err().contains("账本标识相同"), r.toString());
        assertFalse(java.nio.file.Files.exists(Path.of(ledger + ".drafts")) || java.nio.file.Files.exists(Path.of(twin + ".drafts")),
                "no drafts file left");
    }
}
