package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line around the verbs, on the real picocli command line: {@code custody help VERB}, "did you mean" for
 * misspelt verbs and options, {@code -V} on every verb, and the exit statuses in the top-level help.
 */
class CommandLineHelpTest {
    /** Every verb path of the real command line, e.g. [keys, revoke]; the root is the empty path. */
    static List<List<String>> verbPaths() {
        CommandLine root = Custody.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<List<String>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        for (CommandLine sub : new LinkedHashSet<>(cli.getSubcommands().values())) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getCommandName());
            collect(sub, next, paths);
        }
    }

    private static String[] with(List<String> path, String... more) {
        List<String> all = new ArrayList<>(path);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void helpVerb_printsExactlyWhatVerbDashDashHelpPrints_forEveryVerbAndSubVerb() {
        List<List<String>> paths = verbPaths();
        assertTrue(paths.contains(List.of("keys", "revoke")) && paths.contains(List.of("checkpoint", "cosign")), paths.toString());
        for (List<String> path : paths) {
            Cli.Result help = Cli.run("", with(List.of("help"), path.toArray(String[]::new)));
            Cli.Result dashDash = Cli.run("", with(path, "--help"));
            assertEquals(0, help.status(), help.toString());
            assertEquals(dashDash.out(), help.out(), "custody help " + String.join(" ", path));
            assertTrue(help.out().startsWith("Usage: custody" + (path.isEmpty() ? "" : " " + String.join(" ", path)) + " "),
                    help.out());
            assertEquals("", help.err());
        }
    }

    @Test
    void helpUnknownVerb_exit2_bilingualOnStandardError_withTheNearestVerb() {
        Cli.Result r = Cli.run("", "help", "hitsory");
        assertEquals(Exit.USAGE, r.status());
        assertEquals("", r.out());
        assertEquals("""
                error: 'custody' has no verb 'hitsory' (没有这个命令: custody hitsory)
                Did you mean 'custody history'? (您是否要输入: custody history)
                Run 'custody --help' for its verbs (命令列表见 'custody --help').
                """, r.err().replace("\r\n", "\n"));

        Cli.Result nested = Cli.run("", "help", "keys", "revok");
        assertEquals(Exit.USAGE, nested.status());
        assertTrue(nested.err().contains("'custody keys' has no verb 'revok' (没有这个命令: custody keys revok)"), nested.err());
        assertTrue(nested.err().contains("Did you mean 'custody keys revoke'?"), nested.err());

        Cli.Result far = Cli.run("", "help", "frobnicate");
        assertEquals(Exit.USAGE, far.status());
        assertFalse(far.err().contains("Did you mean"), "nothing near is suggested: " + far.err());

        Cli.Result tooDeep = Cli.run("", "help", "verify", "now");
        assertEquals(Exit.USAGE, tooDeep.status());
        assertTrue(tooDeep.err().contains("'custody verify' has no verb 'now'"), tooDeep.err());
    }

    @Test
    void misspeltVerb_exit2_didYouMeanOnStandardError() {
        Cli.Result top = Cli.run("", "veriffy", "ledger.db");
        assertEquals(Exit.USAGE, top.status());
        assertEquals("", top.out());
        assertEquals("""
                error: 'custody' has no verb 'veriffy' (没有这个命令: custody veriffy)
                Did you mean 'custody verify'? (您是否要输入: custody verify)
                Run 'custody --help' for usage (用法见 'custody --help').
                """, top.err().replace("\r\n", "\n"));

        Cli.Result nested = Cli.run("", "checkpoint", "cosgin");
        assertEquals(Exit.USAGE, nested.status());
        assertTrue(nested.err().contains("Did you mean 'custody checkpoint cosign'?"), nested.err());

        Cli.Result begun = Cli.run("", "hist", "X");
        assertTrue(begun.err().contains("Did you mean 'custody history'?"), "a verb's beginning: " + begun.err());
    }

    @Test
    void misspeltOption_exit2_didYouMeanOnStandardError() {
        Cli.Result r = Cli.run("", "history", "--ledgr", "l.db", "BAG");
        assertEquals(Exit.USAGE, r.status());
        assertEquals("", r.out());
        assertEquals("""
                error: 'custody history' has no option '--ledgr' (没有这个选项: --ledgr)
                Did you mean --ledger? (您是否要输入: --ledger)
                Run 'custody history --help' for usage (用法见 'custody history --help').
                """, r.err().replace("\r\n", "\n"));

        Cli.Result attached = Cli.run("", "verify", "--fromat=json", "l.db");
        assertEquals(Exit.USAGE, attached.status());
        assertTrue(attached.err().contains("has no option '--fromat'") && attached.err().contains("Did you mean --format?"),
                attached.err());

        Cli.Result oneLetter = Cli.run("", "verify", "-x", "l.db");
        assertEquals(Exit.USAGE, oneLetter.status());
        assertFalse(oneLetter.err().contains("Did you mean"), "no guesses for one letter: " + oneLetter.err());
    }

    @Test
    void otherParseErrors_keepPicocliMessage_saidInChineseToo() {
        Cli.Result r = Cli.run("", "history");
        assertEquals(Exit.USAGE, r.status());
        assertEquals("""
                error: Missing required parameter: 'BAG' (缺少必需的选项或参数)
                Run 'custody history --help' for usage (用法见 'custody history --help').
                """, r.err().replace("\r\n", "\n"));
    }

    @Test
    void suggestions_nearNamesOnly() {
        assertEquals(List.of("verify"), Suggestions.near("verfiy", List.of("verify", "evidence", "history")));
        assertEquals(List.of("--ledger"), Suggestions.near("--leddger", List.of("--ledger", "--zone", "-l")));
        assertEquals(List.of(), Suggestions.near("frobnicate", List.of("verify", "evidence", "history")));
        assertEquals(1, Suggestions.distance("revoke", "revoek"));
    }

    @Test
    void version_onEveryVerb_isTheTopLevelVersion() {
        Cli.Result top = Cli.run("", "-V");
        assertEquals(0, top.status());
        assertEquals(Custody.VERSION, top.out().strip());
        for (List<String> path : verbPaths()) {
            for (String flag : List.of("-V", "--version")) {
                Cli.Result r = Cli.run("", with(path, flag));
                assertEquals(0, r.status(), path + " " + flag + ": " + r);
                assertEquals(top.out(), r.out(), path + " " + flag);
            }
        }
    }

    @Test
    void topLevelHelp_listsEveryExitStatus_asExitDefinesThem() throws IllegalAccessException {
        Cli.Result r = Cli.run("", "--help");
        assertEquals(0, r.status());
        String help = r.out().replace("\r\n", "\n");
        String section = help.substring(help.indexOf("Exit status (退出状态):"));
        Set<Integer> statuses = new LinkedHashSet<>();
        for (Field f : Exit.class.getDeclaredFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())) {
                f.setAccessible(true);
                statuses.add(f.getInt(null));
            }
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 70), statuses);
        for (int status : statuses) {
            assertTrue(section.contains(String.format("\n  %-3d ", status)), "status " + status + " in\n" + section);
        }
        long rows = section.lines().filter(l -> l.matches(" {2}\\d+ +\\S.*")).count();
        assertEquals(statuses.size(), rows, "no status listed that Exit does not define:\n" + section);
    }

    @Test
    void topLevelHelp_exitSectionFitsTheTerminal_noLineWrapped() {
        String help = Cli.run("", "--help").out();
        for (String line : Exit.helpSection()) {
            assertTrue(help.contains(line + System.lineSeparator()) || help.contains(line + "\n"), "wrapped: " + line);
        }
    }
}
