package org.custody.rules;

import java.util.ArrayList;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * R19: a bag of question papers is opened in its own exam room: the {@code open} handoff's place is the room the
 * plan gives the bag, named {@code SITE-ROOM} (the site id, a hyphen, the room id: {@code K01-07}). Spare papers
 * (kind {@code spare_paper}, or room {@code BY}) may be opened in any room of their own site. A bag registered
 * without a site (or, not being spare, without a room) is not judged.
 */
final class OwnRoomRule implements Rule {
    /** The room id the plan gives a site's spare papers (备用). */
    static final String SPARE_ROOM = "BY";

    @Override
    public FindingCode code() {
        return FindingCode.R19;
    }

    @Override
    public String source() {
        return "002; 004 Art.42";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        Handoff h = in.handoff().filter(x -> x.step() == Step.OPEN).orElse(null);
        if (h == null) {
            return;
        }
        String place = h.place().id();
        List<BagId> elsewhere = new ArrayList<>(0);
        String expected = null;
        for (BagMove move : h.bags()) {
            BagState state = in.state().bags.get(move.bag());
            if (state == null || !opensInARoom(state.bag) || state.bag.site() == null) {
                continue;
            }
            Bag bag = state.bag;
            boolean spare = bag.kind() == BagKind.SPARE_PAPER || SPARE_ROOM.equals(bag.room());
            if (!spare && bag.room() == null) {
                continue;
            }
            List<org.custody.model.RegisteredPlace> rooms = in.state().places(org.custody.model.PlaceKind.ROOM, bag.site());
            if (!rooms.isEmpty() && !in.state().registered(place, org.custody.model.PlaceKind.ROOM)) {
                continue; // not a registered room at all: R24 says so
            }
            String own = rooms.isEmpty() ? roomPlace(bag) : rooms.stream().filter(r -> r.room().equals(bag.room()))
                    .map(org.custody.model.RegisteredPlace::id).findFirst().orElse(roomPlace(bag));
            boolean here = spare ? (rooms.isEmpty() ? place.startsWith(bag.site() + "-") : bag.site().equals(in.state().places.get(place).site()))
                    : place.equals(own);
            if (!here) {
                elsewhere.add(move.bag());
                expected = expected == null ? (spare ? "a room of site " + bag.site() + (rooms.isEmpty() ? " (" + bag.site() + "-…)" : "") : own) : expected;
            }
        }
        if (!elsewhere.isEmpty()) {
            String which = elsewhere.size() == 1 ? elsewhere.get(0).toString() : elsewhere.size() + " bags";
            out.add(in.finding(code(), which + " opened at " + place + ", not in " + (elsewhere.size() == 1 ? "its" : "their")
                    + " own room " + expected + " / 试卷袋未在本考场启封", elsewhere, h.parties()).comparing(expected, place));
        }
    }

    /** Whether {@code bag} holds papers opened in an exam room: question or spare papers. */
    static boolean opensInARoom(Bag bag) {
        return bag.kind() == BagKind.QUESTION_PAPER || bag.kind() == BagKind.SPARE_PAPER;
    }

    /** The place id of a bag's exam room: {@code SITE-ROOM}. */
    static String roomPlace(Bag bag) {
        return bag.site() + "-" + bag.room();
    }
}
