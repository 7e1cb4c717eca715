package org.custody.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.RefusedException;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Draft;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RegisteredPlace;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.SignedRecord;

/** A station's ledger in a local file, held open until {@link #close()}: the core's {@link Ledger} itself. */
final class LocalStationLedger implements StationLedger {
    private final Ledger ledger;
    private Map<BagId, Bag> registered = Map.of();
    private Set<String> sites = Set.of();
    private long registeredAt = -1;
    private Duration idle;
    private long idleAt = -1;

    LocalStationLedger(Ledger ledger) {
        this.ledger = ledger;
    }

    Ledger ledger() {
        return ledger;
    }

    @Override
    public LedgerId id() {
        return ledger.id();
    }

    @Override
    public Suite suite() {
        return ledger.suite();
    }

    @Override
    public Map<PersonId, Person> people() {
        return ledger.people();
    }

    @Override
    public List<EnrolledKey> keysOf(PersonId person) {
        return ledger.refreshDirectory().keysOf(person);
    }

    /**
     * Every bag the ledger registered, read again only when the ledger grew (another station or command appended): a
     * scan is checked without reading every registration each time.
     */
    private synchronized Map<BagId, Bag> registered() {
        long size = ledger.head().size();
        if (size != registeredAt) {
            Map<BagId, Bag> bags = new HashMap<>();
            Set<String> known = new HashSet<>();
            ledger.bags().forEach(b -> {
                bags.put(b.id(), b);
                if (b.site() != null) known.add(b.site());
            });
            registered = bags;
            sites = known;
            registeredAt = size;
        }
        return registered;
    }

    @Override
    public Optional<Found> bag(BagId bag) {
        Bag b = registered().get(bag);
        return b == null ? Optional.empty() : Optional.of(new Found(b, ledger.history(bag)));
    }

    @Override
    public List<BagId> contents(BagId container) {
        return ledger.contents(container);
    }

    @Override
    public List<RegisteredPlace> places() {
        return ledger.places();
    }

    @Override
    public boolean isSite(String id) {
        registered();
        return sites.contains(id);
    }

    /** Read again when the ledger grew: a policy change takes effect at once. */
    @Override
    public Duration stationIdle() {
        long size = ledger.head().size();
        if (size != idleAt) {
            idle = ledger.exams().stream().map(e -> ledger.policy(e).stationIdleAllowed()).min(Duration::compareTo)
                    .orElse(Policy.STATION_IDLE);
            idleAt = size;
        }
        return idle;
    }

    @Override
    public BagMove move(BagId bag, Hash seen) {
        return ledger.move(bag);
    }

    @Override
    public Pending draft(Handoff.Builder handoff) {
        Draft draft = ledger.draft(handoff);
        List<Finding> refusals = draft.refusals();
        List<Finding> warnings = draft.preflight().stream().filter(f -> !refusals.contains(f)).toList();
        return new Pending() {
            @Override
            public Handoff handoff() {
                return (Handoff) draft.record();
            }

            @Override
            public List<Finding> refusals() {
                return refusals;
            }

            @Override
            public List<Finding> warnings() {
                return warnings;
            }

            @Override
            public List<PersonId> missing() {
                return draft.missing();
            }

            @Override
            public void sign(PersonId person, SigningKey key) {
                try {
                    draft.sign(key);
                } catch (RefusedException e) {
                    throw new UserError(e.code() + " " + e.getMessage() + "; nothing was signed (未签名)");
                }
            }

            @Override
            public Appended append() {
                return draft.append();
            }
        };
    }

    @Override
    public Appended submit(SignedRecord signed) {
        return ledger.append(signed);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
