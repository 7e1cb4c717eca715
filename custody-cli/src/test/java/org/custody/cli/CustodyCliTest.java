package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcript tests: arguments in, output and exit status out. */
class CustodyCliTest {
    @TempDir
    Path dir;
    Path ledgerFile;
    String head;

    static final BagId BAG = BagId.of("K01.01.S1.ENG.A");
    static final Instant T = Instant.parse("2021-06-09T00:30:00Z");

    @BeforeEach
    void createLedger() {
        LedgerId id = LedgerId.of("CLI-TEST");
        Person a = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        Person b = Person.of("P002", "许春娜", Role.CONFIDENTIALITY_OFFICER);
        Person c = Person.of("P003", "杨丹", Role.DISCIPLINE_INSPECTOR);
        SigningKey ka = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey kb = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey kc = SigningKey.generate(SignatureAlgorithm.ED25519);
        ledgerFile = dir.resolve("ledger.db");
        Genesis genesis = new Genesis(RecordId.of("g"), id, T, Suite.ED25519_SHA256,
                List.of(new Founder(a, ka.publicKey()), new Founder(b, kb.publicKey()), new Founder(c, kc.publicKey())));
        try (Ledger ledger = Ledger.create(ledgerFile, SignedRecord.unsigned(genesis).signedBy(ka).signedBy(kb).signedBy(kc))) {
            Registration reg = new Registration(RecordId.of("r"), id, T, List.of(Bag.papers(BAG, BagKind.QUESTION_PAPER,
                    "HN", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)), List.of(a.id()));
            Appended r = ledger.append(SignedRecord.unsigned(reg).signedBy(ka));
            Handoff h = Handoff.builder(Step.ROOM_PICKUP).id(RecordId.of("h")).ledger(id).at(T.plusSeconds(60)).from(a.id()).to(b.id())
                    .witnesses(List.of(c.id())).place(Place.of("K01", "湘江学院考点")).bags(List.of(BagMove.of(BAG, r.hash()))).build();
            ledger.append(SignedRecord.unsigned(h).signedBy(ka).signedBy(kb).signedBy(kc));
            head = ledger.head().hash().hex();
        }
    }

    record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void verify_intactLedgerWithRuleBreach_exit1NamingTheRule() {
        Result r = run("verify", ledgerFile.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().contains("R05 rule/major  entry 2  2021-06-09 08:31"), r.out());
        assertTrue(r.out().contains("K01.01.S1.ENG.A cannot go from registration to room_pickup"), r.out());
        assertTrue(r.out().contains("intact with rule findings: 3 entries, 1 findings (R05 x1)"), r.out());
        assertTrue(r.out().contains("--expect-size 3 --expect-head " + head), r.out());
    }

