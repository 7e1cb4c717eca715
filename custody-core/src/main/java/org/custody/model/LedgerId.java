package org.custody.model;

/** Name of a ledger, fixed at creation; every record names the ledger it was signed for. */
public record LedgerId(String value) {
    public LedgerId {
        Ids.require("ledger id", value);
    }

    public static LedgerId of(String value) {
        return new LedgerId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
