package org.custody.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
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
}
