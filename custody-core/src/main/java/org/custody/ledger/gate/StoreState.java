package org.custody.ledger.gate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.store.EntryRef;
import org.custody.store.LedgerStore;
import org.custody.store.StoredKey;

/**
 * The append gate's view of the ledger state, read from and written to the store's indexes inside one write
 * transaction: one instance per transaction. Bag heads are written once per bag, at {@link #flush}, and read through
 * {@code knownBags}, heads the gate already read or wrote, valid while nobody else has appended (the gate clears it
 * when the head is not the one it left).
 */
final class StoreState extends LedgerState {
    /** Most parsed keys a ledger keeps (a roster has far fewer; past this, keys are parsed on every read). */
    static final int MAX_PARSED_KEYS = 100_000;

    private final LedgerStore.Transaction tx;
    /** The store, for checking a key row against the entries before trusting it ({@link KeyRows}). */
    private final LedgerStore store;
    /** The entries before the transaction's first new one: a key row is checked against those. */
    private final long size;
    /** Keys whose rows the gate checked, kept by the gate across transactions (cleared when one fails). */
    private final java.util.Set<KeyId> checkedKeys;
    private final Map<KeyId, PublicKey> parsedKeys;
    private final Map<BagId, BagHead> knownBags;
    /** Bag heads this transaction moved, written at {@link #flush}. */
    private final Map<BagId, BagHead> movedBags = new LinkedHashMap<>();
    /** Keys read or written in this transaction, which holds the write lock: nobody else changes them meanwhile. */
    private final Map<KeyId, Optional<KeyState>> keysRead = new HashMap<>();

    /**
     * @param parsedKeys public keys already parsed from the key index, kept by the gate across transactions: parsing
     *                   an Ed25519 key decompresses a curve point, which is not free
     * @param knownBags  bag heads as committed, kept by the gate across transactions; read through, and not changed
     *                   here (see {@link #movedBags()})
     * @param checkedKeys keys whose index rows were checked against the entries ({@link KeyRows}), kept by the gate
     */
    StoreState(LedgerStore.Transaction tx, LedgerId ledger, Suite suite, Map<KeyId, PublicKey> parsedKeys,
               Map<BagId, BagHead> knownBags, LedgerStore store, long size, java.util.Set<KeyId> checkedKeys) {
        super(ledger, suite);
        this.tx = tx;
        this.store = store;
        this.size = size;
        this.checkedKeys = checkedKeys;
        this.parsedKeys = parsedKeys;
        this.knownBags = knownBags;
    }

    @Override
    public Optional<KeyState> key(KeyId id) {
        Optional<KeyState> known = keysRead.get(id);
        if (known == null) {
            known = tx.key(id).map(k -> {
                if (checkedKeys.add(id)) {
                    try {
                        KeyRows.check(store, k, size);
                    } catch (RuntimeException e) {
                        checkedKeys.remove(id);
                        throw e;
                    }
                }
                return new KeyState(k.person(), publicKey(k), k.enrolledSeq(), k.revokedFrom(), k.revokedSeq());
            });
            keysRead.put(id, known);
        }
        return known;
    }

    /** The stored key, parsed once: a cached key is used only if it is exactly the stored algorithm and bytes. */
    private PublicKey publicKey(StoredKey stored) {
        PublicKey cached = parsedKeys.get(stored.id());
        byte[] encoded = stored.encoded();
        if (cached != null && cached.algorithm() == stored.algorithm() && Arrays.equals(cached.encoded(), encoded)) {
            return cached;
        }
        PublicKey parsed = PublicKey.of(stored.algorithm(), encoded);
        if (parsedKeys.size() < MAX_PARSED_KEYS) {
            parsedKeys.put(stored.id(), parsed);
        }
        return parsed;
    }

    @Override
    public void putKey(KeyState key) {
        tx.putKey(new StoredKey(key.key().id(), key.person(), key.key().algorithm(), key.key().encoded(), key.enrolledSeq(),
                key.revokedFrom(), key.revokedFrom() == null ? -1 : key.revokedSeq()));
        keysRead.put(key.key().id(), Optional.of(key));
    }

    @Override
    public Optional<BagHead> bagHead(BagId bag) {
        BagHead head = movedBags.get(bag);
        if (head == null) {
            head = knownBags.get(bag);
        }
        if (head == null) {
            head = tx.bagHead(bag).map(r -> new BagHead(r.seq(), r.hash())).orElse(null);
            if (head != null) {
                knownBags.put(bag, head);
            }
        }
        return Optional.ofNullable(head);
    }

    @Override
    public void putBagHead(BagId bag, BagHead head) {
        movedBags.put(bag, head);
    }

    /** Hands the bag heads this transaction moved to the store, which writes them with the transaction's other rows. */
    void flush() {
        if (movedBags.isEmpty()) {
            return;
        }
        Map<BagId, EntryRef> heads = new LinkedHashMap<>();
        movedBags.forEach((bag, head) -> heads.put(bag, new EntryRef(head.seq(), head.hash())));
        tx.putBagHeads(heads);
    }

    /** The bag heads this transaction moved, for the gate to remember once it has committed. */
    Map<BagId, BagHead> movedBags() {
        return movedBags;
    }
}
