package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcripts of init, keys, people and bags: arguments and input in, output and exit status out. */
class SetupCommandsTest {
    @TempDir
    Path dir;
    Path keys;
    Path roster;
    Path plan;
    Path ledger;
    final SecureRandom random = new SecureRandom();

    @BeforeEach
    void files() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        roster = Cli.resource(dir, "roster.csv");
        plan = Cli.resource(dir, "plan.csv");
        ledger = dir.resolve("exam.db");
        for (String p : List.of("P006", "P009", "P007", "P013", "P040")) {
            Cli.keyFile(keys, p, SignatureAlgorithm.ED25519, random);
        }
    }

    private Cli.Result init(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("init", "--ledger", ledger.toString(), "--id", "HN-ZSB-2021",
                "--roster", roster.toString(), "--founder", "P006", "--founder", "P009", "--keys-dir", keys.toString(),
                "--at", "2021-06-01 09:00"));
        args.addAll(List.of(extra));
        // no terminal: the founders' passphrases, then the ledger key's, one line each
        return Cli.run(Cli.passphrase("P006") + "\n" + Cli.passphrase("P009") + "\nledger key passphrase\n", args.toArray(String[]::new));
    }

    @Test
    void keysNew_writesOwnerOnlyKeyFileAndShowsItsId() throws Exception {
        Path file = dir.resolve("new.key");
        Cli.Result r = Cli.run("a good passphrase\n", "keys", "new", file.toString(), "--iterations", "100000");
        assertEquals(0, r.status(), r.toString());
        Matcher m = Pattern.compile("wrote .*new.key: ed25519 key ([0-9a-f]{32})").matcher(r.lines().get(0));
        assertTrue(m.matches(), r.out());
        assertTrue(r.lines().get(1).startsWith("public key "), r.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        SigningKey key = KeyFiles.read(file, "a good passphrase".toCharArray());
        assertEquals(m.group(1), key.id().hex());
        assertFalse(r.out().contains("a good passphrase") || r.err().contains("a good passphrase"), "passphrase never printed");

        Cli.Result show = Cli.run("a good passphrase\n", "keys", "show", file.toString());
        assertEquals(0, show.status(), show.toString());
        assertEquals("key " + key.id() + " (ed25519)", show.lines().get(0));
    }

    @Test
    void keysNew_sm2WithPassphraseFile() throws Exception {
        Path pass = Cli.secret(dir.resolve("p.txt"), "sm2 passphrase\n");
        Cli.Result r = Cli.run("", "keys", "new", dir.resolve("sm2.key").toString(), "--alg", "sm2", "--passphrase-file",
                pass.toString(), "--iterations", "100000");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains(": sm2 key "), r.out());
        assertEquals(SignatureAlgorithm.SM2, KeyFiles.read(dir.resolve("sm2.key"), "sm2 passphrase".toCharArray()).algorithm());
    }

    @Test
    void keysNew_existingFileOrShortPassphraseOrNoInput_exit2AndNothingWritten() {
        Cli.Result exists = Cli.run("a good passphrase\n", "keys", "new", keys.resolve("P006.key").toString());
        assertEquals(2, exists.status());
        assertTrue(exists.err().contains("already exists; choose another name"), exists.err());

        Cli.Result shortOne = Cli.run("short\n", "keys", "new", dir.resolve("s.key").toString());
        assertEquals(2, shortOne.status());
        assertTrue(shortOne.err().contains("too short: use at least 8 characters"), shortOne.err());
        assertFalse(Files.exists(dir.resolve("s.key")));

        Cli.Result none = Cli.run("", "keys", "new", dir.resolve("n.key").toString());
        assertEquals(2, none.status());
        assertTrue(none.err().contains("standard input ended"), none.err());
        assertFalse(none.err().contains("Exception"), none.err());
    }

    @Test
    void keysShow_wrongPassphrase_exit2WithoutStackTrace() {
        Cli.Result r = Cli.run("not the passphrase\n", "keys", "show", keys.resolve("P006.key").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error: cannot decrypt "), r.err());
        assertTrue(r.err().contains("wrong passphrase"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void init_createsLedgerFoundersPolicyAndLedgerKey() {
        Cli.Result r = init("--mode", "strict");
        assertEquals(0, r.status(), r.toString());
        assertEquals("created ledger HN-ZSB-2021 (ed25519-sha256) in " + ledger, r.lines().get(0));
        assertTrue(r.lines().get(1).matches("  founder P006 郝桂兰  key [0-9a-f]{32}"), r.out());
        assertTrue(r.lines().get(2).matches("  founder P009 邱国英  key [0-9a-f]{32}"), r.out());
        assertEquals("  exam HN-ZSB-2021: policy strict (严格), handoffs that break a custody rule are refused", r.lines().get(3));
        assertTrue(r.lines().get(4).matches("  ledger key [0-9a-f]{32} written to .*exam.db.ledger.key, enrolled as LEDGER \\(checkpoint_signer.*"), r.out());
        SigningKey ledgerKey = KeyFiles.read(Path.of(ledger + ".ledger.key"), "ledger key passphrase".toCharArray());
        assertTrue(r.lines().get(4).contains(ledgerKey.id().hex()), r.out());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(3, l.head().size());
            assertEquals(List.of(PersonId.of("P006"), PersonId.of("P009"), PersonId.of("LEDGER")), List.copyOf(l.people().keySet()));
            // the ledger's own key is enrolled for checkpoints, so a checkpoint it signs verifies from the file alone
            assertEquals(1, l.checkpointKeys(l.head().size() + 1).size());
        }
        Cli.Result v = Cli.run("", "verify", ledger.toString());
        assertEquals(0, v.status(), v.toString());
    }

    @Test
    void init_quorumStatedForWithdrawals_isInThePolicyAndJudgesTheNextWithdrawal() {
        Cli.Result r = init("--mode", "record", "--quorum",
                "set_withdrawn=chief_examiner|deputy_chief_examiner:1,discipline_inspector:2");
        assertEquals(0, r.status(), r.toString());
        try (Ledger l = Ledger.open(ledger)) {
            org.custody.model.Quorum q = l.policy("HN-ZSB-2021").governance().get("set_withdrawn");
            assertEquals(List.of(2, 1), q.groups().stream().map(g -> g.count()).sorted(java.util.Comparator.reverseOrder()).toList());
        }
        Cli.Result v = Cli.run("", "verify", ledger.toString());
        assertEquals(0, v.status(), v.toString());
    }

    @Test
    void init_quorumOfOnePersonOrUnknownRole_exit2NamingTheProblemAndNothingCreated() {
        Cli.Result alone = init("--mode", "strict", "--quorum", "policy=chief_examiner:1");
        assertEquals(2, alone.status(), alone.toString());
        assertTrue(alone.err().contains("--quorum policy") && alone.err().contains("no one governs alone"), alone.err());
        Cli.Result role = init("--mode", "strict", "--quorum", "policy=chief:1,discipline_inspector:1");
        assertEquals(2, role.status(), role.toString());
        assertTrue(role.err().contains("--quorum") && role.err().contains("chief"), role.err());
        assertFalse(java.nio.file.Files.exists(ledger), "nothing created");
    }

    @Test
    void sm2Ledger_initPeopleBagsHandoffVerify() throws Exception {
        Path sm2 = Files.createDirectory(dir.resolve("sm2"));
        for (String p : List.of("P006", "P009", "P007")) {
            Cli.keyFile(sm2, p, SignatureAlgorithm.SM2, random);
        }
        Cli.secret(dir.resolve("l.pass"), "ledger key passphrase\n");
        Cli.Result init = Cli.run("", Cli.args(Cli.signerArgs(sm2, "P006", "P009"), "init", "--ledger", ledger.toString(), "--id",
                "HN-ZSB-2021", "--alg", "sm2", "--roster", roster.toString(), "--founder", "P006", "--founder", "P009",
                "--ledger-key-passphrase-file", dir.resolve("l.pass").toString()));
        assertEquals(0, init.status(), init.toString());
        assertEquals("created ledger HN-ZSB-2021 (sm2-sm3) in " + ledger, init.lines().get(0));
        assertEquals(SignatureAlgorithm.SM2, KeyFiles.read(Path.of(ledger + ".ledger.key"), "ledger key passphrase".toCharArray()).algorithm());
        assertEquals(0, Cli.run("", Cli.args(Cli.signerArgs(sm2, "P006", "P007"), "people", "import", "--ledger", ledger.toString(),
                "--roster", roster.toString(), "--sponsor", "P006", "--person", "P007")).status());
        assertEquals(0, Cli.run("", Cli.args(Cli.signerArgs(sm2, "P006"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--no-boxes", "--no-answer-sheets")).status());
        Cli.Result handoff = Cli.run("", Cli.args(Cli.signerArgs(sm2, "P006", "P007", "P009"), "handoff", "--ledger", ledger.toString(),
                "--step", "vault_in", "--from", "P006", "--to", "P007", "--witness", "P009", "--place", "VAULT",
                "--bag", "HN-ZSB-2021.K01.01.S1.ENG.A", "--at", "2021-06-08 20:00"));
        assertEquals(1, handoff.status(), handoff.toString());
        assertTrue(handoff.out().contains("  R05 "), "vault_in before printing and sealing is out of order\n" + handoff.out());
        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.out().contains("R05 rule/major  entry 5  2021-06-08 20:00"), verify.out());
        assertTrue(verify.out().contains("intact with rule findings: 6 entries"), verify.out());
    }

    @Test
    void init_sm2LedgerWithEd25519Key_exit2NamingTheMismatch() {
        Cli.Result r = init("--alg", "sm2");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("holds an ed25519 key but the ledger uses sm2"), r.err());
        assertFalse(Files.exists(ledger));
        assertFalse(Files.exists(Path.of(ledger + ".ledger.key")));
    }

    @Test
    void init_existingLedgerOrUnknownFounder_exit2AndNothingChanged() throws Exception {
        assertEquals(0, init().status());
        long size = Files.size(ledger);
        Cli.Result again = init();
        assertEquals(2, again.status());
        assertTrue(again.err().contains("already exists; choose a new file name"), again.err());
        assertEquals(size, Files.size(ledger));

        Cli.Result unknown = Cli.run("", "init", "--ledger", dir.resolve("other.db").toString(), "--id", "X", "--roster",
                roster.toString(), "--founder", "P999", "--keys-dir", keys.toString());
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("founder P999 is not in"), unknown.err());
        assertFalse(Files.exists(dir.resolve("other.db")));
    }

    @Test
    void init_missingKeyFile_exit2SayingHowToGiveIt() {
        Cli.Result r = Cli.run("", "init", "--ledger", ledger.toString(), "--id", "X", "--roster", roster.toString(),
                "--founder", "P001");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no key file for P001 于涵敏 (founder): give --key P001=FILE or --keys-dir DIR"), r.err());
    }

    @Test
    void peopleImport_enrolsThoseWithKeyFilesWithRolesAndRecusals() {
        assertEquals(0, init().status());
        // sponsor P006, then each person enrolled in roster order: P007, P013, P040
        Cli.Result r = Cli.run(String.join("\n", Cli.passphrase("P006"), Cli.passphrase("P007"), Cli.passphrase("P013"),
                Cli.passphrase("P040")) + "\n", "people", "import", "--ledger", ledger.toString(), "--roster", roster.toString(),
                "--sponsor", "P006", "--keys-dir", keys.toString(), "--at", "2021-06-01 10:00");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of(
                "enrolled P007 李红秀  confidentiality_officer 保密员",
                "enrolled P013 邵建  police 公安/武警",
                "enrolled P040 覃雪  invigilator 监考员  site K01  RECUSED from HN-ZSB-2021: 直系亲属参加本年度专升本考试",
                "3 enrolled, 2 already enrolled, 71 without a key file"), r.lines().subList(0, 4));
        assertTrue(r.lines().get(4).startsWith("without a key file (not enrolled): P001, P002, P003"), r.out());

        Cli.Result again = Cli.run("", "people", "import", "--ledger", ledger.toString(), "--roster", roster.toString(),
                "--sponsor", "P006", "--keys-dir", keys.toString());
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().contains("0 enrolled, 5 already enrolled, 71 without a key file"), again.out());

        Cli.Result list = Cli.run("", "people", "list", "--ledger", ledger.toString());
        assertEquals(0, list.status());
        assertEquals(6, list.lines().size(), list.out());
        assertTrue(list.lines().get(5).startsWith("P040 覃雪  invigilator 监考员  site K01  RECUSED"), list.out());
    }

    @Test
    void peopleImport_wrongPassphraseForOnePerson_storesNothing() {
        assertEquals(0, init().status());
        Cli.Result r = Cli.run(String.join("\n", Cli.passphrase("P006"), Cli.passphrase("P007"), "wrong one") + "\n",
                "people", "import", "--ledger", ledger.toString(), "--roster", roster.toString(), "--sponsor", "P006",
                "--keys-dir", keys.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("wrong passphrase") && r.err().contains("P013 邵建 (enrolling)"), r.err());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(2, l.head().size());
        }
    }

    @Test
    void peopleImport_rosterMissingColumn_exit2NamingIt() throws Exception {
        assertEquals(0, init().status());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "person,name\nP001,于涵敏\n");
        Cli.Result r = Cli.run("", "people", "import", "--ledger", ledger.toString(), "--roster", bad.toString(),
                "--sponsor", "P006", "--keys-dir", keys.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.csv lacks the column role (its header row has: person, name)"), r.err());
    }

    @Test
    void peopleImport_unknownRole_exit2NamingLine() throws Exception {
        assertEquals(0, init().status());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "\uFEFFperson,name,role\nP001,于涵敏,print_supervisor\nP002,许春娜,boss\n");
        Cli.Result r = Cli.run("", "people", "import", "--ledger", ledger.toString(), "--roster", bad.toString(),
                "--sponsor", "P006", "--keys-dir", keys.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.csv line 3: 'boss' is not a known Role; expected one of print_supervisor"), r.err());
    }

    @Test
    void keysRotateAndRevoke_newKeySignsOldKeyRefused() {
        assertEquals(0, init().status());
        assertEquals(0, Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P007"), "people", "import", "--ledger",
                ledger.toString(), "--roster", roster.toString(), "--sponsor", "P006", "--person", "P007")).status());
        Path fresh = keys.resolve("P007-2.key");
        assertEquals(0, Cli.run("new passphrase 7\n", "keys", "new", fresh.toString(), "--iterations", "100000").status());
        Cli.Result rotate = Cli.run(Cli.passphrase("P006") + "\nnew passphrase 7\n", "keys", "rotate", "--ledger", ledger.toString(),
                "--person", "P007", "--new-key", fresh.toString(), "--sponsor", "P006", "--keys-dir", keys.toString());
        assertEquals(0, rotate.status(), rotate.toString());
        assertTrue(rotate.lines().get(0).matches("enrolled key [0-9a-f]{32} for P007 李红秀 \\(sponsor P006\\)"), rotate.out());
        assertTrue(rotate.lines().get(1).matches("revoked key [0-9a-f]{32} of P007 from .*"), rotate.out());

        Cli.Result list = Cli.run("", "keys", "list", "--ledger", ledger.toString());
        assertEquals(5, list.lines().size(), list.out());
        assertTrue(list.lines().get(3).contains("P007") && list.lines().get(3).contains("REVOKED from"), list.out());

        // the old key file can no longer sign: refused before anything is stored
        Cli.Result old = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P007"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P007"));
        assertEquals(2, old.status());
        assertTrue(old.err().contains("I05") && old.err().contains("P007 李红秀") && old.err().contains("was revoked from"), old.err());

        String keyId = list.lines().get(4).substring(0, 32);
        Cli.Result revoke = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--key-id", keyId, "--reason", "key file lost", "--by", "P006", "--by", "P009"));
        assertEquals(0, revoke.status(), revoke.toString());
        assertTrue(revoke.out().startsWith("revoked key " + keyId + " of P007 from "), revoke.out());
        Cli.Result twice = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--key-id", keyId, "--reason", "again", "--by", "P006"));
        assertEquals(2, twice.status());
        assertTrue(twice.err().contains("is already revoked"), twice.err());
    }

    @Test
    void keysRevoke_byPerson_declaresTheirOneKeyCompromisedAndWhatItSignedSinceIsR18() {
        assertEquals(0, init().status());
        assertEquals(0, Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P007"), "people", "import", "--ledger",
                ledger.toString(), "--roster", roster.toString(), "--sponsor", "P006", "--person", "P007", "--at", "2021-06-01 10:00"))
                .status());
        assertEquals(0, Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P007"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P007", "--at", "2021-06-01 11:00")).status());

        // which key is meant must be said, once
        Cli.Result neither = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--reason", "key file copied", "--by", "P006", "--by", "P009"));
        assertEquals(2, neither.status(), neither.toString());
        assertTrue(neither.err().contains("--key-id KEY-ID or its holder with --person PERSON (one of them)"), neither.err());
        Cli.Result both = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--person", "P007", "--key-id", "0".repeat(32), "--reason", "key file copied", "--by", "P006"));
        assertEquals(2, both.status(), both.toString());
        Cli.Result stranger = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--person", "P013", "--reason", "key file copied", "--by", "P006", "--by", "P009"));
        assertEquals(2, stranger.status(), stranger.toString());
        assertTrue(stranger.err().contains("P013"), stranger.err());

        // reported a day later: copied since 10:30, so the registration of 11:00 that P007 signed is listed
        Cli.Result revoke = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--person", "P007", "--reason", "key file copied", "--effective", "2021-06-01 10:30",
                "--at", "2021-06-02 09:00", "--by", "P006", "--by", "P009"));
        assertEquals(0, revoke.status(), revoke.toString());
        assertTrue(revoke.out().matches("revoked key [0-9a-f]{32} of P007 from 2021-06-01 10:30.*: key file copied  \\(entry #[0-9]+\\)\\R"),
                revoke.out());
        Cli.Result list = Cli.run("", "keys", "list", "--ledger", ledger.toString());
        assertTrue(list.lines().stream().anyMatch(x -> x.contains("P007") && x.contains("REVOKED from 2021-06-01 10:30")), list.out());
        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.out().contains("R18") && verify.out().contains("P007") && !verify.out().contains("I05"), verify.out());

        Cli.Result again = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--person", "P007", "--reason", "again", "--by", "P006", "--by", "P009"));
        assertEquals(2, again.status(), again.toString());
        assertTrue(again.err().contains("P007 holds no unrevoked key"), again.err());

        // P006 alone may not revoke another's key: the exam records what happened, so it is stored with R17, exit 1
        Cli.Result alone = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006"), "keys", "revoke", "--ledger",
                ledger.toString(), "--person", "P009", "--reason", "left the exam", "--at", "2021-06-03 08:00", "--by", "P006"));
        assertEquals(1, alone.status(), alone.toString());
        assertTrue(alone.out().contains("R17") && alone.out().contains("已记录，含 1 项规则发现"), alone.out());
    }

    @Test
    void bagsImport_registersPlanBagsBoxesAndTimetableOnce() {
        assertEquals(0, init().status());
        Cli.Result r = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P009", "--at", "2021-06-01 11:00"));
        assertEquals(0, r.status(), r.toString());
        assertEquals("registered 186 bags and boxes for exam HN-ZSB-2021: 120 question_paper 试卷袋, 60 answer_sheet 答卷袋, 6 transport_box 试卷运送专用箱",
                r.lines().get(0));
        assertEquals("  timetable: 3 sessions", r.lines().get(1));
        assertEquals("  HN-ZSB-2021.BOX.K01.S1 carries 30 bags of site K01 (put them in with 'custody handoff --into HN-ZSB-2021.BOX.K01.S1')",
                r.lines().get(2));
        try (Ledger l = Ledger.open(ledger)) {
            List<Bag> bags = l.bags();
            assertEquals(186, bags.size());
            Bag q = bags.stream().filter(b -> b.id().value().equals("HN-ZSB-2021.K02.10.S2.MATH.B")).findFirst().orElseThrow();
            assertEquals(BagKind.QUESTION_PAPER, q.kind());
            assertEquals(24, q.copies());
            assertEquals("confidential", q.secrecy().wire());
        }
        Cli.Result again = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P009"));
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().startsWith("nothing new to register"), again.out());

        Cli.Result list = Cli.run("", "bags", "list", "--ledger", ledger.toString());
        assertEquals(186, list.lines().size());
        assertEquals(list.lines().stream().sorted().toList(), list.lines(), "in order of id");
        assertTrue(list.lines().stream().anyMatch(line -> line.matches(
                "HN-ZSB-2021.K01.01.S1.ENG.A +question_paper +30 copies 机密  registered, not handed over yet")), list.out());
    }

    @Test
    void bagsImport_badPlanRow_exit2NamingLineAndNothingStored() throws Exception {
        assertEquals(0, init().status());
        List<String> lines = Files.readAllLines(plan);
        lines.set(5, lines.get(5).replace(",30,A;B", ",thirty,A;B"));
        Path bad = Files.write(dir.resolve("bad-plan.csv"), lines);
        Cli.Result r = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", bad.toString(), "--by", "P006"));
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad-plan.csv line 6: candidates 'thirty' is not a whole number"), r.err());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(0, l.bags().size());
        }
    }

    @Test
    void bagsImport_rowOfAnExamWithoutItsPolicy_exit2NamingTheLineAndNothingStored() throws Exception {
        assertEquals(0, init("--mode", "strict").status());
        List<String> lines = Files.readAllLines(plan);
        lines.set(7, lines.get(7).replaceFirst("^HN-ZSB-2021,", "HN-ZSB-2O21,"));
        Path typo = Files.write(dir.resolve("typo-plan.csv"), lines);
        Cli.Result r = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", typo.toString(), "--by", "P006", "--by", "P009"));
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("typo-plan.csv line 8: exam 'HN-ZSB-2O21' has no custody policy in ledger HN-ZSB-2021"
                + " (exams with one: HN-ZSB-2021); check the exam id"), r.err());
        assertTrue(r.err().contains("考试编号"), r.err());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(0, l.bags().size());
        }
    }
}
