package org.custody.ledger.gate;

import java.util.Optional;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.LedgerId;

/**
 * The per-ledger state integrity checks need: the ledger's identity, enrolled keys and each bag's last
 * entry. Held in memory by the verifier, and in SQLite tables by the store's append gate.
 */
public abstract class LedgerState {
    private LedgerId ledger;
    private Suite suite;

    LedgerState(LedgerId ledger, Suite suite) {
        this.ledger = ledger;
        this.suite = suite;
    }

    /** The ledger id from the genesis entry, or {@code null} before it. */
    public final LedgerId ledger() {
        return ledger;
    }

    public final Suite suite() {
        return suite;
    }

    public final void initialise(LedgerId ledger, Suite suite) {
        this.ledger = ledger;
        this.suite = suite;
    }

    public abstract Optional<KeyState> key(KeyId id);

    public abstract void putKey(KeyState key);

    /** Hash and sequence number of the last entry that named {@code bag}. */
    public abstract Optional<BagHead> bagHead(BagId bag);

    public abstract void putBagHead(BagId bag, BagHead head);

    /**
     * A revocation that comes later in the ledger than the entry being checked, with an effective time that
     * may reach back before it (a key found compromised late). Only a verifier that read ahead knows these.
     */
    public Optional<LaterRevocation> laterRevocation(KeyId id) {
        return Optional.empty();
    }

    /** A revocation found by reading ahead: effective from {@code from}, recorded in entry {@code seq}. */
    public record LaterRevocation(java.time.Instant from, long seq) {
        /** Of two revocations of one key read ahead, the one that counts: the earliest effective time (ties: the first read). */
        public static LaterRevocation earliest(LaterRevocation a, LaterRevocation b) {
            return b.from().isBefore(a.from()) ? b : a;
        }
    }

    /** The last entry naming a bag. */
    public record BagHead(long seq, Hash hash) {}
}
