package org.custody.model;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.custody.failure.MalformedInputException;

/** An enumerated value with a stable wire name (used in records) and a Chinese label (shown to officers). */
public interface Labelled {
    /** The wire name and Chinese term together. */
    Label label();

    /** The stable name used in canonical records, e.g. {@code question_paper}. */
    default String wire() {
        return label().wire();
    }

    /** The Chinese term officers use, e.g. {@code 试卷袋}. */
    default String chinese() {
        return label().chinese();
    }

    /** A wire name with its Chinese term. */
    record Label(String wire, String chinese) {}

    /** Looks up the constant of {@code type} whose wire name is {@code wire}, with an error listing the valid names. */
    static <E extends Enum<E> & Labelled> E fromWire(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (e.wire().equals(wire)) {
                return e;
            }
        }
        throw new MalformedInputException("'" + wire + "' is not a known " + type.getSimpleName() + "; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(Labelled::wire).collect(Collectors.joining(", ")));
    }
}
