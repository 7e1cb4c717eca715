package org.custody.model;

/** Where a handoff happened: a printer, a vault, an exam site or room, a grading centre. */
public record Place(String id, String name) {
    public Place {
        Ids.require("place id", id);
        Text.optional("place name", name, Text.MAX_SHORT);
    }

    public static Place of(String id, String name) {
        return new Place(id, name);
    }
}
