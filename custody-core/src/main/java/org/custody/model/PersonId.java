package org.custody.model;

/** Identifier of a person on the exam roster, e.g. {@code P001}. */
public record PersonId(String value) implements Comparable<PersonId> {
    public PersonId {
        Ids.require("person id", value);
    }

    public static PersonId of(String value) {
        return new PersonId(value);
    }

    @Override
    public int compareTo(PersonId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
