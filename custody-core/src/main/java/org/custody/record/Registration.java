package org.custody.record;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.RecordId;

/** Registers bags and containers (from the room plan): each bag's chain starts at its registration. */
public record Registration(RecordId id, LedgerId ledger, Instant at, List<Bag> bags, List<PersonId> by)
        implements Record {
    public Registration {
        Record.requireCommon(id, ledger);
        Record.requireTime("registration time", at);
        if (bags == null || bags.isEmpty() || bags.size() > MAX_BAGS) {
            throw new MalformedInputException("a registration names 1-" + MAX_BAGS + " bags");
        }
        bags = List.copyOf(bags);
        Set<BagId> seen = new HashSet<>();
        for (Bag b : bags) {
            if (!seen.add(b.id())) {
                throw new MalformedInputException("bag " + b.id() + " is registered twice in one record");
            }
        }
        by = Record.requirePeople("registration signers", by, false);
    }

    @Override
    public String type() {
        return "register";
    }

    @Override
    public List<PersonId> parties() {
        return by;
    }
}
