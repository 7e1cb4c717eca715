package org.custody.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.model.IncidentType;
import org.custody.model.LedgerId;
import org.custody.model.PaperSet;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Text;

/**
 * An exception entry (异常记录) recorded as it happened: a broken seal, a miscount, a loss, a suspected
 * leak, a withdrawn set, an approval to open spare papers, a vault inspection, or a correction of an
 * earlier entry (which is never edited: {@code refers} names it). Built with {@link #builder(IncidentType)}:
 *
 * <pre>{@code
 * Incident i = Incident.builder(IncidentType.SEAL_BROKEN).by(officer).by(inspector).at(now)
 *         .bag(ledger.move(bag).seal("SN-1", SealState.BROKEN)).note("found torn").build();
 * }</pre>
 */
public final class Incident implements Record {
    private final RecordId id;
    private final LedgerId ledger;
    private final Instant at;
    private final IncidentType incident;
    private final List<BagMove> bags;
    private final List<PersonId> by;
    private final Place place;
    private final PaperSet set;
    private final Hash refers;
    private final String note;
    private final List<Attachment> attachments;

    Incident(RecordId id, LedgerId ledger, Instant at, IncidentType incident, List<BagMove> bags,
             List<PersonId> by, Place place, PaperSet set, Hash refers, String note, List<Attachment> attachments) {
        Record.requireCommon(id, ledger);
        Record.requireTime("incident time", at);
        if (incident == null) {
            throw new MalformedInputException("an incident needs its type");
        }
        this.bags = Moves.require("incident", bags == null ? List.of() : bags, true);
        this.by = Record.requirePeople("incident signers", by, false);
        Text.require("incident note", note, Text.MAX_NOTE);
        this.attachments = Attachment.require("an incident", attachments);
        if (incident == IncidentType.SET_WITHDRAWN && set == null) {
            throw new MalformedInputException("a set_withdrawn incident must name the paper set withdrawn");
        }
        if (incident == IncidentType.CORRECTION && refers == null) {
            throw new MalformedInputException("a correction must name the entry it corrects (refers)");
        }
        this.id = id;
        this.ledger = ledger;
        this.at = at;
        this.incident = incident;
        this.place = place;
        this.set = set;
        this.refers = refers;
        this.note = note;
    }

    /** An incident of {@code type}, to be filled in. */
    public static Builder builder(IncidentType type) {
        return new Builder(type);
    }

    /** A builder holding this incident's values, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(incident).id(id).ledger(ledger).at(at).place(place).set(set).refers(refers).note(note);
        b.bags.addAll(bags);
        b.by.addAll(by);
        b.attachments.addAll(attachments);
        return b;
    }

    @Override
    public RecordId id() {
        return id;
    }

    @Override
    public LedgerId ledger() {
        return ledger;
    }

    @Override
    public Instant at() {
        return at;
    }

    public IncidentType incident() {
        return incident;
    }

    public List<BagMove> bags() {
        return bags;
    }

    public List<PersonId> by() {
        return by;
    }

    /** Where it happened, or {@code null}. */
    public Place place() {
        return place;
    }

    /** The paper set withdrawn, or {@code null}. */
    public PaperSet set() {
        return set;
    }

    /** The entry a correction corrects, or {@code null}. */
    public Hash refers() {
        return refers;
    }

    public String note() {
        return note;
    }

    /** The files taken at the scene that this incident vouches for (digests, not the files); empty if none. */
    @Override
    public List<Attachment> attachments() {
        return attachments;
    }

    @Override
    public String type() {
        return "incident";
    }

    @Override
    public List<PersonId> parties() {
        return by;
    }

    @Override
    public List<BagMove> moves() {
        return bags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Incident i && id.equals(i.id) && ledger.equals(i.ledger) && at.equals(i.at)
                && incident == i.incident && bags.equals(i.bags) && by.equals(i.by) && Objects.equals(place, i.place)
                && Objects.equals(set, i.set) && Objects.equals(refers, i.refers) && note.equals(i.note)
                && attachments.equals(i.attachments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ledger, at, incident, bags, by, place, set, refers, note, attachments);
    }

    @Override
    public String toString() {
        return "Incident[id=" + id + ", ledger=" + ledger + ", at=" + at + ", incident=" + incident + ", bags=" + bags
                + ", by=" + by + ", place=" + place + ", set=" + set + ", refers=" + refers + ", note=" + note + ", attachments=" + attachments + "]";
    }

    /** Fills in an {@link Incident}; {@link #build()} checks it as a whole and names what is missing or wrong. */
    public static final class Builder {
        private final IncidentType incident;
        private RecordId id;
        private LedgerId ledger;
        private Instant at;
        private final List<BagMove> bags = new ArrayList<>();
        private final List<PersonId> by = new ArrayList<>();
        private Place place;
        private PaperSet set;
        private Hash refers;
        private String note;
        private final List<Attachment> attachments = new ArrayList<>();

        private Builder(IncidentType incident) {
            this.incident = incident;
        }

        /** The record id; a random one if not set. */
        public Builder id(RecordId id) {
            this.id = id;
            return this;
        }

        /** The ledger the incident is for; a ledger's draft sets it. */
        public Builder ledger(LedgerId ledger) {
            this.ledger = ledger;
            return this;
        }

        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        /** Adds a bag the incident concerns, linked to its previous entry. */
        public Builder bag(BagMove move) {
            bags.add(Objects.requireNonNull(move, "bag move"));
            return this;
        }

        /** Adds bags; {@code null} adds none. */
        public Builder bags(Collection<BagMove> moves) {
            if (moves != null) moves.forEach(this::bag);
            return this;
        }

        /** Adds a person who records the incident and signs. */
        public Builder by(PersonId person) {
            by.add(Objects.requireNonNull(person, "person"));
            return this;
        }

        /** Adds signers; {@code null} adds none. */
        public Builder by(Collection<PersonId> people) {
            if (people != null) people.forEach(this::by);
            return this;
        }

        public Builder place(Place place) {
            this.place = place;
            return this;
        }

        /** The paper set withdrawn (set_withdrawn). */
        public Builder set(PaperSet set) {
            this.set = set;
            return this;
        }

        /** The entry a correction corrects. */
        public Builder refers(Hash entry) {
            this.refers = entry;
            return this;
        }

        public Builder note(String note) {
            this.note = note;
            return this;
        }

        /** Adds a file taken at the scene, by its digest, size and media type. */
        public Builder attach(Attachment attachment) {
            attachments.add(Objects.requireNonNull(attachment, "attachment"));
            return this;
        }

        /** Adds attachments; {@code null} adds none. */
        public Builder attachments(Collection<Attachment> more) {
            if (more != null) more.forEach(this::attach);
            return this;
        }

        /**
         * The incident.
         *
         * @throws MalformedInputException naming what is missing or out of range
         */
        public Incident build() {
            if (ledger == null) {
                throw new MalformedInputException("an incident needs the ledger it is for: draft it from the ledger, or set ledger(...)");
            }
            return new Incident(id == null ? RecordId.random() : id, ledger, at, incident, bags, by, place, set, refers, note, attachments);
        }
    }
}
