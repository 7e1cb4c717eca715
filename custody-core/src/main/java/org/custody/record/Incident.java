package org.custody.record;

import java.time.Instant;
import java.util.List;
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
 * earlier entry (which is never edited: {@code refers} names it).
 */
public record Incident(RecordId id, LedgerId ledger, Instant at, IncidentType incident, List<BagMove> bags,
                       List<PersonId> by, Place place, PaperSet set, Hash refers, String note) implements Record {
    public Incident {
        Record.requireCommon(id, ledger);
        Record.requireTime("incident time", at);
        if (incident == null) {
            throw new MalformedInputException("an incident needs its type");
        }
        bags = Moves.require("incident", bags == null ? List.of() : bags, true);
        by = Record.requirePeople("incident signers", by, false);
        Text.require("incident note", note, Text.MAX_NOTE);
        if (incident == org.custody.model.IncidentType.SET_WITHDRAWN && set == null) {
            throw new MalformedInputException("a set_withdrawn incident must name the paper set withdrawn");
        }
        if (incident == org.custody.model.IncidentType.CORRECTION && refers == null) {
            throw new MalformedInputException("a correction must name the entry it corrects (refers)");
        }
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
}
