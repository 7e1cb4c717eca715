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
 * @param at       time of the record concerned, or {@code null} if unknown
 * @param message  what was found, in English
 * @param chinese  the same in Chinese, or {@code null} (reports then show the code's Chinese title)
 * @param expected what the check expected, or {@code null}
 * @param actual   what it found, or {@code null}
 */
public record Finding(FindingCode code, long seq, Hash entry, java.time.Instant at, List<BagId> bags,
                      List<PersonId> people, String message, String chinese, String expected, String actual) {
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        bags = bags == null ? List.of() : List.copyOf(bags);
        people = people == null ? List.of() : List.copyOf(people);
    }

    /** A finding without a comparison. */
    public static Finding of(FindingCode code, long seq, Hash entry, String message) {
        return new Finding(code, seq, entry, null, List.of(), List.of(), message, null, null, null);
    }

    public Finding withBags(List<BagId> bags) {
        return new Finding(code, seq, entry, at, bags, people, message, chinese, expected, actual);
    }

    public Finding withPeople(List<PersonId> people) {
        return new Finding(code, seq, entry, at, bags, people, message, chinese, expected, actual);
    }

    public Finding at(java.time.Instant time) {
        return new Finding(code, seq, entry, time, bags, people, message, chinese, expected, actual);
    }

    public Finding inChinese(String text) {
        return new Finding(code, seq, entry, at, bags, people, message, text, expected, actual);
    }

    public Finding comparing(Object expected, Object actual) {
        return new Finding(code, seq, entry, at, bags, people, message, chinese, String.valueOf(expected), String.valueOf(actual));
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
