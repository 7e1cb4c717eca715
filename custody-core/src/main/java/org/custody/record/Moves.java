package org.custody.record;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;

/** Validation shared by records that move bags. */
final class Moves {
    private Moves() {}

    static List<BagMove> require(String what, List<BagMove> moves, boolean allowEmpty) {
        if (moves == null || (!allowEmpty && moves.isEmpty()) || moves.size() > Record.MAX_BAGS) {
            throw new MalformedInputException(what + " names " + (allowEmpty ? "0" : "1") + "-" + Record.MAX_BAGS + " bags");
        }
        Set<BagId> seen = new HashSet<>();
        for (BagMove m : moves) {
            if (!seen.add(m.bag())) {
                throw new MalformedInputException("bag " + m.bag() + " appears twice in one " + what);
            }
        }
        return List.copyOf(moves);
    }
}
