package org.custody.ledger;

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
abstract class LedgerState {
    private LedgerId ledger;
    private Suite suite;

    LedgerState(LedgerId ledger, Suite suite) {
        this.ledger = ledger;
        this.suite = suite;
    }

    /** The ledger id from the genesis entry, or {@code null} before it. */
    final LedgerId ledger() {
        return ledger;
    }

    final Suite suite() {
        return suite;
    }

    final void initialise(LedgerId ledger, Suite suite) {
        this.ledger = ledger;
        this.suite = suite;
    }

    abstract Optional<KeyState> key(KeyId id);

    abstract void putKey(KeyState key);

    /** Hash and sequence number of the last entry that named {@code bag}. */
    abstract Optional<BagHead> bagHead(BagId bag);

    abstract void putBagHead(BagId bag, BagHead head);

    /**
     * A revocation that comes later in the ledger than the entry being checked, with an effective time that
     * may reach back before it (a key found compromised late). Only a verifier that read ahead knows these.
     */
    Optional<LaterRevocation> laterRevocation(KeyId id) {
        return Optional.empty();
    }

    /** A revocation found by reading ahead: effective from {@code from}, recorded in entry {@code seq}. */
    record LaterRevocation(java.time.Instant from, long seq) {}

    /** The last entry naming a bag. */
    record BagHead(long seq, Hash hash) {}
}
