package org.custody.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.model.Text;

/**
 * A handoff of one or more bags at one step: released by {@code from} (absent at printing, where custody
 * begins), received by {@code to}, in the presence of {@code witnesses}; all of them sign. Built with
 * {@link #builder(Step)}:
 *
 * <pre>{@code
 * Handoff h = Handoff.builder(Step.VAULT_OUT).from(keeper).to(escort).witness(inspector)
 *         .place(vault).at(now).bag(ledger.move(bag).count(30)).build();
 * }</pre>
 *
 * A ledger's {@code draft} fills in the ledger id; {@link Builder#build()} gives a random record id unless
 * one is set.
 */
public final class Handoff implements Record {
    private final RecordId id;
    private final LedgerId ledger;
    private final Instant at;
    private final Step step;
    private final PersonId from;
    private final PersonId to;
    private final List<PersonId> witnesses;
    private final Place place;
    private final List<BagMove> bags;
    private final String note;
    private final List<Attachment> attachments;

    Handoff(RecordId id, LedgerId ledger, Instant at, Step step, PersonId from, PersonId to,
            List<PersonId> witnesses, Place place, List<BagMove> bags, String note, List<Attachment> attachments) {
        Record.requireCommon(id, ledger);
        Record.requireTime("handoff time", at);
        if (step == null || to == null || place == null) {
            throw new MalformedInputException("a handoff needs a step, the receiving person and a place");
        }
        this.witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
        this.bags = Moves.require("handoff", bags, false);
        Text.optional("note", note, Text.MAX_NOTE);
        this.attachments = Attachment.require("a handoff", attachments);
        List<PersonId> all = new ArrayList<>();
        if (from != null) all.add(from);
        all.add(to);
        all.addAll(this.witnesses);
        Record.requirePeople("handoff", all, false);
        this.id = id;
        this.ledger = ledger;
        this.at = at;
        this.step = step;
        this.from = from;
        this.to = to;
        this.place = place;
        this.note = note;
    }

    /** A handoff at {@code step}, to be filled in. */
    public static Builder builder(Step step) {
        return new Builder(step);
    }

    /** A builder holding this handoff's values, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(step).id(id).ledger(ledger).at(at).from(from).to(to).place(place).note(note);
        b.witnesses.addAll(witnesses);
        b.bags.addAll(bags);
        b.attachments.addAll(attachments);
        return b;
    }

    /** This handoff with other bag moves (e.g. a sealed box's contents filled in). */
    public Handoff withBags(java.util.Collection<BagMove> moves) {
        Builder b = new Builder(step).id(id).ledger(ledger).at(at).from(from).to(to).place(place).note(note);
        b.witnesses.addAll(witnesses);
        b.attachments.addAll(attachments);
        return b.bags(moves).build();
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

    public Step step() {
        return step;
    }

    /** The releasing person, or {@code null} where custody begins (printing). */
    public PersonId from() {
        return from;
    }

    public PersonId to() {
        return to;
    }

    public List<PersonId> witnesses() {
        return witnesses;
    }

    public Place place() {
        return place;
    }

    public List<BagMove> bags() {
        return bags;
    }

    /** A free-text note, or {@code null}. */
    public String note() {
        return note;
    }

    /** The files taken at the scene that this handoff vouches for (digests, not the files); empty if none. */
    @Override
    public List<Attachment> attachments() {
        return attachments;
    }

    @Override
    public String type() {
        return "handoff";
    }

    /** Releasing person (if any), receiving person, then witnesses. */
    @Override
    public List<PersonId> parties() {
        List<PersonId> all = new ArrayList<>();
        if (from != null) all.add(from);
        all.add(to);
        all.addAll(witnesses);
        return List.copyOf(all);
    }

    @Override
    public List<BagMove> moves() {
        return bags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handoff h && id.equals(h.id) && ledger.equals(h.ledger) && at.equals(h.at) && step == h.step
                && Objects.equals(from, h.from) && to.equals(h.to) && witnesses.equals(h.witnesses) && place.equals(h.place)
                && bags.equals(h.bags) && Objects.equals(note, h.note) && attachments.equals(h.attachments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ledger, at, step, from, to, witnesses, place, bags, note, attachments);
    }

    @Override
    public String toString() {
        return "Handoff[id=" + id + ", ledger=" + ledger + ", at=" + at + ", step=" + step + ", from=" + from + ", to=" + to
                + ", witnesses=" + witnesses + ", place=" + place + ", bags=" + bags + ", note=" + note + ", attachments=" + attachments + "]";
    }

    /** Fills in a {@link Handoff}; {@link #build()} checks it as a whole and names what is missing or wrong. */
    public static final class Builder {
        private final Step step;
        private RecordId id;
        private LedgerId ledger;
        private Instant at;
        private PersonId from;
        private PersonId to;
        private final List<PersonId> witnesses = new ArrayList<>();
        private Place place;
        private final List<BagMove> bags = new ArrayList<>();
        private String note;
        private final List<Attachment> attachments = new ArrayList<>();

        private Builder(Step step) {
            this.step = step;
        }

        /** The record id; a random one if not set. */
        public Builder id(RecordId id) {
            this.id = id;
            return this;
        }

        /** The ledger the handoff is for; a ledger's draft sets it. */
        public Builder ledger(LedgerId ledger) {
            this.ledger = ledger;
            return this;
        }

        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        /** The releasing person; leave unset where custody begins (printing). */
        public Builder from(PersonId from) {
            this.from = from;
            return this;
        }

        public Builder to(PersonId to) {
            this.to = to;
            return this;
        }

        /** Adds a witness who is present and signs. */
        public Builder witness(PersonId witness) {
            witnesses.add(Objects.requireNonNull(witness, "witness"));
            return this;
        }

        /** Adds witnesses; {@code null} adds none. */
        public Builder witnesses(Collection<PersonId> more) {
            if (more != null) more.forEach(this::witness);
            return this;
        }

        public Builder place(Place place) {
            this.place = place;
            return this;
        }

        /** Adds a bag, linked to its previous entry ({@code ledger.move(bag)} fills in the link). */
        public Builder bag(BagMove move) {
            bags.add(Objects.requireNonNull(move, "bag move"));
            return this;
        }

        /** Adds bags; {@code null} adds none. */
        public Builder bags(Collection<BagMove> moves) {
            if (moves != null) moves.forEach(this::bag);
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
         * The handoff.
         *
         * @throws MalformedInputException naming what is missing or out of range
         */
        public Handoff build() {
            if (ledger == null) {
                throw new MalformedInputException("a handoff needs the ledger it is for: draft it from the ledger, or set ledger(...)");
            }
            return new Handoff(id == null ? RecordId.random() : id, ledger, at, step, from, to, witnesses, place, bags, note, attachments);
        }
    }
}
