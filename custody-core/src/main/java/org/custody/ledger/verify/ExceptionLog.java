package org.custody.ledger.verify;

import java.util.ArrayList;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.RecordedException;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.IncidentType;
import org.custody.model.SealState;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;

/**
 * Collects the exceptions recorded in a ledger (异常记录) as the verifier reads it in order: every incident
 * of an exception type (not the routine vault inspection) and every handoff that records a seal found broken.
 * Keeps the first {@link AuditReport#MAX_EXCEPTIONS_KEPT}; the count covers them all.
 */
final class ExceptionLog {
    private final List<RecordedException> kept = new ArrayList<>();
    private final int cap;
    private long count;

    ExceptionLog() {
        this(AuditReport.MAX_EXCEPTIONS_KEPT);
    }

    ExceptionLog(int cap) {
        this.cap = cap;
    }

    /** Notes the entry at {@code seq} if its record is an exception. */
    void note(long seq, Hash hash, Record record) {
        RecordedException e = of(seq, hash, record);
        if (e != null) {
            count++;
            if (kept.size() < cap) {
                kept.add(e);
            }
        }
    }

    List<RecordedException> kept() {
        return kept;
    }

    long count() {
        return count;
    }

    /** The exception {@code record} records, or {@code null} if it records none. */
    static RecordedException of(long seq, Hash hash, Record record) {
        if (record instanceof Incident i) {
            if (i.incident() == IncidentType.VAULT_INSPECTION) {
                return null;
            }
            return new RecordedException(seq, hash, i.at(), RecordedException.INCIDENT, i.incident().wire(), i.incident().chinese(),
                    i.bags().stream().map(BagMove::bag).toList(), i.by(), i.set(), i.refers(), i.note());
        }
        if (record instanceof Handoff h) {
            List<BagId> broken = h.bags().stream().filter(m -> m.sealState() == SealState.BROKEN).map(BagMove::bag).toList();
            if (broken.isEmpty()) {
                return null;
            }
            return new RecordedException(seq, hash, h.at(), RecordedException.HANDOFF, h.step().wire(), h.step().chinese(),
                    broken, h.parties(), null, null, h.note());
        }
        return null;
    }
}
