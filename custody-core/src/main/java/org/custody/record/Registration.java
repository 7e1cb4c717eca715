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
import org.custody.model.RegisteredPlace;

/**
 * Registers bags and containers (from the room plan), each bag's chain starting at its registration, and places: the
 * vaults and exam rooms records then name (R24). A registration names at least one bag or place.
 */
public record Registration(RecordId id, LedgerId ledger, Instant at, List<Bag> bags, List<PersonId> by,
                           List<RegisteredPlace> places) implements Record {
    /** Most places one registration names. */
    public static final int MAX_PLACES = 1000;

    public Registration {
        Record.requireCommon(id, ledger);
        Record.requireTime("registration time", at);
        bags = bags == null ? List.of() : List.copyOf(bags);
        places = places == null ? List.of() : List.copyOf(places);
        if (bags.size() > MAX_BAGS || places.size() > MAX_PLACES || bags.isEmpty() && places.isEmpty()) {
            throw new MalformedInputException("a registration names 1-" + MAX_BAGS + " bags, 1-" + MAX_PLACES
                    + " places, or both");
        }
        Set<BagId> seen = new HashSet<>();
        for (Bag b : bags) {
            if (!seen.add(b.id())) {
                throw new MalformedInputException("bag " + b.id() + " is registered twice in one record");
            }
        }
        Set<String> ids = new HashSet<>();
        for (RegisteredPlace p : places) {
            if (!ids.add(p.id())) {
                throw new MalformedInputException("place " + p.id() + " is registered twice in one record");
            }
        }
        by = Record.requirePeople("registration signers", by, false);
    }

    /** A registration of bags alone. */
    public Registration(RecordId id, LedgerId ledger, Instant at, List<Bag> bags, List<PersonId> by) {
        this(id, ledger, at, bags, by, List.of());
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
