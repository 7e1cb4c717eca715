package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.custody.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody demo}: the README's main job. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void demo_runsWholeLifeCycleAndVerifiesClean_thenRefusesToOverwrite() throws Exception {
        Path ledger = dir.resolve("demo.db");
        Cli.Result r = Cli.run("", "demo", "--ledger", ledger.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("$ custody init --ledger " + ledger + " --id HN-ZSB-2021 --alg ed25519"), r.out());
        assertTrue(r.out().contains("11 enrolled, 2 already enrolled, 0 without a key file"), r.out());
        assertTrue(r.out().contains("recorded entry #30 "), r.out());
        assertTrue(r.out().contains("grading_return 评卷归还  1 bag  signed by P070 魏志勇, P007 李红秀, P009 邱国英"), r.out());
        assertTrue(r.out().contains("now: grading_return 评卷归还, held by P007"), r.out());
        assertTrue(r.out().contains("intact: 31 entries, no findings"), r.out());
        assertTrue(r.lines().stream().filter(l -> l.startsWith("$ custody")).noneMatch(l -> l.contains("--passphrase-file")),
                "passphrase options are not shown in the commands");
        assertTrue(Files.exists(Path.of(ledger + ".demo", "keys", "P001.key")));
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(31, l.head().size());
        }

        Cli.Result again = Cli.run("", "demo", "--ledger", ledger.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already exists; name a new file (the demo never overwrites a ledger)"), again.err());

        everyFileOwnerOnly(ledger);
    }

    /**
     * The ledger holds recusal reasons, the demo folder key and passphrase files: everything the demo and the commands
     * that write files make (bundle, evidence, report, labels) is owner-only, although the build runs with umask 022.
     */
    private void everyFileOwnerOnly(Path ledger) throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        String bag = "HN-ZSB-2021.K01.01.S1.ENG.A";
        for (String[] args : List.of(
                new String[] {"export", "-o", dir.resolve("exam.bundle").toString(), ledger.toString()},
                new String[] {"checkpoint", "make", ledger.toString(), "--key", ledger + ".ledger.key", "--passphrase-file",
                        ledger + ".demo/ledger-key.pass"},
                new String[] {"export", "--bag", bag, "-o", dir.resolve("a.evidence").toString(), ledger.toString()},
                new String[] {"verify", ledger.toString(), "--format", "html", "-o", dir.resolve("report.html").toString()},
                new String[] {"label", "--ledger", ledger.toString(), "--bag", bag, "--png", dir.resolve("labels/png").toString(),
                        "--pdf", dir.resolve("labels.pdf").toString()})) {
            Cli.Result r = Cli.run("", args);
            assertEquals(0, r.status(), String.join(" ", args) + "\n" + r);
        }
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(p -> !p.equals(dir)).toList()) {
                modes.put(dir.relativize(p).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        assertTrue(modes.keySet().containsAll(List.of("demo.db", "demo.db.ledger.key", "demo.db.demo/ledger-key.pass",
                "demo.db.demo/roster.csv", "demo.db.demo/plan.csv", "demo.db.demo/keys/P001.key", "demo.db.demo/keys/P001.pass",
                "exam.bundle", "a.evidence", "report.html", "labels.pdf", "labels/png/" + bag + ".png")), modes.toString());
        Map<String, String> open = new TreeMap<>(modes);
        open.entrySet().removeIf(e -> e.getValue().equals(Files.isDirectory(dir.resolve(e.getKey())) ? "rwx------" : "rw-------"));
        assertEquals(Map.of(), open, "files or folders others may use");
    }
}
