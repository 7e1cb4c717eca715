package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody batch}: a file of commands in one process, each key unlocked once; and spare papers in a plan. */
class BatchCommandTest {
    @TempDir
    Path dir;

    @Test
    void words_quotingAsInAShell() {
        assertEquals(List.of("handoff", "--at", "2021-06-09 08:30", "--note", "it's \"fine\"", "a b", "", "监控回放正常"),
                BatchCommand.words("handoff  --at '2021-06-09 08:30' --note \"it's \\\"fine\\\"\" a\\ b '' 监控回放正常"));
        assertEquals(List.of("ab'c"), BatchCommand.words("a'b'\\'c"));
        assertThrows(IllegalArgumentException.class, () -> BatchCommand.words("--note 'open"));
        assertThrows(IllegalArgumentException.class, () -> BatchCommand.words("--note \"open"));
        assertThrows(IllegalArgumentException.class, () -> BatchCommand.words("trailing \\"));
    }

    /** A batch making keys, a ledger with spare papers, and two handoffs; the second names no passphrase files. */
    @Test
    void batch_unlocksEachKeyOnce_andRegistersSparePapers() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        for (String p : List.of("P001", "P003", "P006", "P009")) {
            Cli.secret(keys.resolve(p + ".pass"), "passphrase of " + p + "\n");
        }
        Cli.secret(dir.resolve("ledger.pass"), "ledger key passphrase\n");
        Path roster = dir.resolve("roster.csv");
        Files.writeString(roster, "person,name,role\nP001,于涵敏,print_supervisor\nP003,杨丹,printer_staff\n"
                + "P006,郝桂兰,confidentiality_officer\nP009,邱国英,discipline_inspector\n");
        Path plan = dir.resolve("plan.csv");
        Files.writeString(plan, "exam,site,room,session,subject,starts_at,ends_at,candidates,sets,kind\n"
                + "X,K01,01,S1,ENG,2021-06-09T09:00:00+08:00,2021-06-09T11:30:00+08:00,30,A;B,\n"
                + "X,K01,BY,S1,ENG,2021-06-09T09:00:00+08:00,2021-06-09T11:30:00+08:00,5,A,spare_paper\n");
        String k = keys.toString();
        StringBuilder b = new StringBuilder("# set-up 建账\n");
        for (String p : List.of("P001", "P003", "P006", "P009")) {
            b.append("keys new ").append(k).append('/').append(p).append(".key --passphrase-file ").append(k).append('/').append(p)
                    .append(".pass --iterations 100000\n");
        }
        String l = dir.resolve("x.db").toString();
        String pass = " --keys-dir " + k + " --passphrase-file P001=" + k + "/P001.pass --passphrase-file P003=" + k
                + "/P003.pass --passphrase-file P006=" + k + "/P006.pass --passphrase-file P009=" + k + "/P009.pass";
        b.append("custody init --ledger ").append(l).append(" --id X --roster ").append(roster)
                .append(" --founder P006 --founder P009 --mode strict --at '2021-06-01 09:00' --ledger-key-passphrase-file ")
                .append(dir.resolve("ledger.pass")).append(pass).append('\n');
        b.append("people import --ledger ").append(l).append(" --roster ").append(roster).append(" --sponsor P006 --at '2021-06-01 10:00'")
                .append(pass).append('\n');
        b.append("bags import --ledger ").append(l).append(" --plan ").append(plan).append(" --by P006 --by P009 --at '2021-06-01 11:00'")
                .append(pass).append('\n');
        b.append("\n   # printing\n");
        b.append("handoff --ledger ").append(l).append(" --step print --at '2021-06-07 08:00' --to P001 --witness P003 --witness P006"
                + " --place PRINTER --bag X.K01.01.S1.ENG.A --bag X.K01.BY.S1.ENG.A").append(pass).append('\n');
        // no passphrase files and no standard input: only keys unlocked earlier in the batch can sign this
        b.append("handoff --ledger ").append(l).append(" --step seal --at '2021-06-07 09:00' --from P001 --to P006 --witness P003"
                + " --place PRINTER --bag X.K01.BY.S1.ENG.A --count 5 --seal FT-1 --seal-state intact --keys-dir ").append(k).append('\n');
        Path file = dir.resolve("exam.custody");
        Files.writeString(file, b.toString());

