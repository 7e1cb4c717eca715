package org.custody.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.audit.RecordedException;
import org.custody.audit.ReportWriter;
import org.custody.model.BagId;
import org.custody.model.PersonId;

/**
 * An audit report as one self-contained HTML page (no scripts, no external files) that an inspector can
 * open offline, print or attach: summary, counts per code, and every finding with its entry, time, bags,
 * people and message in English and Chinese. Every value from the ledger is escaped.
 */
final class HtmlReport {
    private HtmlReport() {}

    static String render(AuditReport report, ZoneId zone, String source) {
        DateTimeFormatter time = Times.local(zone);
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Custody audit report 核验报告 ").append(esc(report.ledger() == null ? "" : report.ledger())).append("</title>\n")
                .append("<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #bbb;padding:.3em .5em;")
                .append("text-align:left;vertical-align:top}th{background:#eee}.integrity{background:#fde2e2}.rule{background:#fff4d6}")
                .append(".status{font-size:1.3em;font-weight:bold}.ok{color:#176b2c}.bad{color:#a01010}.warn{color:#8a5a00}</style>\n")
                .append("</head>\n<body>\n");
        s.append("<h1>Custody audit report 核验报告</h1>\n<table>\n");
        row(s, "ledger 台账", report.ledger() == null ? "(unreadable)" : report.ledger());
        row(s, "file 文件", source);
        row(s, "entries 记录数", Long.toString(report.entries()));
        row(s, "head 末条哈希", report.head() == null ? "" : report.head().hex());
        row(s, "as of 截至", report.asOf() == null ? "" : time.format(report.asOf()) + " (" + zone + ")");
        row(s, "exit status 退出码", Integer.toString(report.exitStatus()));
        s.append("</table>\n");
        String cls = report.exitStatus() == 0 ? "ok" : report.intact() ? "warn" : "bad";
        s.append("<p class=\"status ").append(cls).append("\">").append(esc(report.summary())).append("</p>\n");
        coverage(s, report, time);
        if (!report.counts().isEmpty()) {
            s.append("<h2>Counts 分类统计</h2>\n<table>\n<tr><th>code</th><th>meaning 含义</th><th>count 数量</th></tr>\n");
            for (Map.Entry<FindingCode, Long> e : report.counts().entrySet()) {
                s.append("<tr class=\"").append(e.getKey().findingClass().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                        .append(e.getKey()).append("</td><td>").append(esc(e.getKey().english())).append("<br>")
                        .append(esc(e.getKey().chinese())).append("</td><td>").append(e.getValue()).append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        s.append("<h2>Findings 发现问题</h2>\n");
        if (report.findings().isEmpty()) {
            s.append("<p>None. 无。</p>\n");
        } else {
            s.append("<table>\n<tr><th>code</th><th>class / severity</th><th>entry 记录</th><th>time 时间</th>")
                    .append("<th>what was found 问题</th><th>bags 试卷袋</th><th>people 人员</th></tr>\n");
            for (Finding f : report.findings()) {
                String klass = f.code().findingClass().name().toLowerCase(Locale.ROOT);
                s.append("<tr class=\"").append(klass).append("\"><td>").append(f.code()).append("</td><td>").append(klass).append(" / ")
                        .append(f.code().severity().name().toLowerCase(Locale.ROOT)).append("</td><td>").append(f.seq())
                        .append(f.entry() == null ? "" : "<br><code>" + f.entry().hex().substring(0, 16) + "…</code>").append("</td><td>")
                        .append(f.at() == null ? "" : esc(time.format(f.at()))).append("</td><td>").append(esc(f.message())).append("<br>")
                        .append(esc(f.chinese() != null ? f.chinese() : f.code().chinese()));
                if (f.expected() != null) {
                    s.append("<br>expected ").append(esc(f.expected())).append(", found ").append(esc(f.actual()));
                }
                s.append("</td><td>").append(esc(f.bags().stream().map(BagId::value).collect(Collectors.joining(", "))))
                        .append("</td><td>").append(esc(f.people().stream().map(PersonId::value).collect(Collectors.joining(", "))))
                        .append("</td></tr>\n");
            }
            s.append("</table>\n");
            if (report.findings().size() < report.total()) {
                s.append("<p>").append(report.total() - report.findings().size())
                        .append(" more findings not kept; the counts above are complete.</p>\n");
            }
        }
        exceptions(s, report, time);
        if (!report.untrustedCosignatures().isEmpty()) {
            s.append("<h2>Cosignatures not trusted 未采信的见证签名</h2>\n<p>Signature lines stored with checkpoints by keys that"
                    + " are not an enrolled discipline inspector's: listed, never trusted, not findings."
                    + " 非已登记纪检监察人员密钥的见证签名，仅列出，不予采信。</p>\n<table>\n<tr><th>checkpoint 检查点</th>"
                    + "<th>key 密钥</th><th>why 原因</th></tr>\n");
            for (org.custody.audit.CosignatureLine line : report.untrustedCosignatures()) {
                s.append("<tr><td>").append(line.size()).append("</td><td><code>").append(esc(line.name() + "+" + line.keyId()))
                        .append("</code></td><td>").append(esc(line.reason())).append("</td></tr>\n");
            }
            s.append("</table>\n");
        }
        if (report.head() != null) {
            s.append("<p>Keep this head to check later that the ledger only grew: <code>--expect-size ").append(report.entries())
                    .append(" --expect-head ").append(report.head().hex()).append("</code></p>\n");
        }
        s.append("</body>\n</html>\n");
        return s.toString();
    }

    /** What an incremental verification covered (nothing for a full one). */
    private static void coverage(StringBuilder s, AuditReport report, DateTimeFormatter time) {
        org.custody.audit.Coverage c = report.coverage();
        if (c == null) {
            return;
        }
        s.append("<h2>Coverage 核验范围</h2>\n<p>Incremental verification since the kept verification state of ").append(c.from())
                .append(" entries (state digest <code>").append(esc(c.stateDigest())).append("</code>). 增量核验：自已保存的核验状态（")
                .append(c.from()).append("条记录）起。</p>\n<table>\n<tr><th>checked 已核验</th><th>not checked again 未重新核验</th></tr>\n<tr><td>");
        c.checked().forEach(l -> s.append(esc(l.en())).append("<br>").append(esc(l.zh())).append("<br><br>"));
        s.append("</td><td>");
        c.notChecked().forEach(l -> s.append(esc(l.en())).append("<br>").append(esc(l.zh())).append("<br><br>"));
        for (org.custody.audit.Coverage.ReachBack r : c.reachesBack()) {
            s.append(esc("entry " + r.seq() + " revokes key " + r.key() + " from " + time.format(r.effective())
                    + ", before the kept state's last record: the earlier entries it signed since are not listed (R18); run a full"
                    + " verification to list them")).append("<br>").append(esc("第" + r.seq() + "条记录吊销的密钥生效时间早于已保存状态的最后记录："
                    + "此前该密钥签署的记录（R18）未列出，请做完整核验")).append("<br><br>");
        }
        s.append("</td></tr>\n</table>\n");
    }

    /** Exceptions recorded in the ledger (not findings: they change no count or exit status). */
    private static void exceptions(StringBuilder s, AuditReport report, DateTimeFormatter time) {
        s.append("<h2>Exceptions recorded 异常记录</h2>\n");
        if (report.exceptionCount() == 0) {
            s.append("<p>None. 无。</p>\n");
            return;
        }
        s.append("<p>").append(report.exceptionCount())
                .append(" recorded as they happened; these are records, not findings. 据实记录的异常，不计入发现问题。</p>\n");
        s.append("<table>\n<tr><th>entry 记录</th><th>time 时间</th><th>type 类型</th><th>bags 试卷袋</th>")
                .append("<th>people 人员</th><th>set withdrawn 撤换套题</th><th>note 说明</th></tr>\n");
        for (RecordedException e : report.exceptions()) {
            s.append("<tr><td>").append(e.seq()).append("<br><code>").append(e.entry().hex(), 0, 16).append("…</code></td><td>")
                    .append(esc(time.format(e.at()))).append("</td><td>").append(esc(e.title())).append("</td><td>")
                    .append(esc(e.bags().stream().map(BagId::value).collect(Collectors.joining(", ")))).append("</td><td>")
                    .append(esc(e.people().stream().map(PersonId::value).collect(Collectors.joining(", ")))).append("</td><td>")
                    .append(e.set() == null ? "" : esc(ReportWriter.setName(e.set()))).append("</td><td>")
                    .append(e.note() == null ? "" : esc(e.note()))
                    .append(e.refers() == null ? "" : "<br>corrects entry <code>" + e.refers().hex() + "</code>").append("</td></tr>\n");
        }
        s.append("</table>\n");
        if (report.exceptions().size() < report.exceptionCount()) {
            s.append("<p>").append(report.exceptionCount() - report.exceptions().size()).append(" more exceptions not kept.</p>\n");
        }
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
