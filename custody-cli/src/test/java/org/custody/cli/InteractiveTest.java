package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console dialogue: a person at the terminal is asked for key files and passphrases (typed without
 * echo), gets another try after a wrong passphrase, and confirms a new passphrase by typing it twice.
 * The console itself is replaced by a script of what the person types; every prompt is recorded.
 */
class InteractiveTest {
    @TempDir
    Path dir;

    /** A person at a console, typing the given lines; passwords and lines are told apart in the record. */
    static final class ScriptedTerminal implements Terminal {
        final Deque<String> typed;
        final List<String> prompts = new ArrayList<>();

        ScriptedTerminal(String... typed) {
            this.typed = new ArrayDeque<>(List.of(typed));
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public String readLine(String prompt) {
            prompts.add("line: " + prompt);
            return typed.poll();
        }

        @Override
        public char[] readPassword(String prompt) {
            prompts.add("password: " + prompt);
            String s = typed.poll();
            return s == null ? null : s.toCharArray();
        }
    }

    private static Cli.Result run(Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), terminal).execute(args);
        return new Cli.Result(status, out.toString(), err.toString());
    }

    @Test
    void keysNew_asksTwiceUntilBothMatch() {
        Path file = dir.resolve("p.key");
        ScriptedTerminal person = new ScriptedTerminal("first try 123", "first try 124", "", "second try 123", "second try 123");
        Cli.Result r = run(person, "keys", "new", file.toString(), "--iterations", "100000");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of(
                "password: New passphrase for key file " + file + " (at least 8 characters): ",
                "password: Repeat the passphrase: ",
                "line: The two passphrases differ. Press Enter to try again.",
                "password: New passphrase for key file " + file + " (at least 8 characters): ",
                "password: Repeat the passphrase: "), person.prompts);
        assertEquals(SignatureAlgorithm.ED25519, KeyFiles.read(file, "second try 123".toCharArray()).algorithm());
    }

    @Test
    void handoff_asksEachPersonForTheirKeyFileAndPassphrase_retriesAWrongOne() throws Exception {
        Path keys = dir.resolve("keys");
        Path ledger = Cli.vaultExam(dir);

        String bag = "HN-ZSB-2021.K01.01.S1.ENG.ANS";
        ScriptedTerminal desk = new ScriptedTerminal(bag, "",
                keys.resolve("P006.key").toString(), "wrong passphrase", Cli.passphrase("P006"),
                keys.resolve("P007.key").toString(), Cli.passphrase("P007"),
                keys.resolve("P009.key").toString(), Cli.passphrase("P009"));
        Cli.Result r = run(desk, "handoff", "--ledger", ledger.toString(), "--step", "vault_in", "--from", "P006", "--to", "P007",
                "--witness", "P009", "--place", "VAULT", "--at", "2021-06-09 04:00");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of(
                "line: Scan or type bag ids, one per line; an empty line ends: ",
                "line: ",
                "line: P006 郝桂兰 (releasing 交出), your key file: ",
                "password: P006 郝桂兰 (releasing 交出), passphrase for " + keys.resolve("P006.key") + ": ",
                "password: P006 郝桂兰 (releasing 交出), passphrase for " + keys.resolve("P006.key") + ": ",
                "line: P007 李红秀 (receiving 接收), your key file: ",
                "password: P007 李红秀 (receiving 接收), passphrase for " + keys.resolve("P007.key") + ": ",
                "line: P009 邱国英 (witness 见证), your key file: ",
                "password: P009 邱国英 (witness 见证), passphrase for " + keys.resolve("P009.key") + ": "), desk.prompts);
        assertTrue(r.err().startsWith("To be signed: vault_in 入库 at VAULT, 2021-06-08T20:00:00Z\n  from    P006 郝桂兰\n"), r.err());
        assertTrue(r.err().contains("Cannot unlock " + keys.resolve("P006.key") + " (wrong passphrase?); try again."), r.err());
        assertTrue(r.out().startsWith("recorded entry #"), r.out());
        assertFalse(r.out().contains("wrong passphrase") || r.err().contains(Cli.passphrase("P006")), "passphrases never shown");
    }
}
