package org.custody.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.KeyDirectory;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;

/**
 * What the server looks up between requests, through the public API: registered bags (for their site), read one at a
 * time from the custody rules' kept state ({@link Ledger#position}, one row, however long the ledger) and remembered,
 * since a registered bag never changes; a bag another process registered is found the same way. People and their keys
 * are the ledger's own {@link KeyDirectory}. It only guides the server's early answers; the ledger's append gate checks
 * everything again.
 */
final class LedgerIndex {
    private final Ledger ledger;
    private final Map<BagId, Bag> bags = new ConcurrentHashMap<>();

    LedgerIndex(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The registered bag, if an entry registered it. */
    Optional<Bag> bag(BagId id) {
        Bag known = bags.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Bag> read = ledger.position(id).map(org.custody.rules.BagPosition::bag);
        read.ifPresent(b -> bags.put(id, b));
        return read;
    }

    /** Everyone enrolled, in enrolment order, with their keys: the ledger's key directory. */
    List<Map.Entry<Person, List<EnrolledKey>>> people() {
        KeyDirectory directory = ledger.directory();
        List<Map.Entry<Person, List<EnrolledKey>>> out = new ArrayList<>();
        for (Person p : directory.people().values()) {
            out.add(Map.entry(p, directory.keysOf(p.id())));
        }
        return out;
    }

    Optional<Person> person(PersonId id) {
        return ledger.directory().person(id);
    }
}
