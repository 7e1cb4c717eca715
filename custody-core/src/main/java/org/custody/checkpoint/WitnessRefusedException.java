package org.custody.checkpoint;

import java.util.Locale;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.audit.RefusedException;

/**
 * A {@link Witness} refused to cosign a correctly signed checkpoint because it does not extend the last checkpoint the
 * witness cosigned for that log. {@link #reason()} says how; {@link #code()} is the finding it evidences: I09 for a
 * rollback or a divergence (split view), I08 for a consistency proof that does not prove the extension.
 */
public final class WitnessRefusedException extends RefusedException {
    /** Why the witness refused. */
    public enum Reason {
        /** The checkpoint is smaller than the one the witness cosigned: the log went back (I09). */
        ROLLBACK(FindingCode.I09),
        /** Same size, another root: two different logs under one name, a split view (I09). */
        DIVERGENCE(FindingCode.I09),
        /** The consistency proof is missing, for other sizes, or does not prove old root to new root (I08). */
        PROOF_MISMATCH(FindingCode.I08);

        private final FindingCode code;

        Reason(FindingCode code) {
            this.code = code;
        }

        public FindingCode code() {
            return code;
        }
    }

    private final Reason reason;
    private final String origin;
    private final long witnessSize;
    private final Hash witnessRoot;

    WitnessRefusedException(Reason reason, String origin, long witnessSize, Hash witnessRoot, String detail, Throwable cause) {
        super(reason.code(), reason.code() + " " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + detail
                + " (log " + origin + "; the witness last cosigned size " + witnessSize + ", root "
                + (witnessRoot == null ? "none" : witnessRoot.hex()) + ")", cause);
        this.reason = reason;
        this.origin = origin;
        this.witnessSize = witnessSize;
        this.witnessRoot = witnessRoot;
    }

    public Reason reason() {
        return reason;
    }


    /** The log's origin. */
    public String origin() {
        return origin;
    }

    /** The size the witness last cosigned: a consistency proof must start there. */
    public long witnessSize() {
        return witnessSize;
    }

    /** The root the witness last cosigned, or null if it cosigned nothing for this log yet. */
    public Hash witnessRoot() {
        return witnessRoot;
    }
}
