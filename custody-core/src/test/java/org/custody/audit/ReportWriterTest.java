package org.custody.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.PaperSet;
import org.custody.model.PersonId;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
    static final Instant AT = Instant.parse("2021-06-09T00:45:00Z");

    static AuditReport report() {
        Finding early = new Finding(FindingCode.R06, 42, Hash.ZERO, AT, List.of(BagId.of("K01.01.S1.ENG.A")),
                List.of(PersonId.of("P040"), PersonId.of("P041")), "opened 10 min before the permitted time", "提前10分钟启封",
                "not before 2021-06-09T00:55:00Z", AT.toString());
        return new AuditReport("HN-ZSB-2021", AT, 60, Hash.ZERO, List.of(early), Map.of(FindingCode.R06, 1L));
    }

    @Test
    void json_ruleFinding_followsSchemaV1() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ReportWriter.json(report()));
        assertEquals("custody-audit-report/v1", root.get("schema").asText());
        assertEquals(1, root.get("exitStatus").asInt());
        assertTrue(root.get("intact").asBoolean());
        assertEquals(1, root.get("counts").get("R06").asInt());
        JsonNode f = root.get("findings").get(0);
        assertEquals("R06", f.get("code").asText());
        assertEquals("rule", f.get("class").asText());
        assertEquals("critical", f.get("severity").asText());
        assertEquals(42, f.get("seq").asLong());
        assertEquals("2021-06-09T00:45:00Z", f.get("at").asText());
        assertEquals("K01.01.S1.ENG.A", f.get("bags").get(0).asText());
        assertEquals("P041", f.get("people").get(1).asText());
        assertEquals("提前10分钟启封", f.get("message").get("zh").asText());
        assertEquals("不得提前启封", f.get("title").get("zh").asText());
    }

    @Test
    void text_ruleFinding_showsBothLanguagesAndLocalTime() {
        String text = ReportWriter.text(report(), ZoneId.of("Asia/Shanghai"));
        assertTrue(text.contains("R06 rule/critical  entry 42  2021-06-09 08:45"), text);
        assertTrue(text.contains("opened 10 min before the permitted time"), text);
        assertTrue(text.contains("提前10分钟启封"), text);
        assertTrue(text.contains("counts: R06=1"), text);
    }

    static RecordedException withdrawn(long seq) {
        return new RecordedException(seq, Hash.ZERO, AT, RecordedException.INCIDENT, "set_withdrawn", "启用备用套题", List.of(),
                List.of(PersonId.of("P001"), PersonId.of("P002")), new PaperSet("ZSB2021", "S1", "ENG", "A"), null,
                "A set withdrawn after a suspected leak; B set used");
    }

    static RecordedException brokenAtOpening(long seq) {
        return new RecordedException(seq, Hash.ZERO, AT, RecordedException.HANDOFF, "open", "启封",
                List.of(BagId.of("K01.03.S1.ENG.B")), List.of(PersonId.of("P040"), PersonId.of("P041")), null, null, null);
    }

    /** A rule-clean report with two recorded exceptions, one more counted than kept. */
    static AuditReport cleanWithExceptions() {
        return new AuditReport("HN-ZSB-2021", AT, 60, Hash.ZERO, List.of(), Map.of(),
                List.of(withdrawn(12), brokenAtOpening(40)), 3);
    }

    @Test
    void exceptions_areNotFindings_exitStatusAndSummaryUnchanged() {
        AuditReport report = cleanWithExceptions();
        assertEquals(AuditReport.EXIT_CLEAN, report.exitStatus());
        assertEquals(0, report.total());
        assertTrue(report.intact());
        assertTrue(report.summary().startsWith("intact: 60 entries, no findings"), report.summary());
        assertEquals(List.of(), report().exceptions());
        assertEquals(0, report().exceptionCount());
    }

    @Test
    void exceptions_countBelowKept_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new AuditReport("L", AT, 1, Hash.ZERO, List.of(), Map.of(),
                List.of(withdrawn(1), withdrawn(2)), 1));
    }

    @Test
    void json_exceptions_followSchemaV1() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ReportWriter.json(cleanWithExceptions()));
        assertEquals(0, root.get("exitStatus").asInt());
        assertEquals(0, root.get("total").asInt());
        assertEquals(0, root.get("findings").size());
        assertEquals(3, root.get("exceptionCount").asLong());
        JsonNode e = root.get("exceptions").get(0);
        assertEquals(12, e.get("seq").asLong());
        assertEquals(Hash.ZERO.hex(), e.get("entry").asText());
        assertEquals("2021-06-09T00:45:00Z", e.get("at").asText());
        assertEquals("incident", e.get("record").asText());
        assertEquals("set_withdrawn", e.get("type").get("wire").asText());
        assertEquals("启用备用套题", e.get("type").get("zh").asText());
        assertEquals(0, e.get("bags").size());
        assertEquals("P002", e.get("people").get(1).asText());
        assertEquals("ENG", e.get("set").get("subject").asText());
        assertEquals("A", e.get("set").get("set").asText());
        assertEquals("S1", e.get("set").get("session").asText());
        assertEquals("ZSB2021", e.get("set").get("exam").asText());
        assertEquals("A set withdrawn after a suspected leak; B set used", e.get("note").asText());
        assertFalse(e.has("refers"));
        JsonNode h = root.get("exceptions").get(1);
        assertEquals("handoff", h.get("record").asText());
        assertEquals("open", h.get("type").get("wire").asText());
        assertEquals("K01.03.S1.ENG.B", h.get("bags").get(0).asText());
        assertFalse(h.has("set"));
        assertFalse(h.has("note"));
    }

    @Test
    void json_noExceptions_emptyArrayAndZeroCount() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ReportWriter.json(report()));
        assertEquals(0, root.get("exceptionCount").asLong());
        assertTrue(root.get("exceptions").isArray());
        assertEquals(0, root.get("exceptions").size());
    }

    @Test
    void text_exceptions_sectionAfterFindings() {
        AuditReport withBoth = new AuditReport("HN-ZSB-2021", AT, 60, Hash.ZERO, report().findings(), report().counts(),
                List.of(withdrawn(12), brokenAtOpening(40)), 3);
        String text = ReportWriter.text(withBoth, ZoneId.of("Asia/Shanghai"));
        int findings = text.indexOf("R06 rule/critical");
        int section = text.indexOf("Exceptions recorded 异常记录: 3 (recorded as they happened; not findings)");
        assertTrue(findings >= 0 && section > findings, text);
        assertTrue(text.contains("  entry 12  2021-06-09 08:45  incident set_withdrawn 启用备用套题\n"), text);
        assertTrue(text.contains("    set withdrawn ZSB2021/S1/ENG/A\n"), text);
        assertTrue(text.contains("    note A set withdrawn after a suspected leak; B set used\n"), text);
        assertTrue(text.contains("  entry 40  2021-06-09 08:45  handoff open 启封: seal found broken 封条破损\n"), text);
        assertTrue(text.contains("    bags [K01.03.S1.ENG.B]\n"), text);
        assertTrue(text.contains("  (1 more exceptions not kept)\n"), text);
    }

    @Test
    void text_noExceptions_saysNone() {
        String text = ReportWriter.text(report(), ZoneId.of("Asia/Shanghai"));
        assertTrue(text.contains("Exceptions recorded 异常记录: none\n"), text);
        assertFalse(text.contains("set withdrawn"), text);
    }

    @Test
    void severity_integrityAlwaysCritical_timeLimitsMinor() {
        for (FindingCode c : FindingCode.values()) {
            if (c.findingClass() == FindingClass.INTEGRITY) {
                assertEquals(Severity.CRITICAL, c.severity(), c.name());
            }
        }
        assertEquals(Severity.MINOR, FindingCode.R12.severity());
        assertEquals(Severity.MAJOR, FindingCode.R04.severity());
    }

    @Test
    void finding_isInBothLanguages_namesBagsAndPeople_andShowsEveryTimeInTheExamsZone() {
        Finding f = new Finding(FindingCode.R10, 12, Hash.ZERO, Instant.parse("2021-06-09T04:10:00Z"),
                List.of(BagId.of("K01.01.S1.ENG.A"), BagId.of("K01.02.S1.ENG.A")), List.of(PersonId.of("P001")),
                "answer sheets returned late, last seen 2021-06-09T02:05:30.250Z", "答题卡回库超时",
                "by 2021-06-09T03:40:00Z", "2021-06-09T04:10Z");
        String text = ReportWriter.finding(f, ZoneId.of("Asia/Shanghai"));
        assertEquals("""
                R10 rule/error  entry 12  2021-06-09 12:10
                    answer sheets returned late, last seen 2021-06-09 10:05:30.250+08:00
                    答题卡回库超时
                    expected 应为 by 2021-06-09 11:40:00+08:00, found 实为 2021-06-09 12:10:00+08:00
                    bags 试卷袋 [K01.01.S1.ENG.A, K01.02.S1.ENG.A]
                    people 人员 [P001]
                """.replace("R10 rule/error", "R10 " + FindingCode.R10.findingClass().name().toLowerCase(java.util.Locale.ROOT)
                + "/" + FindingCode.R10.severity().name().toLowerCase(java.util.Locale.ROOT)), text);
        Finding untitled = Finding.of(FindingCode.I03, 3, null, "bad signature by key 2021-06-09Tx");
        String plain = ReportWriter.finding(untitled, ZoneId.of("UTC"));
        assertTrue(plain.contains("    " + FindingCode.I03.chinese() + "\n"), "the code's Chinese title stands in: " + plain);
        assertTrue(plain.contains("2021-06-09Tx"), "text that is not a time is left as written: " + plain);
    }
}
