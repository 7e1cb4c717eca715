package org.custody.ledger.gate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.PublicKey;
import org.custody.ledger.AppendRefusedException;
import org.custody.model.PersonId;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Revocation;
import org.custody.store.LedgerStore;
import org.custody.store.StoredKey;

/**
 * The gate's check of a key index row before it trusts it, once per key and open ledger: the entry the row says
 * enrolled the key must enrol exactly that key for that person, and the row's revocation must be the key's first
 * revocation in the ledger (or none, if there is none). One entry read and one pass over the revocations (an indexed
 * read of the few {@code revoke} entries), whatever the ledger's size: a forged public key or a revocation taken out
 * of the index refuses the append (I11), as the verification reports it.
 */
final class KeyRows {
    private KeyRows() {}

    /** @throws AppendRefusedException if {@code row} is not what the entries before {@code size} say of its key */
    static void check(LedgerStore store, StoredKey row, long size) {
        Entry enrolling = row.enrolledSeq() >= 0 && row.enrolledSeq() < size ? store.entry(row.enrolledSeq()).orElse(null) : null;
        PublicKey enrolled = null;
        PersonId person = null;
        if (enrolling != null && enrolling.record() instanceof Genesis g) {
            for (Founder f : g.founders()) {
                if (f.key().id().equals(row.id())) {
                    enrolled = f.key();
                    person = f.person().id();
                }
            }
        } else if (enrolling != null && enrolling.record() instanceof Enrolment e && e.key().id().equals(row.id())) {
            enrolled = e.key();
            person = e.person().id();
        }
        if (enrolled == null || enrolled.algorithm() != row.algorithm() || !Arrays.equals(enrolled.encoded(), row.encoded())
                || !row.person().equals(person)) {
            throw refused(row, "the key index row of " + row.id() + " is not what entry " + row.enrolledSeq() + " enrolled",
                    enrolled == null ? "no enrolment of this key" : person + " " + enrolled.base64(),
                    row.person() + " " + java.util.Base64.getEncoder().encodeToString(row.encoded()));
        }
        Revocation[] first = {null};
        long[] firstSeq = {-1};
        store.entries(0, Set.of("revoke"), (seq, hash, entry) -> {
            if (seq < size && first[0] == null && entry.record() instanceof Revocation r && r.key().equals(row.id())) {
                first[0] = r;
                firstSeq[0] = seq;
            }
        });
        boolean same = first[0] == null ? row.revokedFrom() == null
                : Objects.equals(first[0].effective(), row.revokedFrom()) && firstSeq[0] == row.revokedSeq();
        if (!same) {
            throw refused(row, "the key index row of " + row.id() + " does not carry the key's first revocation",
                    first[0] == null ? "not revoked" : "revoked from " + first[0].effective() + " by entry " + firstSeq[0],
                    row.revokedFrom() == null ? "not revoked" : "revoked from " + row.revokedFrom() + " by entry " + row.revokedSeq());
        }
    }

    private static AppendRefusedException refused(StoredKey row, String message, String expected, String actual) {
        return new AppendRefusedException(-1, List.of(Finding.of(FindingCode.I11, row.enrolledSeq(), null, message
                + "; run a verification").inChinese("密钥索引与登记记录不符").withPeople(List.of(row.person())).comparing(expected, actual)));
    }
}
