package org.custody.audit;

import java.util.List;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.PersonId;

/**
 * One finding: its code, the entry it concerns (by sequence number and, when known, hash), the bags and
 * people involved, a message, and the expected and actual values where a comparison failed.
 *
 * @param seq      position of the entry in the ledger (for a missing entry, where it was expected)
 * @param entry    hash of the entry as stored, or {@code null} if it could not be computed
 * @param expected what the check expected, or {@code null}
 * @param actual   what it found, or {@code null}
 */
public record Finding(FindingCode code, long seq, Hash entry, List<BagId> bags, List<PersonId> people,
                      String message, String expected, String actual) {
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        bags = bags == null ? List.of() : List.copyOf(bags);
        people = people == null ? List.of() : List.copyOf(people);
    }

    /** A finding without a comparison. */
    public static Finding of(FindingCode code, long seq, Hash entry, String message) {
        return new Finding(code, seq, entry, List.of(), List.of(), message, null, null);
    }

    public Finding withBags(List<BagId> bags) {
        return new Finding(code, seq, entry, bags, people, message, expected, actual);
    }

    public Finding withPeople(List<PersonId> people) {
        return new Finding(code, seq, entry, bags, people, message, expected, actual);
    }

    public Finding comparing(Object expected, Object actual) {
        return new Finding(code, seq, entry, bags, people, message, String.valueOf(expected), String.valueOf(actual));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(code).append(" entry ").append(seq).append(": ").append(message);
        if (expected != null) {
            s.append(" (expected ").append(expected).append(", found ").append(actual).append(')');
        }
        if (!bags.isEmpty()) s.append(" bags ").append(bags);
        if (!people.isEmpty()) s.append(" people ").append(people);
        return s.toString();
    }
}
