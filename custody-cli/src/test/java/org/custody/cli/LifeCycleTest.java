package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.label.LabelTag;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole exam life cycle driven through the command line alone, and planted breaches. */
class LifeCycleTest {
    static final List<String> CAST = List.of("P001", "P003", "P006", "P007", "P009", "P011", "P013", "P015", "P016", "P020",
            "P021", "P070", "P071");
    static final String Q = "HN-ZSB-2021.K01.01.S1.ENG.A";
    static final String ANS = "HN-ZSB-2021.K01.01.S1.ENG.ANS";
    static final String BOX = "HN-ZSB-2021.BOX.K01.S1";

    @TempDir
    Path dir;
    Path keys;
    Path ledger;
    Path plan;

    /** init (founders P006, P009), people import, bags import: all through the CLI. */
    void setUp(String... initOptions) throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        SecureRandom random = new SecureRandom();
        for (String p : CAST) {
            Cli.keyFile(keys, p, SignatureAlgorithm.ED25519, random);
        }
        Path roster = Cli.resource(dir, "roster.csv");
        plan = Cli.resource(dir, "plan.csv");
        ledger = dir.resolve("exam.db");
        List<String> init = new ArrayList<>(List.of("init", "--ledger", ledger.toString(), "--id", "HN-ZSB-2021", "--roster",
                roster.toString(), "--founder", "P006", "--founder", "P009", "--at", "2021-06-01 09:00"));
        init.addAll(List.of(initOptions));
        Cli.secret(dir.resolve("ledger.pass"), "ledger key passphrase\n");
        init.addAll(List.of("--ledger-key-passphrase-file", dir.resolve("ledger.pass").toString()));
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), init.toArray(String[]::new))));
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, CAST.toArray(String[]::new)), "people", "import", "--ledger", ledger.toString(),
                "--roster", roster.toString(), "--sponsor", "P006", "--at", "2021-06-01 10:00")));
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P009", "--at", "2021-06-01 11:00")));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    /** {@code custody handoff} with every party's passphrase from its file. */
    Cli.Result handoff(String at, String step, String from, String to, String witnesses, String place, String... more) {
        List<String> args = new ArrayList<>(List.of("handoff", "--ledger", ledger.toString(), "--step", step, "--at", at,
                "--to", to, "--place", place));
        List<String> people = new ArrayList<>(List.of(to));
        if (from != null) {
            args.addAll(List.of("--from", from));
            people.add(from);
        }
        for (String w : witnesses.split(",")) {
            args.addAll(List.of("--witness", w));
            people.add(w);
        }
        args.addAll(List.of(more));
        return Cli.run("", Cli.args(Cli.signerArgs(keys, people.toArray(String[]::new)), args.toArray(String[]::new)));
    }

    @Test
    void wholeLifeCycle_throughTheCliAlone_verifiesClean() throws Exception {
        setUp("--mode", "strict");
        Cli.Result print = ok(handoff("2021-06-08 09:00", "print", null, "P001", "P003,P006", "PRINTER", "--bag", Q, "--count", "30",
                "--place-name", "湘印保密印刷厂"));
        assertTrue(print.lines().get(0).matches("recorded entry #16 [0-9a-f]{16}  print 印制  1 bag  signed by P001 于涵敏, P003 杨丹, P006 郝桂兰"),
                print.out());
        assertEquals("  " + Q, print.lines().get(1));
        ok(handoff("2021-06-08 15:00", "seal", "P001", "P006", "P003", "PRINTER", "--bag", Q, "--count", "30", "--seal", "SN-1",
                "--seal-state", "intact"));
        ok(handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", Q, "--seal", "SN-1", "--seal-state", "intact"));
        Cli.Result distribute = ok(handoff("2021-06-09 05:30", "distribute", "P007", "P011", "P006,P009", "VAULT", "--bag", Q, "--into", BOX));
        assertTrue(distribute.out().contains("2 bags"), distribute.out());
        // sent out of the vault: once S1 starts (09:00) and until the escort hands it over at K01, it is late (R25),
        // the same answer the server gives (RemoteCliTest) and the console's board shows (ConsoleBrowserTest)
        Cli.Result late = ok(Cli.run("", "bags", "late", "--ledger", ledger.toString(), "--at", "2021-06-09 09:01"));
        assertTrue(late.out().contains("R25") && late.out().contains(Q) && late.out().contains("试卷袋开考时尚未送达考点"),
                late.out());
        assertFalse(ok(Cli.run("", "bags", "late", "--ledger", ledger.toString(), "--at", "2021-06-09 09:00")).out()
                .contains("R25"), "not before the start");

        // the escort: the bag and its box scanned by a USB scanner (lines on standard input, an empty line ends),
        // then each person's passphrase typed in signing order: from, to, witness
        Cli.Result escort = Cli.run(Q + "\n" + BOX + "\n" + Q + "\n\n" + Cli.passphrase("P011") + "\n" + Cli.passphrase("P015") + "\n"
                        + Cli.passphrase("P013") + "\n",
                "handoff", "--ledger", ledger.toString(), "--step", "escort", "--at", "2021-06-09 07:20", "--from", "P011", "--to", "P015",
                "--witness", "P013", "--place", "K01", "--into", BOX, "--keys-dir", keys.toString());
        ok(escort);
        assertTrue(escort.err().contains("note: " + Q + " given twice; counted once"), escort.err());
        assertFalse(escort.out().contains(Cli.passphrase("P011")) || escort.err().contains(Cli.passphrase("P011")));

        assertFalse(ok(Cli.run("", "bags", "late", "--ledger", ledger.toString(), "--at", "2021-06-09 09:01")).out()
                .contains("R25"), "at its site since the escort");
        ok(handoff("2021-06-09 08:30", "room_pickup", "P015", "P020", "P016", "K01", "--bag", Q));
        ok(handoff("2021-06-09 08:55", "open", null, "P020", "P021,P016", "K01-01", "--bag", Q, "--count", "30", "--seal", "SN-1",
                "--seal-state", "intact"));
        ok(handoff("2021-06-09 11:40", "collect", null, "P020", "P021,P016", "K01-01", "--bag", ANS, "--count", "30",
                "--present", "29", "--absent", "1", "--seal", "SN-A-1", "--seal-state", "intact"));
        ok(handoff("2021-06-09 11:50", "site_receipt", "P020", "P015", "P016", "K01", "--bag", ANS));
        ok(handoff("2021-06-09 12:00", "return_escort", "P015", "P011", "P013", "K01", "--bag", ANS, "--into", BOX));
        ok(handoff("2021-06-09 13:30", "vault_return", "P011", "P007", "P009", "VAULT", "--bag", ANS, "--bag", BOX,
                "--seal", "SN-A-1", "--seal-state", "intact"));
        ok(handoff("2021-06-09 14:00", "grading_out", "P007", "P070", "P071", "GRADING", "--bag", ANS, "--count", "30"));
        Cli.Result last = ok(handoff("2021-06-09 17:30", "grading_return", "P070", "P007", "P009", "VAULT", "--bag", ANS,
                "--count", "30", "--seal", "SN-A-2", "--seal-state", "intact", "--note", "评卷结束归还"));
        assertTrue(last.out().startsWith("recorded entry #28 "), last.out());

        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(0, verify.status(), verify.toString());
        assertTrue(verify.out().contains("intact: 29 entries, no findings"), verify.out());

        Cli.Result history = ok(Cli.run("", "history", "--ledger", ledger.toString(), ANS));
        List<String> lines = history.lines();
        assertTrue(lines.get(0).startsWith("Bag " + ANS + "  answer_sheet 答卷袋  exam HN-ZSB-2021  K01 room 01  S1 ENG  30 copies  秘密"),
                history.out());
        assertTrue(history.out().contains("2021-06-09 11:40  #23  collect 回收封装  at K01-01\n"), history.out());
        assertTrue(history.out().contains("    to P020 赵浩平 (invigilator)"), history.out());
        assertTrue(history.out().contains("    count 30  present 29  absent 1  seal SN-A-1 intact"), history.out());
        assertTrue(history.out().contains("    in " + BOX), history.out());
        assertTrue(history.out().contains("no findings for this bag"), history.out());

        Cli.Result json = ok(Cli.run("", "history", "--ledger", ledger.toString(), "--format", "json", Q));
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertEquals("custody-bag-history/v1", tree.get("schema").asText());
        assertEquals(Q, tree.get("bag").get("id").asText());
        JsonNode entries = tree.get("entries");
        assertEquals(8, entries.size());
        JsonNode escortEntry = entries.get(5);
        assertEquals("escort", escortEntry.get("step").asText());
        assertEquals("P011", escortEntry.get("from").get("id").asText());
        assertEquals("2021-06-08T23:20:00Z", escortEntry.get("at").asText());
        assertEquals(3, escortEntry.get("signatures").size());
        assertEquals("P013", escortEntry.get("signatures").get(2).get("person").asText());
        assertEquals(BOX, escortEntry.get("move").get("in").asText());
        assertEquals(0, tree.get("findings").size());
    }

    @Test
    void sealedBoxEscortedByItsIdAlone_carriesItsBag_strictExamStoresIt() throws Exception {
        setUp("--mode", "strict");
        ok(handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", ANS));
        ok(handoff("2021-06-09 05:30", "distribute", "P007", "P011", "P006,P009", "VAULT", "--bag", ANS, "--into", BOX));
        // the double-locked box is not opened on the road: the officer names it alone, and its bag moves with it
        Cli.Result escort = ok(handoff("2021-06-09 07:20", "escort", "P011", "P015", "P013", "K01", "--bag", BOX));
        assertTrue(escort.out().contains("2 bags"), escort.out());
        assertTrue(escort.out().contains("  " + ANS), escort.out());
        Cli.Result inBox = Cli.run("", "bags", "list", "--ledger", ledger.toString(), "--in", BOX);
        assertTrue(inBox.out().contains(ANS) && inBox.out().contains("escort"), inBox.out());
    }

    @Test
    void escortWithoutPolice_recordExam_recordedWithR03AndVerifyExits1() throws Exception {
        setUp();
        ok(handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", ANS));
        ok(handoff("2021-06-09 05:30", "distribute", "P007", "P011", "P006,P009", "VAULT", "--bag", ANS, "--into", BOX));
        Cli.Result escort = handoff("2021-06-09 07:20", "escort", "P011", "P015", "P016", "K01", "--bag", ANS, "--into", BOX);
        assertEquals(1, escort.status(), escort.toString());
        assertTrue(escort.out().contains("recorded with 1 custody-rule finding (the exam records what happened; 已记录，含 1 项规则发现):"),
                escort.out());
        assertTrue(escort.out().contains("  R03 "), escort.out());
        assertTrue(escort.out().contains("      " + org.custody.audit.FindingCode.R03.chinese()) || escort.out().contains("警"),
                "the finding in Chinese too: " + escort.out());

        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.out().contains("R03 rule/major  entry 17  2021-06-09 07:20"), verify.out());
        assertTrue(verify.out().contains("intact with rule findings: 18 entries, 1 findings (R03 x1)"), verify.out());

        Cli.Result history = Cli.run("", "history", "--ledger", ledger.toString(), ANS);
        assertEquals(0, history.status(), history.toString());
        assertTrue(history.out().contains("    R03 rule/major  entry 17  2021-06-09 07:20\n"), history.out());
    }

    @Test
    void escortWithoutPolice_strictExam_refusedExit4AndNothingStored() throws Exception {
        setUp("--mode", "strict");
        ok(handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", ANS));
        ok(handoff("2021-06-09 05:30", "distribute", "P007", "P011", "P006,P009", "VAULT", "--bag", ANS, "--into", BOX));
        long size;
        try (Ledger l = Ledger.open(ledger)) {
            size = l.head().size();
        }
        Cli.Result escort = handoff("2021-06-09 07:20", "escort", "P011", "P015", "P016", "K01", "--bag", ANS, "--into", BOX);
        assertEquals(4, escort.status(), escort.toString());
        assertTrue(escort.err().startsWith("refused (the exam's policy is strict; 本场考试执行严格策略); nothing was stored"
                + " (已拒绝，未保存):\n  R03 "), escort.err());
        assertTrue(escort.err().contains("Correct the handoff"), escort.err());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(size, l.head().size());
        }

        // a single signer: no quorum (R01), refused the same way
        Cli.Result alone = Cli.run("", Cli.args(Cli.signerArgs(keys, "P011"), "handoff", "--ledger", ledger.toString(), "--step",
                "escort", "--at", "2021-06-09 07:20", "--to", "P011", "--place", "K01", "--bag", ANS));
        assertEquals(4, alone.status(), alone.toString());
        assertTrue(alone.err().contains("R01 "), alone.err());
    }

    @Test
    void handoff_scannedLabels_checkedAgainstTheSealEntry_forgedOrStaleRefusedI10Exit3() throws Exception {
        setUp("--mode", "strict");
        ok(handoff("2021-06-08 09:00", "print", null, "P001", "P003,P006", "PRINTER", "--bag", Q, "--count", "30"));
        Label beforeSealing;
        try (Ledger l = Ledger.open(ledger)) {
            beforeSealing = l.label(BagId.of(Q));
        }
        ok(handoff("2021-06-08 15:00", "seal", "P001", "P006", "P003", "PRINTER", "--bag", Q, "--count", "30", "--seal", "SN-1",
                "--seal-state", "intact"));
        Label label;
        long size;
        try (Ledger l = Ledger.open(ledger)) {
            label = l.label(BagId.of(Q));
            size = l.head().size();
        }
        char last = label.tag().text().charAt(LabelTag.LENGTH - 1);
        String forged = label.payload().substring(0, label.payload().length() - 1) + (last == 'A' ? 'B' : 'A');
        for (String bad : List.of(forged, beforeSealing.payload())) {
            Cli.Result r = Cli.run(bad + "\n\n" + Cli.passphrase("P006") + "\n" + Cli.passphrase("P007") + "\n" + Cli.passphrase("P009") + "\n",
                    "handoff", "--ledger", ledger.toString(), "--step", "vault_in", "--at", "2021-06-09 04:00", "--from", "P006",
                    "--to", "P007", "--witness", "P009", "--place", "VAULT", "--keys-dir", keys.toString());
            assertEquals(3, r.status(), r.toString());
            assertTrue(r.err().contains("line 1 of standard input: I10 "), r.err());
            assertTrue(r.err().contains("Nothing was stored"), r.err());
            try (Ledger l = Ledger.open(ledger)) {
                assertEquals(size, l.head().size());
            }
        }
        Cli.Result scanned = Cli.run(label.payload() + "\n\n" + Cli.passphrase("P006") + "\n" + Cli.passphrase("P007") + "\n"
                        + Cli.passphrase("P009") + "\n",
                "handoff", "--ledger", ledger.toString(), "--step", "vault_in", "--at", "2021-06-09 04:00", "--from", "P006",
                "--to", "P007", "--witness", "P009", "--place", "VAULT", "--keys-dir", keys.toString());
        ok(scanned);
        assertEquals("  " + Q, scanned.lines().get(1));
    }

    @Test
    void incident_vaultInspectionKeepsLongStorageWithinR12_andBadIncidentsExit2() throws Exception {
        setUp();
        ok(handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", ANS));
        Cli.Result inspect = ok(Cli.run("", Cli.args(Cli.signerArgs(keys, "P009"), "incident", "--ledger", ledger.toString(),
                "--type", "vault_inspection", "--by", "P009", "--place", "VAULT", "--note", "监控回放正常", "--at", "2021-06-09 08:00")));
        assertTrue(inspect.out().matches("recorded entry #16 [0-9a-f]{16}  incident vault_inspection 保密室巡查  signed by P009 邱国英\n"),
                inspect.out());
        ok(handoff("2021-06-09 10:30", "distribute", "P007", "P011", "P006,P009", "VAULT", "--bag", ANS, "--into", BOX));
        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(0, verify.status(), "6.5 hours in the vault, reviewed after 4: no R12\n" + verify);

        Cli.Result seal = Cli.run("", Cli.args(Cli.signerArgs(keys, "P020", "P016"), "incident", "--ledger", ledger.toString(),
                "--type", "seal_broken", "--by", "P020", "--by", "P016", "--bag", ANS, "--note", "封条一角破损", "--at", "2021-06-09 11:00"));
        assertEquals(0, seal.status(), seal.toString());
        Cli.Result history = ok(Cli.run("", "history", "--ledger", ledger.toString(), ANS));
        assertTrue(history.out().contains("#18  incident seal_broken 封条破损\n    by P020 赵浩平 (invigilator)\n"), history.out());
        assertTrue(history.out().contains("    note 封条一角破损\n"), history.out());

        // the broken seal is a recorded exception (异常记录), not a finding: the report shows it and still exits 0
        Cli.Result report = Cli.run("", "verify", ledger.toString());
        assertEquals(0, report.status(), report.toString());
        String text = report.out();
        int section = text.indexOf("Exceptions recorded 异常记录: 1 (recorded as they happened; not findings)\n");
        assertTrue(section > 0, text);
        assertTrue(text.indexOf("  entry 18  ", section) > 0 && text.contains("incident seal_broken 封条破损\n"), text);
        assertTrue(text.contains("    bags [" + ANS + "]\n    people [P020, P016]\n"), text);
        assertTrue(text.contains("    note 封条一角破损\n"), text);
        assertTrue(!text.contains("vault_inspection"), "a vault inspection is routine, not an exception\n" + text);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Cli.run("", "verify", "--format", "json", ledger.toString()).out());
        assertEquals(1, json.get("exceptionCount").asLong());
        assertEquals(18, json.get("exceptions").get(0).get("seq").asLong());
        assertEquals("seal_broken", json.get("exceptions").get(0).get("type").get("wire").asText());
        assertEquals(0, json.get("total").asLong());
        String html = Cli.run("", "verify", "--format", "html", ledger.toString()).out();
        assertTrue(html.contains("<h2>Exceptions recorded 异常记录</h2>"), html);
        assertTrue(html.contains("incident seal_broken 封条破损</td><td>" + ANS + "</td><td>P020, P016</td><td></td><td>封条一角破损</td>"), html);

        Cli.Result unknown = Cli.run("", "incident", "--ledger", ledger.toString(), "--type", "flood", "--by", "P009", "--note", "x");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--type: 'flood' is not a known IncidentType; expected one of seal_broken"), unknown.err());
        Cli.Result noSet = Cli.run("", Cli.args(Cli.signerArgs(keys, "P009"), "incident", "--ledger", ledger.toString(),
                "--type", "set_withdrawn", "--by", "P009", "--note", "泄密风险"));
        assertEquals(2, noSet.status());
        assertTrue(noSet.err().contains("a set_withdrawn incident must name the paper set withdrawn"), noSet.err());
        assertTrue(noSet.err().contains("Nothing was stored"), noSet.err());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(19, l.head().size());
        }
    }

    @Test
    void handoff_inputMistakes_exit2SayingWhatToDo() throws Exception {
        setUp();
        Cli.Result unknownBag = handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", "NO.SUCH.BAG");
        assertEquals(2, unknownBag.status());
        assertTrue(unknownBag.err().contains("bag NO.SUCH.BAG is not registered in"), unknownBag.err());

        Cli.Result step = handoff("2021-06-09 04:00", "teleport", "P006", "P007", "P009", "VAULT", "--bag", ANS);
        assertEquals(2, step.status());
        assertTrue(step.err().contains("--step: 'teleport' is not a known Step; expected one of print, seal"), step.err());

        Cli.Result noBags = handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT");
        assertEquals(2, noBags.status());
        assertTrue(noBags.err().contains("no bags: give --bag BAG, or scan"), noBags.err());

        Cli.Result stranger = handoff("2021-06-09 04:00", "vault_in", "P006", "P002", "P009", "VAULT", "--bag", ANS);
        assertEquals(2, stranger.status());
        assertTrue(stranger.err().contains("P002 is not enrolled in this ledger"), stranger.err());

        Cli.Result twoCounts = handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", ANS, "--bag", Q,
                "--count", "30");
        assertEquals(2, twoCounts.status());
        assertTrue(twoCounts.err().contains("describe one bag of papers, but this handoff has 2"), twoCounts.err());

        Cli.Result wrongPass = Cli.run("", "handoff", "--ledger", ledger.toString(), "--step", "vault_in", "--from", "P006", "--to",
                "P007", "--witness", "P009", "--place", "VAULT", "--bag", ANS, "--keys-dir", keys.toString(),
                "--passphrase-file", "P006=" + dir.resolve("ledger.pass"));
        assertEquals(2, wrongPass.status());
        assertTrue(wrongPass.err().contains("wrong passphrase") && wrongPass.err().contains("P006 郝桂兰 (releasing 交出)"), wrongPass.err());

        Cli.Result time = handoff("yesterday", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", ANS);
        assertEquals(2, time.status());
        assertTrue(time.err().contains("--at 'yesterday' is not a time"), time.err());
        try (Ledger l = Ledger.open(ledger)) {
            assertEquals(15, l.head().size());
        }
    }

    @Test
    void placeTypedWrong_isAnInputErrorBeforeAnyoneSigns_andNothingIsStored() throws Exception {
        setUp("--mode", "record");
        Cli.Result vault = ok(Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--vault", "VAULT=省教育考试院保密室", "--by", "P006", "--by", "P009", "--at", "2021-06-01 11:30")));
        assertTrue(vault.out().contains("registered 1 place: 1 vault 保密室"), vault.out());
        long size;
        try (org.custody.ledger.Ledger l = org.custody.ledger.Ledger.open(ledger)) {
            size = l.head().size();
            assertTrue(l.places().stream().anyMatch(p -> p.id().equals("K01-01")), "the plan's rooms are registered: " + l.places());
        }

        Cli.Result typo = handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAUL", "--bag", Q);
        assertEquals(2, typo.status(), typo.toString());
        assertTrue(typo.err().contains("--place VAUL is not a registered vault (保密室) of this ledger; the registered ones are: VAULT 省教育考试院保密室"),
                typo.err());
        Cli.Result review = Cli.run("", Cli.args(Cli.signerArgs(keys, "P009"), "incident", "--ledger", ledger.toString(), "--type",
                "vault_inspection", "--by", "P009", "--note", "监控回放正常", "--place", "VAULT1", "--at", "2021-06-09 06:00"));
        assertEquals(2, review.status(), review.toString());
        Cli.Result room = handoff("2021-06-09 08:55", "open", null, "P020", "P021", "K01-1", "--bag", Q);
        assertEquals(2, room.status(), room.toString());
        assertTrue(room.err().contains("--place K01-1 is not a registered room (考场)") && room.err().contains("K01-01"), room.err());
        try (org.custody.ledger.Ledger l = org.custody.ledger.Ledger.open(ledger)) {
            assertEquals(size, l.head().size(), "nothing stored");
        }
        // the registered vault passes the check (the bag, never printed, is out of order: R05, recorded)
        Cli.Result right = handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", "--bag", Q);
        assertEquals(1, right.status(), right.toString());
        assertTrue(right.out().contains("R05") && !right.out().contains("R24"), right.out());
    }
}
