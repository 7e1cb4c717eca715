package org.custody.ledger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.KeyId;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.LedgerId;

/** Ledger state in memory: grows with the number of keys and bags, never with the number of entries. */
final class MemoryState implements LedgerState {
    private final Map<KeyId, KeyState> keys = new HashMap<>();
    private final Map<BagId, BagHead> bags = new HashMap<>();
    private LedgerId ledger;
    private Suite suite;

    MemoryState(Suite suite) {
        this.suite = suite;
    }

    @Override
    public LedgerId ledger() {
        return ledger;
    }

    @Override
    public Suite suite() {
        return suite;
    }

    @Override
    public void initialise(LedgerId ledger, Suite suite) {
        this.ledger = ledger;
        this.suite = suite;
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

    int bagCount() {
        return bags.size();
    }
}
