package org.custody.record;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.RecordId;

/**
 * What people sign: one event in a ledger. Every record names its ledger, a unique id and the time it
 * happened; {@link #parties()} are the people who must all sign it.
 */
public sealed interface Record permits Genesis, Enrolment, Revocation, Registration, Handoff, Incident, PolicyRecord,
        ScheduleRecord {
    /** Most bags one record may name. */
    int MAX_BAGS = 1000;
    /** Most people one record may name. */
    int MAX_PEOPLE = 16;

    RecordId id();

    LedgerId ledger();

    Instant at();

    /** The record type as written in the {@code type} field. */
    String type();

    /** The people who must each sign this record, in the order the record names them. */
    List<PersonId> parties();

    /** The bags whose chains this record extends (empty for records that move no bag). */
    default List<BagMove> moves() {
        return List.of();
    }

    /** The files taken at the scene this record vouches for by digest (handoffs and incidents); empty if none. */
    default List<Attachment> attachments() {
        return List.of();
    }

    /** The canonical signed bytes: {@code "custody/record/v1\n"} followed by the record's RFC 8785 JSON. */
    default byte[] signedBytes() {
        return RecordCodec.signedBytes(this);
    }

    static Instant requireTime(String what, Instant at) {
        if (at == null) {
            throw new MalformedInputException(what + " is missing");
        }
        if (at.getNano() % 1_000_000 != 0) {
            throw new MalformedInputException(what + " has sub-millisecond precision; truncate it to milliseconds");
        }
        if (at.getEpochSecond() < 0 || at.isAfter(RecordCodec.LATEST_TIME)) {
            throw new MalformedInputException(what + " " + at + " is outside 1970-9999");
        }
        return at;
    }

    static List<PersonId> requirePeople(String what, List<PersonId> people, boolean allowEmpty) {
        if (people == null || (!allowEmpty && people.isEmpty())) {
            throw new MalformedInputException(what + " must name at least one person");
        }
        if (people.size() > MAX_PEOPLE) {
            throw new MalformedInputException(what + " names " + people.size() + " people; at most " + MAX_PEOPLE + " are allowed");
        }
        if (Set.copyOf(people).size() != people.size()) {
            throw new MalformedInputException(what + " names the same person twice");
        }
        return List.copyOf(people);
    }

    static void requireCommon(RecordId id, LedgerId ledger) {
        if (id == null || ledger == null) {
            throw new MalformedInputException("a record needs an id and a ledger id");
        }
    }
}
