package org.custody.model;

/** Identifier of a bag or container, as printed on its label, e.g. {@code HN-ZSB-2021.K01.01.S1.ENG.A}. */
public record BagId(String value) implements Comparable<BagId> {
    public BagId {
        Ids.require("bag id", value);
    }

    public static BagId of(String value) {
        return new BagId(value);
    }

    @Override
    public int compareTo(BagId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
