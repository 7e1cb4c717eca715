package org.custody.store;

import java.util.Set;
import java.util.TreeSet;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;

/**
 * The terms a store indexes an entry under (docs/formats.md §7.3), so that a person's entries, the entries of a seal
 * number or of a place are read without reading the ledger: {@code person:ID} for each person who must sign the record,
 * {@code seal:NUMBER} for each seal number a handoff or incident records, {@code place:ID} for its place.
 * A pure function of the record: the store writes these rows beside the entry and a verification derives them again.
 */
public final class EntryTerms {
    public static final String PERSON = "person:";
    public static final String SEAL = "seal:";
    public static final String PLACE = "place:";

    private EntryTerms() {}

    /** The terms of {@code record}, sorted. */
    public static Set<String> of(Record record) {
        Set<String> terms = new TreeSet<>();
        for (PersonId person : record.parties()) {
            terms.add(PERSON + person.value());
        }
        java.util.List<BagMove> moves = java.util.List.of();
        org.custody.model.Place place = null;
        if (record instanceof Handoff h) {
            moves = h.bags();
            place = h.place();
        } else if (record instanceof Incident i) {
            moves = i.bags();
            place = i.place();
        }
        for (BagMove move : moves) {
            if (move.seal() != null) {
                terms.add(SEAL + move.seal());
            }
        }
        if (place != null) {
            terms.add(PLACE + place.id());
        }
        return terms;
    }
}
