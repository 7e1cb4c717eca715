package org.custody.audit;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;

/**
 * The result of verifying a ledger: how many entries were read, the hash of the last one, every finding
 * (up to {@code findingsKept}; counts are always complete), and the exit status the CLI reports.
 *
 * @param ledger           the ledger's id, or {@code null} if its first entry could not be read
 * @param asOf             time up to which overdue returns and inspections were judged: the latest record time
 * @param head             hash of the last entry read, or {@code null} for an empty ledger
 * @param findings         findings in ledger order (at most the first {@value #MAX_KEPT})
 * @param counts           number of findings per code, including those not kept
 * @param exceptions       exceptions recorded in the ledger (异常记录), in ledger order (at most the first
 *                         {@value #MAX_EXCEPTIONS_KEPT}); not findings: they change no count, total or exit status
 * @param exceptionCount   number of exceptions recorded, including those not kept
 * @param untrustedCosignatures signature lines stored with checkpoints that are neither the ledger's checkpoint
 *                         key's nor an enrolled discipline inspector's: listed, not trusted, not findings
 * @param signaturesFrom   the first entry whose signatures were checked: 0, or the size of a checkpoint the inspector
 *                         kept after verifying it (the entries before it were checked to be the ones it covers, I09)
 * @param coverage         what an incremental verification covered, or {@code null} for a verification of every entry
 */
public record AuditReport(String ledger, java.time.Instant asOf, long entries, Hash head, List<Finding> findings,
                          Map<FindingCode, Long> counts, List<RecordedException> exceptions, long exceptionCount,
                          List<CosignatureLine> untrustedCosignatures, long signaturesFrom, Coverage coverage) {
    /** Most findings a report keeps in memory; counts cover them all. */
    public static final int MAX_KEPT = 100_000;
    /** Most recorded exceptions a report keeps in memory; {@link #exceptionCount()} covers them all. */
    public static final int MAX_EXCEPTIONS_KEPT = 10_000;

    /** Exit status: intact and no findings. */
    public static final int EXIT_CLEAN = 0;
    /** Exit status: rule findings only. */
    public static final int EXIT_RULE_FINDINGS = 1;
    /** Exit status: usage or input error (set by callers, never by a report). */
    public static final int EXIT_USAGE = 2;
    /** Exit status: integrity findings. */
    public static final int EXIT_INTEGRITY = 3;

    public AuditReport {
        findings = List.copyOf(findings);
        exceptions = exceptions == null ? List.of() : List.copyOf(exceptions);
        untrustedCosignatures = untrustedCosignatures == null ? List.of() : List.copyOf(untrustedCosignatures);
        if (exceptionCount < exceptions.size()) {
            throw new IllegalArgumentException("exceptionCount " + exceptionCount + " is less than the " + exceptions.size() + " exceptions kept");
        }
        EnumMap<FindingCode, Long> copy = new EnumMap<>(FindingCode.class);
        copy.putAll(counts);
        counts = java.util.Collections.unmodifiableMap(copy);
    }

    /** A report of a verification that read every entry (of which those from {@code signaturesFrom} had their signatures checked). */
    public AuditReport(String ledger, java.time.Instant asOf, long entries, Hash head, List<Finding> findings,
                       Map<FindingCode, Long> counts, List<RecordedException> exceptions, long exceptionCount,
                       List<CosignatureLine> untrustedCosignatures, long signaturesFrom) {
        this(ledger, asOf, entries, head, findings, counts, exceptions, exceptionCount, untrustedCosignatures, signaturesFrom, null);
    }

    /** A report of a verification that checked every entry's signatures. */
    public AuditReport(String ledger, java.time.Instant asOf, long entries, Hash head, List<Finding> findings,
                       Map<FindingCode, Long> counts, List<RecordedException> exceptions, long exceptionCount,
                       List<CosignatureLine> untrustedCosignatures) {
        this(ledger, asOf, entries, head, findings, counts, exceptions, exceptionCount, untrustedCosignatures, 0);
    }

    /** A report without untrusted cosignature lines (as before they were listed). */
    public AuditReport(String ledger, java.time.Instant asOf, long entries, Hash head, List<Finding> findings,
                       Map<FindingCode, Long> counts, List<RecordedException> exceptions, long exceptionCount) {
        this(ledger, asOf, entries, head, findings, counts, exceptions, exceptionCount, List.of());
    }

    /** A report without recorded exceptions (as before they were reported). */
    public AuditReport(String ledger, java.time.Instant asOf, long entries, Hash head, List<Finding> findings,
                       Map<FindingCode, Long> counts) {
        this(ledger, asOf, entries, head, findings, counts, List.of(), 0);
    }

    /**
     * This report with {@code more} findings made outside the ledger's own verification (evidence files checked against
     * it, {@code verify --attachments}): appended after the others, counted, kept up to {@value #MAX_KEPT}.
     */
    public AuditReport with(List<Finding> more) {
        List<Finding> all = new java.util.ArrayList<>(findings);
        EnumMap<FindingCode, Long> allCounts = new EnumMap<>(FindingCode.class);
        allCounts.putAll(counts);
        for (Finding f : more) {
            if (all.size() < MAX_KEPT) {
                all.add(f);
            }
            allCounts.merge(f.code(), 1L, Long::sum);
        }
        return new AuditReport(ledger, asOf, entries, head, all, allCounts, exceptions, exceptionCount, untrustedCosignatures,
                signaturesFrom, coverage);
    }

    /** True when no integrity finding was made: every entry can be trusted. */
    public boolean intact() {
        return counts.keySet().stream().noneMatch(c -> c.findingClass() == FindingClass.INTEGRITY);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** 0 intact and no findings, 1 rule findings only, 3 integrity findings. */
    public int exitStatus() {
        if (!intact()) {
            return EXIT_INTEGRITY;
        }
        return total() == 0 ? EXIT_CLEAN : EXIT_RULE_FINDINGS;
    }

    /** Findings kept with {@code code}. */
    public List<Finding> findings(FindingCode code) {
        return findings.stream().filter(f -> f.code() == code).toList();
    }

    /** A short plain-text summary. */
    public String summary() {
        String since = coverage != null ? " (incremental: entries " + coverage.from() + " to " + (coverage.to() - 1)
                + " checked in full, the " + coverage.from() + " before against the kept state)"
                : signaturesFrom == 0 ? "" : " (signatures checked from entry " + signaturesFrom + " on)";
        if (total() == 0) {
            return "intact: " + entries + " entries" + since + ", no findings" + (head == null ? "" : ", head " + head);
        }
        StringBuilder s = new StringBuilder(intact() ? "intact with rule findings: " : "NOT INTACT: ")
                .append(entries).append(" entries, ").append(total()).append(" findings (");
        String sep = "";
        for (Map.Entry<FindingCode, Long> e : counts.entrySet()) {
            s.append(sep).append(e.getKey()).append(" x").append(e.getValue());
            sep = ", ";
        }
        return s.append(')').append(since).toString();
    }
}