        Cli.Result r = Cli.run("", "batch", file.toString());
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().contains("# printing"), r::toString);
        assertTrue(r.out().contains("$ custody handoff --ledger " + l + " --step seal"), r::toString);
        assertFalse(r.out().contains("--passphrase-file"), "passphrase-file options are not shown");
        assertTrue(r.out().contains("batch " + file + ": 9 commands done"), r::toString);
        try (Ledger ledger = Ledger.open(dir.resolve("x.db"))) {
            Map<String, Bag> bags = ledger.bags().stream().collect(Collectors.toMap(x -> x.id().value(), Function.identity()));
            assertEquals(BagKind.SPARE_PAPER, bags.get("X.K01.BY.S1.ENG.A").kind());
            assertEquals(5, bags.get("X.K01.BY.S1.ENG.A").copyCount().orElseThrow());
            assertEquals(BagKind.QUESTION_PAPER, bags.get("X.K01.01.S1.ENG.B").kind());
            assertTrue(bags.containsKey("X.K01.01.S1.ENG.ANS"));
            assertFalse(bags.containsKey("X.K01.BY.S1.ENG.ANS"), "spare papers have no answer sheets");
        }

        // the same seal command again is a second sealing of a sealed bag: the draft's preflight refuses it
        // under the strict policy before anyone is asked to unlock a key
        List<String> seal = BatchCommand.words(b.substring(b.lastIndexOf("handoff")));
        Cli.Result alone = Cli.run("", seal.toArray(String[]::new));
        assertEquals(4, alone.status(), alone::toString);
        assertTrue(alone.err().contains("R05") && !alone.err().contains("passphrase"), alone::toString);
    }

    @Test
    void batch_stopsAtTheFirstFailingCommand_namingItsLine() throws Exception {
        Path file = dir.resolve("bad.custody");
        Path missing = dir.resolve("missing.db");
        Files.writeString(file, "# nothing here works\nverify " + missing + "\nkeys new " + dir.resolve("never.key") + "\n");
        Cli.Result r = Cli.run("", "batch", file.toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains(file + " line 2 ended with exit status 2"), r::toString);
        assertFalse(Files.exists(dir.resolve("never.key")), "nothing after the failing line runs");
    }

    @Test
    void batch_badFile_clearErrorsAndNothingRuns() throws Exception {
        Path file = dir.resolve("quote.custody");
        Files.writeString(file, "keys new " + dir.resolve("a.key") + "\nhandoff --note 'unclosed\n");
        Cli.Result r = Cli.run("", "batch", file.toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("line 2: a quote ' opened at column 16 is not closed"), r::toString);
        assertFalse(Files.exists(dir.resolve("a.key")), "a file that does not parse runs nothing");

        Files.writeString(file, "batch other.custody\n");
        r = Cli.run("", "batch", file.toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("a batch cannot run another batch"), r::toString);

        r = Cli.run("", "batch", dir.resolve("none.custody").toString());
        assertEquals(2, r.status(), r::toString);
        assertTrue(r.err().contains("no batch file"), r::toString);
    }

    @Test
    void plan_unknownKind_errorNamesTheLine() throws Exception {
        Path plan = dir.resolve("plan.csv");
        Files.writeString(plan, "exam,site,room,session,subject,starts_at,ends_at,candidates,sets,kind\n"
                + "X,K01,01,S1,ENG,2021-06-09T09:00:00+08:00,2021-06-09T11:30:00+08:00,30,A,answer_sheet\n");
        UserError e = assertThrows(UserError.class, () -> RoomPlan.read(plan,
                new RoomPlan.Options(org.custody.model.Secrecy.CONFIDENTIAL, org.custody.model.Secrecy.SECRET, true, true)));
        assertTrue(e.getMessage().contains("line 2: kind 'answer_sheet' is neither question_paper nor spare_paper"), e.getMessage());
    }
}