    @Test
    void verify_cleanLedger_exit0() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM entries WHERE seq = 2");
            s.executeUpdate("UPDATE head SET seq = 1, hash = (SELECT hash FROM entries WHERE seq = 1)");
            // every index as the shorter ledger implies it (the verifier checks them all, formats.md §6.3)
            s.executeUpdate("DELETE FROM bag_links WHERE seq = 2");
            s.executeUpdate("DELETE FROM entry_terms WHERE seq = 2");
            s.executeUpdate("UPDATE bag_heads SET seq = 1, hash = (SELECT hash FROM entries WHERE seq = 1) WHERE seq = 2");
            // the rules' state reflects the longer ledger: dropped, as a file upgraded to schema 4 has none
            s.executeUpdate("DELETE FROM rule_state");
            s.executeUpdate("DELETE FROM rule_state_at");
            s.executeUpdate("DELETE FROM findings");
            s.executeUpdate("DELETE FROM finding_bags");
        }
        Result r = run("verify", ledgerFile.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("intact: 2 entries, no findings"), r.out());
    }

    @Test
    void verify_tamperedEntry_exit3NamingCodeAndEntry() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile);
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE entries SET body = replace(body, '\"K01\"', '\"K02\"') WHERE seq = 2");
        }
        Result r = run("verify", ledgerFile.toString());
        assertEquals(3, r.status(), r.out());
        assertTrue(r.out().contains("I03 integrity/critical  entry 2"), r.out());
        assertTrue(r.out().contains("NOT INTACT"), r.out());
    }

    @Test
    void verify_keptHeadLongerThanLedger_exit3WithI09() {
        Result r = run("verify", ledgerFile.toString(), "--expect-size", "5", "--expect-head", head);
        assertEquals(3, r.status(), r.out());
        assertTrue(r.out().contains("I09 integrity/critical"), r.out());
    }

    @Test
    void verify_jsonFormat_reportsSchemaAndExitStatus() throws Exception {
        Result r = run("verify", "--format", "json", ledgerFile.toString());
        assertEquals(1, r.status(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("custody-audit-report/v1", json.get("schema").asText());
        assertEquals("CLI-TEST", json.get("ledger").asText());
        assertEquals(1, json.get("exitStatus").asInt());
        assertEquals("R05", json.get("findings").get(0).get("code").asText());
    }

    @Test
    void verify_htmlFormat_oneSelfContainedPageWithFindings() {
        Result r = run("verify", "--format", "html", ledgerFile.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), r.out());
        assertTrue(r.out().contains("<td>R05</td><td>rule / major</td><td>2<br><code>" + head.substring(0, 16)), r.out());
        assertTrue(r.out().contains("intact with rule findings: 3 entries, 1 findings (R05 x1)"), r.out());
        assertTrue(r.out().contains("<td>K01.01.S1.ENG.A</td><td>P001, P002, P003</td>"), r.out());
        assertTrue(r.out().contains("<h2>Exceptions recorded 异常记录</h2>\n<p>None. 无。</p>"), r.out());
        assertTrue(!r.out().contains("<script") && !r.out().contains("http"), "no scripts, nothing fetched");
        assertTrue(r.out().endsWith("</html>\n"), r.out());
    }

    @Test
    void html_escapesEverythingFromTheLedger() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;", HtmlReport.esc("<script>alert('x')</script> & \""));
    }

    @Test
    void verify_progressFlag_drawsABarForABundleToo() throws Exception {
        Path bundle = dir.resolve("exam.bundle");
        try (var out = java.nio.file.Files.newOutputStream(bundle)) {
            org.custody.ledger.bundle.Bundle.export(ledgerFile, out);
        }
        assertEquals(3, org.custody.ledger.bundle.Bundle.size(bundle));
        Result r = run("verify", "--progress", bundle.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("\rverifying [##############################] 100%  3/3 entries"), r.err());
        assertEquals(-1, org.custody.ledger.bundle.Bundle.size(ledgerFile), "a ledger file does not end like a bundle");
    }

    @Test
    void verify_progressFlag_drawsBarOnStderrOnly_andOutputFile() throws Exception {
        Result r = run("verify", "--progress", ledgerFile.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("\rverifying [##############################] 100%  3/3 entries"), r.err());
        assertTrue(r.out().startsWith("Custody audit report"), r.out());

        Path report = dir.resolve("report.json");
        Result toFile = run("verify", "--format", "json", "-o", report.toString(), ledgerFile.toString());
        assertEquals(1, toFile.status());
        assertEquals("", toFile.out());
        assertTrue(toFile.err().contains("report written to " + report), toFile.err());
        assertTrue(java.nio.file.Files.readString(report).contains("\"schema\" : \"custody-audit-report/v1\""));

        Result quiet = run("verify", ledgerFile.toString());
        assertEquals("", quiet.err(), "no bar without a terminal or the flag");
    }

    @Test
    void progressBar_rendersProportionally() {
        assertEquals("verifying [###############...............]  50%  500/1000 entries", ProgressBar.render("verifying", 500, 1000));
        assertEquals("verifying [##############################] 100%  0/0 entries", ProgressBar.render("verifying", 0, 0));
    }

    @Test
    void verify_unknownFormat_exit2() {
        Result r = run("verify", "--format", "pdf", ledgerFile.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--format"), r.err());
    }

    @Test
    void verify_missingFile_exit2WithMessage() {
        Result r = run("verify", dir.resolve("nope.db").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error: no ledger at "), r.err());
    }

    @Test
    void verify_badHeadHash_exit2WithMessage() {
        Result r = run("verify", ledgerFile.toString(), "--expect-size", "3", "--expect-head", "xyz");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("64 lowercase hex digits"), r.err());
    }

    @Test
    void history_knownBag_listsEntriesOldestFirstWithSignersAndFindings() {
        Result r = run("history", "--ledger", ledgerFile.toString(), BAG.value());
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\\R");
        assertEquals("Bag K01.01.S1.ENG.A  question_paper 试卷袋  exam HN  K01 room 01  S1 ENG set A  30 copies  机密", lines[0]);
        assertEquals("2021-06-09 08:30  #1  register 登记", lines[1]);
        assertEquals("    by P001 于涵敏 (confidentiality_officer)", lines[2]);
        assertTrue(lines[3].matches("    signed by P001 [0-9a-f]{8}"), lines[3]);
        assertEquals("2021-06-09 08:31  #2  room_pickup 监考领取  at K01 湘江学院考点", lines[4]);
        assertEquals("    from P001 于涵敏 (confidentiality_officer)", lines[5]);
        assertEquals("    to P002 许春娜 (confidentiality_officer)", lines[6]);
        assertEquals("    witness P003 杨丹 (discipline_inspector)", lines[7]);
        assertTrue(lines[8].matches("    signed by P001 [0-9a-f]{8}, P002 [0-9a-f]{8}, P003 [0-9a-f]{8}"), lines[8]);
        assertTrue(lines[9].startsWith("    R05 rule/"), lines[9]);
        assertTrue(lines[9].endsWith("entry 2  2021-06-09 08:31"), "the finding's time in the exam's zone: " + lines[9]);
        assertTrue(lines[10].startsWith("        K01.01.S1.ENG.A cannot go from registration to room_pickup"), lines[10]);
        assertTrue(lines[11].startsWith("        ") && lines[11].codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                == Character.UnicodeScript.HAN), "and in Chinese: " + lines[11]);
        int now = java.util.Arrays.asList(lines).indexOf("now: room_pickup 监考领取, held by P002");
        assertTrue(now > 11, String.join("\n", lines));
        assertTrue(java.util.Arrays.stream(lines, 12, now).anyMatch(l -> l.equals("        bags 试卷袋 [K01.01.S1.ENG.A]")),
                String.join("\n", lines));
        assertEquals("1 finding for this bag", lines[now + 1]);
        assertTrue(lines[now + 2].startsWith("findings as the ledger recorded them when it appended each entry; the ledger was"
                + " not verified here"), lines[now + 2]);
    }

    /** --verify lists what a verification of the whole ledger reports, and says so; here the same finding. */
    @Test
    void history_verify_findsTheSameByVerifyingAndSaysSo() throws Exception {
        Result recorded = run("history", "--ledger", ledgerFile.toString(), BAG.value());
        Result verified = run("history", "--ledger", ledgerFile.toString(), "--verify", BAG.value());
        assertEquals(0, verified.status(), verified.err());
        assertTrue(verified.out().contains("findings from a verification of the whole ledger / 规则发现来自对整本账本的校验"), verified.out());
        String timeline = recorded.out().substring(0, recorded.out().indexOf("findings as the ledger recorded"));
        assertTrue(verified.out().startsWith(timeline), "the same timeline and findings:\n" + recorded.out() + "\n" + verified.out());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                run("history", "--ledger", ledgerFile.toString(), "--format", "json", BAG.value()).out());
        assertEquals("recorded", json.get("findingsFrom").asText());
        assertEquals(false, json.get("verified").asBoolean());
    }

    @Test
    void history_noFindings_skipsVerificationAndSaysSo() {
        Result r = run("history", "--ledger", ledgerFile.toString(), "--no-findings", BAG.value());
        assertEquals(0, r.status(), r.err());
        assertTrue(!r.out().contains("finding R05"), r.out());
        assertTrue(r.out().endsWith("findings not checked (--no-findings)\n"), r.out());
    }

    @Test
    void history_json_namesSchemaEntriesAndFindings() throws Exception {
        Result r = run("history", "--ledger", ledgerFile.toString(), "--format", "json", BAG.value());
        assertEquals(0, r.status(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("custody-bag-history/v1", json.get("schema").asText());
        assertEquals("CLI-TEST", json.get("ledger").asText());
        assertEquals(2, json.get("entries").size());
        assertEquals(head, json.get("entries").get(1).get("hash").asText());
        assertEquals("P002", json.get("status").get("holder").asText());
        assertEquals("R05", json.get("findings").get(0).get("code").asText());
    }

    @Test
    void history_unknownBag_exit2() {
        Result r = run("history", "--ledger", ledgerFile.toString(), "NO.SUCH.BAG");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("is not in"), r.err());
    }

    @Test
    void help_listsEveryVerbAndTheExitStatuses() {
        Result r = run("--help");
        assertEquals(0, r.status());
        for (String verb : List.of("init", "keys", "people", "bags", "handoff", "incident", "history", "verify", "demo")) {
            assertTrue(r.out().contains("\n  " + verb + " "), verb + " in\n" + r.out());
        }
        assertTrue(r.out().contains("  4   refused by a strict exam policy"), r.out());
    }

    @Test
    void groupWithoutSubcommand_exit2SayingWhichToName() {
        Result r = run("keys");
        assertEquals(2, r.status());
        assertEquals("error: name what to do with keys: new, show, reencrypt, list, rotate or revoke ('custody keys --help')\n",
                r.err().replace("\r\n", "\n"));
    }

    @Test
    void unknownVerb_exit2WithUsageHint() {
        Result r = run("frobnicate");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("custody --help"), r.err());
    }
}
