package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    }
}
