package org.custody.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.model.Text;

/**
 * A handoff of one or more bags at one step: released by {@code from} (absent at printing, where custody
 * begins), received by {@code to}, in the presence of {@code witnesses}; all of them sign.
 */
public record Handoff(RecordId id, LedgerId ledger, Instant at, Step step, PersonId from, PersonId to,
                      List<PersonId> witnesses, Place place, List<BagMove> bags, String note) implements Record {
    public Handoff {
        Record.requireCommon(id, ledger);
        Record.requireTime("handoff time", at);
        if (step == null || to == null || place == null) {
            throw new MalformedInputException("a handoff needs a step, the receiving person and a place");
        }
        witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
        bags = Moves.require("handoff", bags, false);
        Text.optional("note", note, Text.MAX_NOTE);
        List<PersonId> all = new ArrayList<>();
        if (from != null) all.add(from);
        all.add(to);
        all.addAll(witnesses);
        Record.requirePeople("handoff", all, false);
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
}
