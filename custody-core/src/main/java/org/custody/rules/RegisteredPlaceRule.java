package org.custody.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.IncidentType;
import org.custody.model.PlaceKind;
import org.custody.model.RegisteredPlace;
import org.custody.model.Step;
import org.custody.record.BagMove;

/**
 * R24: once the ledger registers its vaults, a handoff into a vault and a vault video review name a registered vault;
 * once it registers a site's exam rooms, papers of that site are opened in a registered room. A place typed wrong
 * ("VAUL") would otherwise be a second vault whose reviews count for nothing (R12), or a room nobody opens in (R19).
 * Ledgers that register no places of a kind name them freely, as before.
 */
final class RegisteredPlaceRule implements Rule {
    /** How many registered places a finding lists before "…". */
    private static final int LISTED = 8;

    @Override
    public FindingCode code() {
        return FindingCode.R24;
    }

    @Override
    public String source() {
        return "003; 004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        in.incident().filter(i -> i.incident() == IncidentType.VAULT_INSPECTION && i.place() != null)
                .ifPresent(i -> checkVault(in, i.place().id(), out));
        in.handoff().filter(h -> h.step().entersVault()).ifPresent(h -> checkVault(in, h.place().id(), out));
        in.handoff().filter(h -> h.step() == Step.OPEN).ifPresent(h -> {
            for (BagMove move : h.bags()) {
                BagState bag = in.state().bags.get(move.bag());
                if (bag != null && OwnRoomRule.opensInARoom(bag.bag) && bag.bag.site() != null
                        && !in.state().places(PlaceKind.ROOM, bag.bag.site()).isEmpty()
                        && !in.state().registered(h.place().id(), PlaceKind.ROOM)) {
                    List<RegisteredPlace> rooms = in.state().places(PlaceKind.ROOM, bag.bag.site());
                    out.add(in.finding(code(), h.place().id() + " is not a registered exam room; the rooms of site " + bag.bag.site()
                            + " are " + list(rooms) + " / " + h.place().id() + "不是已登记的考场", in.bagIds(), in.record().parties())
                            .comparing("one of " + list(rooms), h.place().id()));
                    return;
                }
            }
        });
    }

    private void checkVault(RuleInput in, String place, List<Finding> out) {
        List<RegisteredPlace> vaults = in.state().places(PlaceKind.VAULT, null);
        if (vaults.isEmpty() || in.state().registered(place, PlaceKind.VAULT)) {
            return;
        }
        out.add(in.finding(code(), place + " is not a registered vault; the ledger's vaults are " + list(vaults)
                + " / " + place + "不是已登记的保密室", in.bagIds(), in.record().parties()).comparing("one of " + list(vaults), place));
    }

    private static String list(List<RegisteredPlace> places) {
        String shown = places.stream().limit(LISTED).map(RegisteredPlace::id).collect(Collectors.joining(", "));
        return places.size() > LISTED ? shown + ", … (" + places.size() + ")" : shown;
    }
}
