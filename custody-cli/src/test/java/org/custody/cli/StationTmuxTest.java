package org.custody.cli;

import static org.custody.cli.StationFixture.K2;
import static org.custody.cli.StationFixture.Q1;
import static org.custody.cli.StationFixture.Q2;
import static org.custody.cli.StationFixture.Q3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.custody.label.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custody station} as the officer runs it: its own Java process on a real pseudo-terminal that tmux provides
 * (Debian's tmux, which tools/build/debian-packages.sh installs: without it this test fails, it does not skip), typed
 * into with send-keys and read back with capture-pane. The screen it ends on is written to
 * target/station-screen.txt (the README shows one).
 */
class StationTmuxTest {
    @TempDir
    Path dir;
    /** The test's own tmux server, its socket in the test's folder (removed with it). */
    private String socket() {
        return dir.resolve("tmux.sock").toString();
    }

    @AfterEach
    void killServer() throws Exception {
        run(List.of("tmux", "-S", socket(), "kill-server"), true);
    }

    private static String run(List<String> command, boolean mayFail) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not end");
        }
        if (!mayFail && p.exitValue() != 0) {
            fail(command + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-u", "-S", socket()));
        command.addAll(List.of(args));
        return run(command, false);
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "station");
    }

    private String waitFor(String text) throws Exception {
        return StationFixture.waitFor(this::screen, text, Duration.ofSeconds(60), Duration.ofMillis(100));
    }

    private void type(String text) throws Exception {
        if (!text.isEmpty()) {
            tmux("send-keys", "-t", "station", "-l", text);
        }
        tmux("send-keys", "-t", "station", "Enter");
    }

    @Test
    void aShiftAtTheVaultDoor_onARealTerminal() throws Exception {
        Process which = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
        which.getInputStream().readAllBytes();
        assertEquals(0, which.waitFor(), "tmux is needed for this test: tools/build/debian-packages.sh installs it");

        StationFixture f = StationFixture.create(dir);
        Label q2 = f.label(Q2);
        Path script = dir.resolve("station.sh");
        Files.writeString(script, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' org.custody.cli.Custody station --ledger '" + f.ledger + "' --place VAULT"
                + " --keys-dir '" + f.keys + "' --idle 30m\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        run(List.of("tmux", "-u", "-S", socket(), "-f", "/dev/null", "new-session", "-d", "-x", "150", "-y", "34", "-s", "station",
                "-e", "LANG=C.UTF-8", script.toString()), false);

        waitFor("Custody station 交接工作站");
        type("in");
        for (String p : List.of("P007", "P011", "P006", "P009")) {
            waitFor("签到人员编号");
            type(p);
            waitFor(p + ", passphrase 口令");
            type(Cli.passphrase(p));
            waitFor(p + " ready to unlock");
        }
        type("");
        String s = waitFor("Signed in 已签到: P007 李红秀, P011 戴英秀, P006 郝桂兰, P009 邱国英");
        assertFalse(s.contains("passphrase of"), "no passphrase is ever shown:\n" + s);

        type(f.label(Q1).payload());
        type(new Label(q2.ledger(), Q2, f.label(Q3).seq(), f.label(Q3).tag()).payload());
        type(q2.payload());
        type(f.label(Q3).payload());
        type(f.label(K2).payload());
        s = waitFor("Batch 本批: 4 ✓ (question_paper 试卷袋 4)  1 ✗ dropped 已剔除");
        assertTrue(s.contains("✗ " + Q2 + "  forged or stale label 标签伪造或已失效"), s);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "station-screen-scans.txt"), s.stripTrailing() + "\n");

        type("h");
        waitFor("step 环节");
        type("distribute");
        waitFor("releasing 交出人");
        type("P007");
        waitFor("receiving 接收人");
        type("P011");
        waitFor("witnesses 见证人");
        type("P006 P009");
        waitFor("counts and seals per bag?");
        type("");
        for (String p : List.of("P007 李红秀 (releasing 交出)", "P011 戴英秀 (receiving 接收)", "P006 郝桂兰 (witness 见证)",
                "P009 邱国英 (witness 见证)")) {
            waitFor(p + ": confirm and sign?");
            type("y");
        }
        s = waitFor("✓ Recorded entry #");
        Files.writeString(Path.of("target", "station-screen.txt"), s.stripTrailing() + "\n");
        type("q");
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (new ProcessBuilder("tmux", "-S", socket(), "has-session", "-t", "station").start().waitFor() == 0) {
            if (System.nanoTime() > end) {
                fail("the station did not quit on 'q':\n" + screen());
            }
            Thread.sleep(100);
        }
    }
}
