package org.custody.model;

import java.util.Optional;
import java.util.regex.Pattern;
import org.custody.failure.MalformedInputException;

/**
 * A bag or container as registered: what it is and which exam, session, subject, room and set it belongs to.
 * Bags of papers carry a copy count and a secrecy level; containers carry neither.
 *
 * @param set          paper set letter (套别) A, B or C; absent for containers and marking references
 * @param invigilators how many invigilators the bag's room needs at opening (2 in a standard room, 3 in a
 *                     non-standard one: domain.md, 004 Art.42), or {@code null} for the regulations' 2
 */
public record Bag(BagId id, BagKind kind, String exam, String site, String room, String session, String subject,
                  String set, Integer copies, Secrecy secrecy, Integer invigilators) {
    /** Invigilators a room needs at opening when the plan says nothing: a standard room's 2. */
    public static final int STANDARD_ROOM_INVIGILATORS = 2;

    private static final Pattern SET = Pattern.compile("[A-Z]");
    /** Most copies one bag may hold. */
    public static final int MAX_COPIES = 100_000;

    public Bag {
        if (id == null || kind == null) {
            throw new MalformedInputException("a bag needs an id and a kind");
        }
        Ids.require("exam", exam);
        if (site != null) Ids.require("site", site);
        if (room != null) Ids.require("room", room);
        if (session != null) Ids.require("session", session);
        if (subject != null) Ids.require("subject", subject);
        if (set != null && !SET.matcher(set).matches()) {
            throw new MalformedInputException("paper set '" + set + "' of bag " + id + " must be one capital letter (A, B, C)");
        }
        if (invigilators != null && (invigilators < STANDARD_ROOM_INVIGILATORS || invigilators > 16 || kind.isContainer())) {
            throw new MalformedInputException("bag " + id + " may name 2-16 invigilators for its room (the regulations' 2 at"
                    + " least; containers none), got " + invigilators);
        }
        if (kind.isContainer()) {
            if (copies != null || secrecy != null || set != null) {
                throw new MalformedInputException("container " + id + " cannot have copies, a secrecy level or a paper set");
            }
        } else {
            if (copies == null || copies < 0 || copies > MAX_COPIES) {
                throw new MalformedInputException("bag " + id + " needs a copy count between 0 and " + MAX_COPIES + ", got " + copies);
            }
            if (secrecy == null) {
                throw new MalformedInputException("bag " + id + " needs a secrecy level");
            }
        }
    }

    /** A bag of papers. */
    public static Bag papers(BagId id, BagKind kind, String exam, String site, String room, String session,
                             String subject, String set, int copies, Secrecy secrecy) {
        return new Bag(id, kind, exam, site, room, session, subject, set, copies, secrecy, null);
    }

    /** A transport box or vault cabinet. */
    public static Bag container(BagId id, BagKind kind, String exam, String site) {
        return new Bag(id, kind, exam, site, null, null, null, null, null, null, null);
    }

    /** A transport box of one site and session: only bags of that site and session go into it (R21). */
    public static Bag container(BagId id, BagKind kind, String exam, String site, String session) {
        return new Bag(id, kind, exam, site, null, session, null, null, null, null, null);
    }

    /** This bag, whose room needs {@code n} invigilators at opening (3 for a non-standard room). */
    public Bag withInvigilators(int n) {
        return new Bag(id, kind, exam, site, room, session, subject, set, copies, secrecy, n);
    }

    /** Invigilators the bag's room needs at opening: as registered, else a standard room's 2. */
    public int invigilatorsNeeded() {
        return invigilators == null ? STANDARD_ROOM_INVIGILATORS : invigilators;
    }

    public Optional<Integer> copyCount() {
        return Optional.ofNullable(copies);
    }
}
