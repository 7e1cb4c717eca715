package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.model.Policy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody policy show|set}: the policy in force, and a change signed by its quorum (R17), on a real ledger file. */
class PolicyCommandTest {
    private static final String EXAM = "HN-ZSB-2021";

    @TempDir
    Path dir;
    Path keys;
    Path ledger;

    /** A strict ledger founded by P006 (confidentiality officer) and P009 (discipline inspector). */
    @BeforeEach
    void strictLedger() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        Path roster = Cli.resource(dir, "roster.csv");
        ledger = dir.resolve("exam.db");
        SecureRandom random = new SecureRandom();
        for (String p : List.of("P006", "P009")) {
            Cli.keyFile(keys, p, SignatureAlgorithm.ED25519, random);
        }
        Cli.Result init = Cli.run(Cli.passphrase("P006") + "\n" + Cli.passphrase("P009") + "\nledger key passphrase\n",
                "init", "--ledger", ledger.toString(), "--id", EXAM, "--roster", roster.toString(), "--founder", "P006",
                "--founder", "P009", "--keys-dir", keys.toString(), "--at", "2021-06-01 09:00", "--mode", "strict");
        assertEquals(0, init.status(), init.toString());
    }

    private Cli.Result set(List<String> signers, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("policy", "set", "--ledger", ledger.toString()));
        args.addAll(List.of(options));
        args.addAll(Cli.signerArgs(keys, signers.toArray(String[]::new)));
        return Cli.run("", args.toArray(String[]::new));
    }

    private Policy policy() {
        try (Ledger l = Ledger.open(ledger)) {
            return l.policy(EXAM);
        }
    }

    private Head head() {
        try (Ledger l = Ledger.open(ledger)) {
            return l.head();
        }
    }

    @Test
    void set_stationIdle_isStatedInThePolicy_andOutOfRangeIsExit2_withNothingStored() {
        assertNull(policy().stationIdle());
        long before = head().size();
        Cli.Result wrong = set(List.of("P006", "P009"), "--at", "2021-06-01 10:00", "--station-idle", "61", "--by", "P006", "--by", "P009");
        assertEquals(2, wrong.status(), wrong.toString());
        assertTrue(wrong.err().contains("--station-idle") && wrong.err().contains("1-60 分钟"), wrong.err());
        assertEquals(before, head().size(), "nothing stored");
        Cli.Result r = set(List.of("P006", "P009"), "--at", "2021-06-01 10:00", "--station-idle", "3", "--by", "P006", "--by", "P009");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("stationIdle 工作站闲置锁定: 3 min"), r.out());
        assertEquals(Duration.ofMinutes(3), policy().stationIdle());
        assertEquals(Policy.Mode.STRICT, policy().mode(), "the mode is kept");
    }

    @Test
    void set_byTheQuorum_changesOnlyTheNamedMembers_andShowPrintsThem() {
        Cli.Result r = set(List.of("P006", "P009"), "--at", "2021-06-01 10:00", "--record-within", "60", "--future-tolerance", "5",
                "--quorum", "set_withdrawn=chief_examiner|deputy_chief_examiner:1,discipline_inspector:2", "--by", "P006", "--by", "P009");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("recordWithin 入账时限: 60 min"), r.out());
        Policy p = policy();
        assertEquals(Policy.Mode.STRICT, p.mode(), "the mode is kept");
        assertEquals(Duration.ofMinutes(60), p.recordWithin());
        assertEquals(Duration.ofMinutes(5), p.futureTolerance());
        assertEquals(3, p.governance().get("set_withdrawn").groups().stream().mapToInt(g -> g.count()).sum());

        Cli.Result show = Cli.run("", "policy", "show", "--ledger", ledger.toString());
        assertEquals(0, show.status(), show.toString());
        assertTrue(show.out().contains("mode 模式: strict (严格)"), show.out());
        assertTrue(show.out().contains("futureTolerance 记录时间超前容差: 5 min"), show.out());
        assertTrue(show.out().contains("governance 治理签字 set_withdrawn: chief_examiner|deputy_chief_examiner:1,discipline_inspector:2")
                || show.out().contains("governance 治理签字 set_withdrawn: discipline_inspector:2,chief_examiner|deputy_chief_examiner:1"), show.out());

        // a record dated 2021 and appended now is late under the new limit: stored and reported (R23), even under strict
        Cli.Result late = set(List.of("P006", "P009"), "--at", "2021-06-01 11:00", "--record-within", "off", "--by", "P006", "--by", "P009");
        assertEquals(1, late.status(), late.toString());
        assertTrue(late.out().contains("R23") && late.out().matches("(?s).*[0-9]+ days( [0-9]+ hours?)? later; the policy allows 60 minutes.*"), late.out());
        assertNull(policy().recordWithin());
        Cli.Result v = Cli.run("", "verify", ledger.toString());
        assertEquals(1, v.status(), v.toString());
        assertTrue(v.out().contains("R23"), v.out());
    }

    @Test
    void set_byOneOfficerAlone_underStrict_isRefusedWithR17_exit4_andNothingStored() {
        Head before = head();
        Cli.Result r = set(List.of("P006"), "--mode", "record", "--by", "P006");
        assertEquals(4, r.status(), r.toString());
        assertTrue(r.err().contains("R17"), r.err());
        assertEquals(before, head());
        assertEquals(Policy.Mode.STRICT, policy().mode());
    }

    @Test
    void set_withNothingToChange_orBadValues_isExit2NamingTheOption_andNothingStored() {
        Head before = head();
        Cli.Result none = set(List.of("P006", "P009"), "--by", "P006", "--by", "P009");
        assertEquals(2, none.status(), none.toString());
        assertTrue(none.err().contains("name what changes"), none.err());
        Cli.Result same = set(List.of("P006", "P009"), "--mode", "strict", "--by", "P006", "--by", "P009");
        assertEquals(2, same.status(), same.toString());
        assertTrue(same.err().contains("change nothing"), same.err());
        Cli.Result words = set(List.of("P006", "P009"), "--record-within", "an hour", "--by", "P006", "--by", "P009");
        assertEquals(2, words.status(), words.toString());
        assertTrue(words.err().contains("--record-within 'an hour'"), words.err());
        Cli.Result loose = set(List.of("P006", "P009"), "--future-tolerance", "30", "--by", "P006", "--by", "P009");
        assertEquals(2, loose.status(), loose.toString());
        assertTrue(loose.err().contains("--future-tolerance") && loose.err().contains("between 0 and 10"), loose.err());
        Cli.Result huge = set(List.of("P006", "P009"), "--record-within", "1000000000000000000", "--by", "P006", "--by", "P009");
        assertEquals(2, huge.status(), huge.toString());
        Cli.Result typo = set(List.of("P006", "P009"), "--exam", "HN-ZSB-2O21", "--mode", "record", "--by", "P006", "--by", "P009");
        assertEquals(2, typo.status(), typo.toString());
        assertTrue(typo.err().contains("exam HN-ZSB-2O21 is not in") && typo.err().contains("--new-exam"), typo.err());
        Cli.Result week = set(List.of("P006", "P009"), "--record-within", "20000", "--by", "P006", "--by", "P009");
        assertEquals(2, week.status(), week.toString());
        assertTrue(week.err().contains("--record-within") && week.err().contains("10080"), week.err());
        assertEquals(before, head());
    }

    @Test
    void init_withRecordWithin_butNoMode_isExit2() {
        Path other = dir.resolve("other.db");
        Cli.Result r = Cli.run("", "init", "--ledger", other.toString(), "--id", EXAM, "--roster", dir.resolve("roster.csv").toString(),
                "--founder", "P006", "--founder", "P009", "--keys-dir", keys.toString(), "--record-within", "60");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("give --mode too"), r.err());
    }
}
