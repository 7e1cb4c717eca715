package org.custody.ledger.gate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinTask;
import org.custody.audit.Finding;
import org.custody.crypto.BadSignatureException;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.record.SignedRecord;

/**
 * The signature arithmetic of a batch queued by {@code Ledger.appendAllAsync}, started when the batch is handed
 * over, so it runs while the batch before it is being stored and committed. Each signature is checked against the
 * public key its key id names among the keys the ledger has already read; that is pure arithmetic, independent of
 * order. Whether that key may sign the entry (enrolled, of a party, not revoked) is still decided in ledger order by
 * {@link EntryChecker}: a precomputed result is used only when the ordered checks resolve the signature to the very
 * same key, and every other signature is checked as in {@code Ledger.appendAll}.
 */
public final class Prechecks implements AutoCloseable {
    private final List<SignedRecord> records;
    /** Per record, per signature: the key its arithmetic was started with, or {@code null} if none was known. */
    private final PublicKey[][] keys;
    /** Per record: per signature, {@code null} if it verified (or was not checked), else why it did not. */
    private final List<ForkJoinTask<String[]>> tasks;

    private Prechecks(List<SignedRecord> records) {
        this.records = records;
        this.keys = new PublicKey[records.size()][];
        this.tasks = new java.util.ArrayList<>(java.util.Collections.nCopies(records.size(), null));
    }

    /** Starts checking every signature of {@code records} whose key is in {@code known}, one task per record. */
    public static Prechecks start(List<SignedRecord> records, Map<KeyId, PublicKey> known) {
        Prechecks p = new Prechecks(records);
        for (int r = 0; r < records.size(); r++) {
            SignedRecord record = records.get(r);
            List<Signature> signatures = record.signatures();
            PublicKey[] resolved = new PublicKey[signatures.size()];
            boolean any = false;
            for (int s = 0; s < resolved.length; s++) {
                resolved[s] = known.get(signatures.get(s).key());
                any |= resolved[s] != null;
            }
            p.keys[r] = resolved;
            if (any) {
                p.tasks.set(r, SignatureChecks.submit(() -> {
                    byte[] message = record.signedBytes();
                    String[] failures = new String[resolved.length];
                    for (int s = 0; s < resolved.length; s++) {
                        if (resolved[s] != null) {
                            try {
                                resolved[s].verify(message, signatures.get(s));
                            } catch (BadSignatureException e) {
                                failures[s] = e.getMessage();
                            }
                        }
                    }
                    return failures;
                }));
            }
        }
        return p;
    }

    /**
     * Whether every check of {@code pending}, the entry made of the record at {@code position} of the batch, was
     * started here with the key the ordered checks resolved it to (then {@link #results} answers for them).
     */
    public boolean covers(int position, SignedRecord record, EntryChecker.Pending pending) {
        if (position < 0 || position >= records.size() || records.get(position) != record || tasks.get(position) == null) {
            return false;
        }
        for (EntryChecker.Check check : pending.checks()) {
            if (slot(position, check) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The results of {@code pending}'s checks, as {@link EntryChecker.Pending#verify} gives them; waits if needed. */
    public Finding[] results(int position, EntryChecker.Pending pending) {
        String[] failures = tasks.get(position).join();
        List<EntryChecker.Check> checks = pending.checks();
        Finding[] out = new Finding[checks.size()];
        for (int i = 0; i < out.length; i++) {
            int s = slot(position, checks.get(i));
            if (s < 0) {
                throw new IllegalStateException("a signature check was not prechecked; call covers first");
            }
            out[i] = failures[s] == null ? null : pending.failed(i, failures[s]);
        }
        return out;
    }

    /** The index of {@code check}'s signature in the record if it was started with the same key, else -1. */
    private int slot(int position, EntryChecker.Check check) {
        List<Signature> signatures = records.get(position).signatures();
        for (int s = 0; s < signatures.size(); s++) {
            if (signatures.get(s).equals(check.signature())) {
                PublicKey key = keys[position][s];
                return key != null && key.equals(check.key()) ? s : -1;
            }
        }
        return -1;
    }

    /** Cancels the checks not yet run (the batch was refused, or is done). */
    @Override
    public void close() {
        for (ForkJoinTask<String[]> t : tasks) {
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
