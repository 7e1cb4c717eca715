package org.custody.server;

import io.javalin.http.HttpStatus;
import java.util.List;
import org.custody.audit.Finding;

/**
 * A request that cannot be served, answered as an RFC 9457 problem: its status, a short title, a detail
 * that says what was wrong and where, and, where there is one, the rule or integrity code with the
 * findings behind it.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String title;
    private final String code;
    private final transient List<Finding> findings;
    private final String chinese;
    private final transient java.util.Map<String, Object> extra;

    ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, null, List.of());
    }

    ApiException(HttpStatus status, String title, String detail, String code, List<Finding> findings) {
        this(status, title, detail, code, findings, null);
    }

    private ApiException(HttpStatus status, String title, String detail, String code, List<Finding> findings, String chinese) {
        this(status, title, detail, code, findings, chinese, java.util.Map.of());
    }

    private ApiException(HttpStatus status, String title, String detail, String code, List<Finding> findings, String chinese,
                         java.util.Map<String, Object> extra) {
        super(detail);
        this.extra = extra;
        this.status = status;
        this.title = title;
        this.code = code;
        this.findings = List.copyOf(findings);
        this.chinese = chinese;
    }

    /** This problem with its detail also in Chinese (the problem's {@code zh.detail}). */
    ApiException zh(String detail) {
        return new ApiException(status, title, getMessage(), code, findings, detail, extra);
    }

    /** This problem with one more member ({@code name}: a JSON-able value), e.g. the ledger ids a caller may use. */
    ApiException with(String name, Object value) {
        java.util.Map<String, Object> more = new java.util.LinkedHashMap<>(extra);
        more.put(name, value);
        return new ApiException(status, title, getMessage(), code, findings, chinese, java.util.Collections.unmodifiableMap(more));
    }

    /** The problem's members beyond the standard ones. */
    java.util.Map<String, Object> extra() {
        return extra;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad request", detail);
    }

    /** A 400 with its detail in English and Chinese. */
    static ApiException badRequest(String detail, String chinese) {
        return badRequest(detail).zh(chinese);
    }

    static ApiException notFound(String title, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, title, detail);
    }

    /**
     * The ledger's refusal as a problem: 409 when the record lost a race or reuses an id (I07: the bag
     * moved on since the record was prepared; I06), else 422; the code is the first finding's.
     */
    static ApiException refused(org.custody.ledger.AppendRefusedException e) {
        return refused(e.getMessage(), e.code(), e.findings());
    }

    /**
     * A refusal as a problem: 409 when the record lost a race or reuses an id (I07: the bag moved on since
     * the record was prepared; I06), else 422; the code is the first finding's.
     */
    static ApiException refused(String detail, org.custody.audit.FindingCode code, List<Finding> findings) {
        boolean conflict = code == org.custody.audit.FindingCode.I07 || code == org.custody.audit.FindingCode.I06;
        String title = code.findingClass() == org.custody.audit.FindingClass.RULE
                ? "refused by rule " + code.name() : "refused: integrity check " + code.name() + " failed";
        return new ApiException(conflict ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT, title, detail,
                code.name(), findings);
    }

    /**
     * For a record refused because a bag it moves has moved on (I07): this problem saying which entry recorded that bag
     * meanwhile, the answer when two handoffs of one bag race (on one server instance or two) and this one lost.
     * Any other problem is returned as it is.
     */
    ApiException meanwhile(org.custody.ledger.Ledger ledger, org.custody.record.Record record) {
        if (!org.custody.audit.FindingCode.I07.name().equals(code)) {
            return this;
        }
        for (org.custody.record.BagMove m : record.moves()) {
            java.util.Optional<org.custody.crypto.Hash> head = ledger.bagHead(m.bag());
            if (head.isPresent() && !head.get().equals(m.prev())) {
                List<org.custody.record.Entry> history = ledger.history(m.bag());
                long by = history.isEmpty() ? -1 : history.get(history.size() - 1).seq();
                return new ApiException(status, title, "bag " + m.bag() + " was recorded meanwhile by entry " + by
                        + " (another handoff of it was stored first), so this record was not stored: draft it again from where"
                        + " the bag is now. " + getMessage(), code, findings, "试卷袋 " + m.bag() + " 已由第 " + by
                        + " 条记录交接（另一交接先被记录），本记录未存储：请按试卷袋当前状态重新起草", extra);
            }
        }
        return this;
    }

    static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
    }

    HttpStatus status() {
        return status;
    }

    String title() {
        return title;
    }

    /** The finding code (I01-I12, R01-R25) the problem carries, or {@code null}. */
    String code() {
        return code;
    }

    List<Finding> findings() {
        return findings;
    }

    /** The detail in Chinese, or {@code null} when only the status's Chinese sentence is known. */
    String chinese() {
        return chinese;
    }
}
