package org.custody.ledger.gate;

import java.util.ArrayList;
import java.util.List;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.record.BagMove;
import org.custody.record.Record;
import org.custody.record.Registration;

/** The bags a record names: those it registers and those it moves. */
public final class Bags {
    private Bags() {}

    public static List<BagId> named(Record record) {
        List<BagId> out = new ArrayList<>();
        if (record instanceof Registration r) {
            r.bags().stream().map(Bag::id).forEach(out::add);
        }
        record.moves().stream().map(BagMove::bag).forEach(out::add);
        return out;
    }
}
