package org.custody.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.model.BagId;
import org.custody.model.PersonId;

/**
 * Writes an {@link AuditReport} as JSON (schema {@value #SCHEMA}, documented in docs/formats.md) or as
 * plain text for an inspector, in English and Chinese.
 */
public final class ReportWriter {
    /** Identifies the JSON schema; a new version is added, never changed in place. */
    public static final String SCHEMA = "custody-audit-report/v1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** The report as JSON text. */
    public static String json(AuditReport report) {
        return json(report, null);
    }

    /**
     * The report as JSON text, with what {@code verify --attachments} counted as the member {@code attachments} (added in
     * v1; absent when the files were not checked).
     */
    public static String json(AuditReport report, AttachmentTally attachments) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        putOpt(root, "ledger", report.ledger());
        putOpt(root, "asOf", report.asOf() == null ? null : report.asOf().toString());
        root.put("entries", report.entries());
        putOpt(root, "head", report.head() == null ? null : report.head().hex());
        root.put("intact", report.intact());
        root.put("exitStatus", report.exitStatus());
        root.put("total", report.total());
        if (report.signaturesFrom() > 0) {
            root.put("signaturesFrom", report.signaturesFrom());
        }
        if (report.coverage() != null) {
            Coverage c = report.coverage();
            ObjectNode o = root.putObject("coverage");
            o.put("incremental", true).put("from", c.from()).put("to", c.to()).put("stateDigest", c.stateDigest());
            lines(o.putArray("checked"), c.checked());
            lines(o.putArray("notChecked"), c.notChecked());
            ArrayNode reach = o.putArray("reachesBack");
            c.reachesBack().forEach(r -> reach.addObject().put("seq", r.seq()).put("key", r.key()).put("effective", r.effective().toString()));
        }
        ObjectNode counts = root.putObject("counts");
        report.counts().forEach((code, n) -> counts.put(code.name(), n));
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode o = findings.addObject();
            o.put("code", f.code().name());
            o.put("class", f.code().findingClass().name().toLowerCase(Locale.ROOT));
            o.put("severity", f.code().severity().name().toLowerCase(Locale.ROOT));
            o.putObject("title").put("en", f.code().english()).put("zh", f.code().chinese());
            o.put("seq", f.seq());
            putOpt(o, "entry", f.entry() == null ? null : f.entry().hex());
            putOpt(o, "at", f.at() == null ? null : f.at().toString());
            ArrayNode bags = o.putArray("bags");
            f.bags().stream().map(BagId::value).forEach(bags::add);
            ArrayNode people = o.putArray("people");
            f.people().stream().map(PersonId::value).forEach(people::add);
            ObjectNode message = o.putObject("message");
            message.put("en", f.message());
            putOpt(message, "zh", f.chinese());
            putOpt(o, "expected", f.expected());
            putOpt(o, "actual", f.actual());
        }
        root.put("exceptionCount", report.exceptionCount());
        ArrayNode exceptions = root.putArray("exceptions");
        for (RecordedException e : report.exceptions()) {
            ObjectNode o = exceptions.addObject();
            o.put("seq", e.seq());
            o.put("entry", e.entry().hex());
            o.put("at", e.at().toString());
            o.put("record", e.record());
            o.putObject("type").put("wire", e.type()).put("zh", e.chinese());
            ArrayNode bags = o.putArray("bags");
            e.bags().stream().map(BagId::value).forEach(bags::add);
            ArrayNode people = o.putArray("people");
            e.people().stream().map(PersonId::value).forEach(people::add);
            if (e.set() != null) {
                o.putObject("set").put("exam", e.set().exam()).put("session", e.set().session())
                        .put("subject", e.set().subject()).put("set", e.set().set());
            }
            putOpt(o, "refers", e.refers() == null ? null : e.refers().hex());
            putOpt(o, "note", e.note());
        }
        ArrayNode untrusted = root.putArray("untrustedCosignatures");
        for (CosignatureLine line : report.untrustedCosignatures()) {
            untrusted.addObject().put("size", line.size()).put("name", line.name()).put("keyId", line.keyId())
                    .put("reason", line.reason());
        }
        if (attachments != null) {
            ObjectNode a = root.putObject("attachments");
            a.put("checked", attachments.checked()).put("found", attachments.found()).put("missing", attachments.missing())
                    .put("altered", attachments.altered()).put("files", attachments.files());
            ArrayNode unreadable = a.putArray("unreadable");
            attachments.unreadable().forEach(unreadable::add);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a report built in memory", e);
        }
    }

    private static void lines(ArrayNode into, List<Coverage.Line> lines) {
        lines.forEach(l -> into.addObject().put("en", l.en()).put("zh", l.zh()));
    }

    /** What an incremental verification covered, as lines of text (empty for a full verification); times in {@code zone}. */
    public static String coverage(AuditReport report, ZoneId zone) {
        Coverage c = report.coverage();
        if (c == null) {
            return "";
        }
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        StringBuilder s = new StringBuilder("Incremental verification 增量核验: since the kept verification state of "
                + c.from() + " entries (state digest " + c.stateDigest() + ")\n");
        s.append("Checked 已核验:\n");
        c.checked().forEach(l -> s.append("  - ").append(l.en()).append("\n    ").append(l.zh()).append('\n'));
        s.append("Not checked again 未重新核验:\n");
        c.notChecked().forEach(l -> s.append("  - ").append(l.en()).append("\n    ").append(l.zh()).append('\n'));
        for (Coverage.ReachBack r : c.reachesBack()) {
            s.append("  - entry ").append(r.seq()).append(" revokes key ").append(r.key()).append(" from ")
                    .append(time.format(r.effective())).append(", before the kept state's last record: the entries before "
                    + c.from() + " it signed since are not listed (R18); run a full verification to list them\n    第")
                    .append(r.seq()).append("条记录吊销的密钥生效时间早于已保存状态的最后记录：此前该密钥签署的记录（R18）未列出，请做完整核验\n");
        }
        return s.toString();
    }

    /** The report as plain text, times shown in {@code zone}. */
    public static String text(AuditReport report, ZoneId zone) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        StringBuilder s = new StringBuilder();
        s.append("Custody audit report 核验报告");
        if (report.ledger() != null) s.append("  ledger ").append(report.ledger());
        s.append('\n');
        for (Finding f : report.findings()) {
            s.append(finding(f, zone));
        }
        if (report.findings().size() < report.total()) {
            s.append("(").append(report.total() - report.findings().size()).append(" more findings not kept; counts below are complete)\n");
        }
        if (!report.counts().isEmpty()) {
            s.append("counts:");
            for (Map.Entry<FindingCode, Long> e : report.counts().entrySet()) {
                s.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
            s.append('\n');
        }
        exceptions(s, report, time);
        if (!report.untrustedCosignatures().isEmpty()) {
            s.append("Cosignatures not trusted 未采信的见证签名 (no enrolled discipline inspector's key; not findings):\n");
            for (CosignatureLine line : report.untrustedCosignatures()) {
                s.append("  checkpoint ").append(line.size()).append("  ").append(line.name()).append('+').append(line.keyId())
                        .append("  ").append(line.reason()).append('\n');
            }
        }
        if (report.coverage() != null) {
            s.append(coverage(report, zone));
        } else if (report.signaturesFrom() > 0) {
            s.append("Signatures were checked from entry ").append(report.signaturesFrom()).append(" on; the ")
                    .append(report.signaturesFrom()).append(" entries before are the ones the kept checkpoint covers, verified when it was"
                    + " kept (签名仅核验第").append(report.signaturesFrom()).append("条起的记录；此前记录与已保存的检查点一致，保存时已核验)\n");
        }
        s.append(report.summary()).append('\n');
        return s.toString();
    }

    /**
     * One finding as an officer or inspector reads it, a few lines: the code, its class and severity, the entry and
     * its time; what was found in English, then in Chinese (the finding's own text, or its code's title); what was
     * expected and what was found; the bags and the people. Every time in it, also those inside the texts and the
     * expected and found values, is shown in {@code zone} (the exam's).
     */
    public static String finding(Finding f, ZoneId zone) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        StringBuilder s = new StringBuilder();
        s.append(f.code()).append(' ').append(f.code().findingClass().name().toLowerCase(Locale.ROOT)).append('/')
                .append(f.code().severity().name().toLowerCase(Locale.ROOT)).append("  entry ").append(f.seq());
        if (f.at() != null) s.append("  ").append(time.format(f.at()));
        s.append('\n');
        s.append("    ").append(localTimes(f.message(), zone)).append('\n');
        s.append("    ").append(f.chinese() != null ? localTimes(f.chinese(), zone) : f.code().chinese()).append('\n');
        if (f.expected() != null) {
            s.append("    expected 应为 ").append(localTimes(f.expected(), zone)).append(", found 实为 ")
                    .append(localTimes(f.actual(), zone)).append('\n');
        }
        if (!f.bags().isEmpty()) s.append("    bags 试卷袋 ").append(f.bags()).append('\n');
        if (!f.people().isEmpty()) s.append("    people 人员 ").append(f.people()).append('\n');
        return s.toString();
    }

    /** An instant as records write it (UTC, {@code Z}), with or without seconds and fractions. */
    private static final Pattern INSTANT = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?Z");

    /** {@code text} with every UTC instant in it written as the time in {@code zone}, with its offset. */
    static String localTimes(String text, ZoneId zone) {
        if (text == null || text.indexOf('T') < 0) {
            return text;
        }
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX").withZone(zone);
        DateTimeFormatter withMillis = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSXXX").withZone(zone);
        Matcher m = INSTANT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String found = m.group();
            String replacement = found;
            try {
                java.time.Instant at = java.time.Instant.parse(found.length() == 17 ? found.replace("Z", ":00Z") : found);
                replacement = (at.getNano() == 0 ? local : withMillis).format(at);
            } catch (java.time.DateTimeException e) {
                // not a time after all: left as written
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The section of recorded exceptions, shown after the findings. */
    private static void exceptions(StringBuilder s, AuditReport report, DateTimeFormatter time) {
        if (report.exceptionCount() == 0) {
            s.append("Exceptions recorded 异常记录: none\n");
            return;
        }
        s.append("Exceptions recorded 异常记录: ").append(report.exceptionCount())
                .append(" (recorded as they happened; not findings)\n");
        for (RecordedException e : report.exceptions()) {
            s.append("  entry ").append(e.seq()).append("  ").append(time.format(e.at())).append("  ").append(e.title()).append('\n');
            if (!e.bags().isEmpty()) s.append("    bags ").append(e.bags()).append('\n');
            if (!e.people().isEmpty()) s.append("    people ").append(e.people()).append('\n');
            if (e.set() != null) s.append("    set withdrawn ").append(setName(e.set())).append('\n');
            if (e.refers() != null) s.append("    corrects entry ").append(e.refers()).append('\n');
            if (e.note() != null) s.append("    note ").append(e.note()).append('\n');
            s.append("    hash ").append(e.entry()).append('\n');
        }
        if (report.exceptions().size() < report.exceptionCount()) {
            s.append("  (").append(report.exceptionCount() - report.exceptions().size()).append(" more exceptions not kept)\n");
        }
    }

    /** A paper set as exam/session/subject/set, e.g. {@code ZSB2021/S1/ENG/A}. */
    public static String setName(org.custody.model.PaperSet set) {
        return set.exam() + "/" + set.session() + "/" + set.subject() + "/" + set.set();
    }

    private static void putOpt(ObjectNode o, String field, String value) {
        if (value != null) o.put(field, value);
    }
}
