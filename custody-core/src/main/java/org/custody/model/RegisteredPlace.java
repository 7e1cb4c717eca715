package org.custody.model;

import org.custody.failure.MalformedInputException;

/**
 * A place registered in the ledger (a {@code register} record's {@code places}): a vault, or an exam room of a site.
 * Once a ledger registers places of a kind, records name those places by their registered id (R24), so a typed-wrong
 * place is caught instead of silently making a second vault or room.
 *
 * @param site the site a room belongs to (required for a room; optional for a vault, e.g. a site's own vault)
 * @param room the room number within its site (rooms only)
 */
public record RegisteredPlace(String id, PlaceKind kind, String name, String site, String room) {
    public RegisteredPlace {
        Ids.require("place id", id);
        if (kind == null) {
            throw new MalformedInputException("place " + id + " needs a kind (vault or room)");
        }
        Text.optional("place name", name, Text.MAX_SHORT);
        if (site != null) {
            Ids.require("place site", site);
        }
        if (room != null) {
            Ids.require("place room", room);
        }
        if (kind == PlaceKind.ROOM && (site == null || room == null)) {
            throw new MalformedInputException("room " + id + " needs its site and room number");
        }
        if (kind == PlaceKind.VAULT && room != null) {
            throw new MalformedInputException("vault " + id + " has a room number; only rooms have one");
        }
    }

    /** A vault. */
    public static RegisteredPlace vault(String id, String name) {
        return new RegisteredPlace(id, PlaceKind.VAULT, name, null, null);
    }

    /** An exam room, registered under the place id {@code SITE-ROOM} (docs/rules.md R19). */
    public static RegisteredPlace room(String site, String room) {
        return new RegisteredPlace(site + "-" + room, PlaceKind.ROOM, null, site, room);
    }
}
