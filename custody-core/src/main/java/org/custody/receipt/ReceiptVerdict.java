package org.custody.receipt;

import java.util.List;
import java.util.Objects;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.record.Entry;

/**
 * What checking one receipt against a ledger (or a bundle, or a bag's evidence) found.
 *
 * @param status   what the check found
 * @param receipt  the receipt as read
 * @param entry    the entry the ledger holds at the receipt's position, decoded, or {@code null} if it holds none or
 *                 it does not decode
 * @param coverage the first checkpoint that covers the entry, cosigned if any such is, or {@code null} if none does
 *                 yet; only for {@link Status#HELD}
 * @param findings the I09 findings for {@link Status#CONTRADICTED} (the entry removed or changed, or the receipt's
 *                 checkpoint contradicted), else empty
 * @param message  what was found, in English
 * @param chinese  the same in Chinese
 */
public record ReceiptVerdict(Status status, Receipt receipt, Entry entry, Coverage coverage, List<Finding> findings,
                             String message, String chinese) {
    /** What a receipt check found. */
    public enum Status {
        /** The ledger holds exactly the entry the receipt names, and agrees with the checkpoint it names, if any. */
        HELD,
        /** The ledger contradicts the receipt: the entry was removed or changed, or a forged receipt (I09). */
        CONTRADICTED,
        /** The receipt is of another ledger: check it against that ledger. */
        OTHER_LEDGER,
        /** What was given cannot show the entry (a bag's evidence without it): check it against the ledger or a bundle. */
        NOT_SHOWN
    }

    /**
     * A checkpoint that covers the receipt's entry.
     *
     * @param size      the checkpoint's size (number of entries)
     * @param root      its root
     * @param cosigners who cosigned it, as verified: person ids of enrolled discipline inspectors (ledger, bundle), or
     *                  the inspector key names the evidence was required to carry; empty if it is not cosigned
     */
    public record Coverage(long size, Hash root, List<String> cosigners) {
        public Coverage {
            Objects.requireNonNull(root, "root");
            cosigners = List.copyOf(cosigners);
        }

        /** Whether an inspector cosigned the checkpoint. */
        public boolean cosigned() {
            return !cosigners.isEmpty();
        }
    }

    public ReceiptVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(chinese, "chinese");
        findings = List.copyOf(findings);
        if (findings.isEmpty() == (status == Status.CONTRADICTED)) {
            throw new IllegalArgumentException("a receipt verdict has findings exactly when the ledger contradicts the receipt");
        }
        if (coverage != null && status != Status.HELD) {
            throw new IllegalArgumentException("only a receipt the ledger holds has a covering checkpoint");
        }
    }

    /** True if the ledger holds the receipt's entry as the receipt says. */
    public boolean held() {
        return status == Status.HELD;
    }
}
