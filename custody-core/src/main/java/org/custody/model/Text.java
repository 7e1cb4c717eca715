package org.custody.model;

import org.custody.failure.MalformedInputException;

/** Bounds and checks for free text carried in records (names, notes, places). */
public final class Text {
    /** Longest name, place or reason accepted. */
    public static final int MAX_SHORT = 200;
    /** Longest note accepted. */
    public static final int MAX_NOTE = 4000;

    private Text() {}

    /** Returns {@code value} if it is non-blank, within {@code max} characters and free of control characters. */
    public static String require(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new MalformedInputException(what + " is missing or blank");
        }
        return optional(what, value, max);
    }

    /** Like {@link #require} but accepts {@code null}. */
    public static String optional(String what, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty()) {
            throw new MalformedInputException(what + " is empty: omit it instead");
        }
        if (value.length() > max) {
            throw new MalformedInputException(what + " is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new MalformedInputException(what + " contains a control character at position " + i);
            }
            if (Character.getType(c) == Character.SURROGATE) {
                throw new MalformedInputException(what + " contains an unpaired surrogate at position " + i);
            }
            i += Character.charCount(c);
        }
        return value;
    }

    static String clip(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
