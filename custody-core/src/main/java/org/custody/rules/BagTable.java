package org.custody.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.custody.model.BagId;

/**
 * Every bag's rule state and what each container holds: all in memory (a verifier replaying the entries), or read
 * from a store's rows on demand and kept while there is room (the append gate of a ledger opened without a replay).
 * The rows group bags by their container, so a container's contents are one indexed read; bags whose container changed
 * since their rows were last handed to the store are laid over that read.
 */
final class BagTable {
    /** Most bags kept in memory between transactions when read from a store; past it, memory is emptied after a commit. */
    static final int MAX_CACHED = 200_000;

    private final RuleEngine.StateRows rows;
    private final Map<BagId, BagState> bags = new HashMap<>();
    /** What each container holds, for the containers read or changed so far (all of them in memory). */
    private final Map<BagId, Set<BagId>> contents = new HashMap<>();
    /** Every bag ever named as a container: only these can hold anything. Small (boxes, not bags), kept whole. */
    final Set<BagId> containers = new HashSet<>();
    /** Bags whose container changed since their rows were last handed out: the store's grouping does not know yet. */
    private final Set<BagId> regrouped = new HashSet<>();

    /** @param rows where the state is kept, or {@code null} if all of it is in memory */
    BagTable(RuleEngine.StateRows rows) {
        this.rows = rows;
    }

    /** The bag's state, or {@code null} if it was never registered. */
    BagState get(BagId id) {
        BagState bag = bags.get(id);
        if (bag == null && rows != null) {
            bag = rows.row(StateCodec.BAG, id.value()).map(value -> decoded("bag " + id, () -> StateCodec.bag(id, value))).orElse(null);
            if (bag != null) {
                bags.put(id, bag);
            }
        }
        return bag;
    }

    /** Takes in a bag read whole from kept rows into a table held in memory, with its place in its container. */
    void restore(BagId id, BagState bag) {
        bags.put(id, bag);
        if (bag.container != null) {
            holding(bag.container).add(id);
        }
    }

    void put(BagId id, BagState bag) {
        bags.put(id, bag);
    }

    /** Every bag (for what is overdue at the end of a verification; a stored table is read whole). */
    Collection<BagState> all() {
        if (rows == null) {
            return bags.values();
        }
        Map<BagId, BagState> every = new HashMap<>();
        rows.rows(StateCodec.BAG, (key, value) -> {
            BagId id = decoded("bag " + key, () -> BagId.of(key));
            every.put(id, decoded("bag " + key, () -> StateCodec.bag(id, value)));
        });
        every.putAll(bags);
        return every.values();
    }

    /**
     * What {@code container} holds now, sorted by id (so that the rules' findings come in the same order however the
     * state was built: replayed, or read from a store), empty if nothing.
     */
    java.util.List<BagId> inside(BagId container) {
        Set<BagId> inside = containers.contains(container) ? holding(container) : null;
        return inside == null ? java.util.List.of() : inside.stream().sorted(java.util.Comparator.comparing(BagId::value)).toList();
    }

    /** The live set of what {@code container} holds, read from the store the first time. */
    private Set<BagId> holding(BagId container) {
        Set<BagId> inside = contents.get(container);
        if (inside == null) {
            inside = new HashSet<>();
            if (rows != null) {
                for (String key : rows.keys(StateCodec.BAG, container.value())) {
                    inside.add(decoded("the contents of " + container, () -> BagId.of(key)));
                }
                for (BagId moved : regrouped) {
                    BagState bag = bags.get(moved);
                    if (bag != null && container.equals(bag.container)) {
                        inside.add(moved);
                    } else {
                        inside.remove(moved);
                    }
                }
            }
            contents.put(container, inside);
        }
        return inside;
    }

    /**
     * Moves {@code bag} from its container (if any) into {@code container} (or into none).
     *
     * @return whether {@code container} is named as a container for the first time
     */
    boolean pack(BagId id, BagState bag, BagId container) {
        if (java.util.Objects.equals(bag.container, container)) {
            return false;
        }
        if (bag.container != null) {
            holding(bag.container).remove(id);
        }
        bag.container = container;
        if (rows != null) {
            regrouped.add(id);
        }
        boolean first = false;
        if (container != null) {
            first = containers.add(container);
            holding(container).add(id);
        }
        return first;
    }

    /**
     * {@code decode}'s value; a stored row that does not decode is a damaged store, said so, never a bad input or a bug.
     *
     * @throws org.custody.failure.StoreException naming the row and asking for a verification
     */
    static <T> T decoded(String what, java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (org.custody.failure.StoreException e) {
            throw e; // the store could not be read: said so already
        } catch (RuntimeException e) {
            throw new org.custody.failure.StoreException("the custody rules' state kept for " + what + " is damaged ("
                    + e.getMessage() + "); run a verification (custody verify)", e);
        }
    }

    /** The store has been handed every changed row: its grouping is up to date once they are written. */
    void handedOut() {
        regrouped.clear();
    }

    /** After a commit: forget what was read if it has grown past {@link #MAX_CACHED}. */
    void trim() {
        if (rows != null && bags.size() > MAX_CACHED) {
            bags.clear();
            contents.clear();
        }
    }

    /** The bags in memory (every bag, without a store), for writing a whole state. */
    Collection<BagState> inMemory() {
        return new ArrayList<>(bags.values());
    }
}
