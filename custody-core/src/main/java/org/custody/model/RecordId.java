package org.custody.model;

import java.util.UUID;

/** Unique identifier of a record within a ledger; appending the same record id twice stores it once. */
public record RecordId(String value) {
    public RecordId {
        Ids.require("record id", value);
    }

    public static RecordId of(String value) {
        return new RecordId(value);
    }

    /** A fresh random id. */
    public static RecordId random() {
        return new RecordId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
