package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.crypto.SignatureAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code bin/custody} at a real terminal: util-linux {@code script} runs it on a pseudo-terminal and
 * this test types into it as a person would, reading back everything the terminal shows. A passphrase typed ahead,
 * while Java starts, is not shown; echo is back on for what should be seen and after the command ends, also after
 * Ctrl-C. The launcher, the shell, the terminal and Java are real; only the executable jar is replaced by the
 * test's class path (the jar is built after the tests), through a {@code java} that says when it starts and then
 * runs the real one.
 */
class LauncherEchoTest {
    static final Path LAUNCHER = Path.of("bin/custody").toAbsolutePath();
    static final String STARTING = "java starting";

    @TempDir
    Path dir;
    Path javaHome;

    @BeforeEach
    void fakeJavaHome() throws IOException {
        assumeTrue(available("script", "--version") && available("stty", "--version") && available("bash", "--version"),
                "needs util-linux script, stty and bash");
        javaHome = dir.resolve("jdk");
        Path bin = Files.createDirectories(javaHome.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/bash
                # says it starts (after the launcher set up the terminal) and what it was given, then runs the real java
                # with the test class path instead of -jar custody.jar
                printf '%s: %s\\n' '""" + STARTING + """
                ' "$*"
                args=()
                while [ $# -gt 0 ]; do
                  if [ "$1" = -jar ]; then args+=(-cp "$TEST_CLASS_PATH" org.custody.cli.Custody); shift 2; continue; fi
                  args+=("$1"); shift
                done
                exec "$REAL_JAVA" "${args[@]}"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("custody.jar"), "not used: the fake java runs the test class path");
    }

    private static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A shell command running on a pseudo-terminal, with what it showed so far. */
    final class Session implements AutoCloseable {
        final Process process;
        final StringBuffer shown = new StringBuffer();
        final OutputStream keyboard;

        Session(String shellCommand) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("script", "-qefc", shellCommand, "/dev/null").directory(dir.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", javaHome.toString());
            env.put("JAVA_OPTS", "-Xshare:auto");
            env.put("CUSTODY_JAR", dir.resolve("custody.jar").toString());
            env.put("REAL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            env.put("TEST_CLASS_PATH", System.getProperty("java.class.path"));
            env.put("LAUNCHER", LAUNCHER.toString());
            env.put("TERM", "dumb");
            process = pb.start();
            keyboard = process.getOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        shown.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the session ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void awaitShown(String text) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!shown.toString().contains(text)) {
                assertTrue(System.nanoTime() < end && process.isAlive(), "waited for '" + text + "'; the terminal showed:\n" + shown);
                Thread.sleep(20);
            }
        }

        void type(String keys) throws IOException {
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        String end() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the session ended; it showed:\n" + shown);
            Thread.sleep(100); // the reader takes the last bytes
            return shown.toString().replace("\r", "");
        }

        @Override
        public void close() throws IOException {
            keyboard.close();
            process.destroyForcibly();
        }
    }

    private Path keyFile() throws IOException {
        Cli.keyFile(dir, "P001", SignatureAlgorithm.ED25519, new SecureRandom());
        return dir.resolve("P001.key");
    }

    /** The terminal's echo flag at the end, as {@code stty -a} reports it: "echo" or "-echo". */
    private static String echoAtEnd(String shown) {
        Matcher m = Pattern.compile("echo-at-end:.*?(?<![\\w-])(-?echo)(?![\\w-])", Pattern.DOTALL).matcher(shown);
        assertTrue(m.find(), shown);
        return m.group(1);
    }

    @Test
    void passphraseTypedAheadWhileJavaStarts_isNotShown_andEchoIsBackAfter() throws Exception {
        Path key = keyFile();
        try (Session s = new Session("\"$LAUNCHER\" keys show " + key + "; echo \"status=$?\"; echo echo-at-end:; stty -a")) {
            s.awaitShown(STARTING);
            s.type(Cli.passphrase("P001") + "\n"); // before Java has started, let alone asked
            String shown = s.end();
            assertTrue(shown.contains("-Dcustody.echo=off"), shown);
            assertTrue(shown.contains("passphrase for " + key), shown);
            assertTrue(shown.contains("status=0"), "the typed-ahead passphrase unlocked the key:\n" + shown);
            assertFalse(shown.contains(Cli.passphrase("P001")), "the passphrase was shown:\n" + shown);
            assertEquals("echo", echoAtEnd(shown));
        }
    }

    @Test
    void withoutTheLauncher_aPassphraseTypedAhead_isShown() throws Exception {
        // the problem the launcher solves: the same typing, with java started directly
        Path key = keyFile();
        try (Session s = new Session("\"$JAVA_HOME/bin/java\" -jar \"$CUSTODY_JAR\" keys show " + key)) {
            s.awaitShown(STARTING);
            s.type(Cli.passphrase("P001") + "\n");
            String shown = s.end();
            assertTrue(shown.contains(Cli.passphrase("P001")), shown);
        }
    }

    @Test
    void ctrlCAtThePassphrasePrompt_restoresEcho_status130() throws Exception {
        Path key = keyFile();
        // the outer shell traps INT (runs on) so it can report; the launcher and java get the default handling
        try (Session s = new Session("trap : INT; \"$LAUNCHER\" keys show " + key + "; echo \"status=$?\"; echo echo-at-end:; stty -a")) {
            s.awaitShown("passphrase for " + key);
            s.type("\u0003"); // Ctrl-C: the terminal sends SIGINT to the launcher and java
            String shown = s.end();
            assertTrue(shown.contains("status=130"), shown);
            assertEquals("echo", echoAtEnd(shown));
        }
    }

    @Test
    void scannedLabels_areShownAsTyped() throws Exception {
        try (Session s = new Session("\"$LAUNCHER\" scan; echo \"status=$?\"")) {
            s.awaitShown("scan labels now");
            s.type("NOT-A-LABEL-xyz\n");
            s.awaitShown("stdin:1");
            s.type("\u0004"); // Ctrl-D ends the labels
            String shown = s.end();
            assertTrue(shown.contains("NOT-A-LABEL-xyz\n"), "the label typed is echoed:\n" + shown);
        }
    }

    @Test
    void bagIdsTypedAtTheConsole_areShown_passphrasesNot() throws Exception {
        Path keys = dir.resolve("keys");
        Path ledger = Cli.vaultExam(dir);

        String bag = "HN-ZSB-2021.K01.01.S1.ENG.ANS";
        try (Session s = new Session("\"$LAUNCHER\" handoff --ledger " + ledger + " --step vault_in --from P006 --to P007"
                + " --witness P009 --place VAULT --at '2021-06-09 04:00' --key P006=" + keys.resolve("P006.key")
                + " --key P007=" + keys.resolve("P007.key") + " --key P009=" + keys.resolve("P009.key")
                + "; echo \"status=$?\"; echo echo-at-end:; stty -a")) {
            s.awaitShown("Scan or type bag ids");
            s.type(bag + "\n");
            s.awaitShown(bag + "\r\n");
            s.type("\n");
            for (String p : List.of("P006", "P007", "P009")) {
                s.awaitShown("passphrase for " + keys.resolve(p + ".key"));
                s.type(Cli.passphrase(p) + "\n");
            }
            String shown = s.end();
            assertTrue(shown.contains("status=0"), shown);
            assertTrue(shown.contains("recorded entry #"), shown);
            for (String p : List.of("P006", "P007", "P009")) {
                assertFalse(shown.contains(Cli.passphrase(p)), "a passphrase was shown:\n" + shown);
            }
            assertEquals("echo", echoAtEnd(shown));
        }
    }

    @Test
    void notAtATerminal_orServe_javaIsStartedAsBefore() throws Exception {
        try (Session s = new Session("\"$LAUNCHER\" -V </dev/null; \"$LAUNCHER\" serve --help")) {
            String shown = s.end();
            List<String> starts = shown.lines().filter(l -> l.startsWith(STARTING)).toList();
            assertEquals(2, starts.size(), shown);
            for (String start : starts) {
                assertFalse(start.contains("custody.echo"), start);
            }
        }
    }
}
