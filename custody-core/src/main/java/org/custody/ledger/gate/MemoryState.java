package org.custody.ledger.gate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.crypto.Suite;
import org.custody.model.BagId;

/** Ledger state in memory: grows with the number of keys and bags, never with the number of entries. */
public final class MemoryState extends LedgerState {
    private final Map<KeyId, KeyState> keys = new HashMap<>();
    private final Map<BagId, BagHead> bags = new HashMap<>();
    private final Map<KeyId, LaterRevocation> revocations = new HashMap<>();

    public MemoryState(Suite suite) {
        super(null, suite);
    }

    @Override
    public Optional<KeyState> key(KeyId id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public void putKey(KeyState key) {
        keys.put(key.key().id(), key);
    }

    @Override
    public Optional<BagHead> bagHead(BagId bag) {
        return Optional.ofNullable(bags.get(bag));
    }

    @Override
    public void putBagHead(BagId bag, BagHead head) {
        bags.put(bag, head);
    }

    /** Notes a revocation read ahead of the entries; the earliest effective time per key wins. */
    public void revokeAhead(KeyId key, LaterRevocation revocation) {
        revocations.merge(key, revocation, LaterRevocation::earliest);
    }

    @Override
    public Optional<LaterRevocation> laterRevocation(KeyId id) {
        return Optional.ofNullable(revocations.get(id));
    }

    int bagCount() {
        return bags.size();
    }

    /** Every enrolled key as the entries leave it (a read-only view), for comparing with a stored index. */
    public java.util.Collection<KeyState> keys() {
        return java.util.Collections.unmodifiableCollection(keys.values());
    }

    /** Every bag's last entry (a read-only view), for comparing with a stored index. */
    public Map<BagId, BagHead> bagHeads() {
        return java.util.Collections.unmodifiableMap(bags);
    }
}
