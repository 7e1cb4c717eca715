package org.custody.model;

import java.util.regex.Pattern;
import org.custody.failure.MalformedInputException;

/** Validation of the short identifiers used throughout the ledger (bag, person, record and ledger ids). */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private Ids() {}

    /** Returns {@code value} if it is a valid identifier, else throws naming {@code what}. */
    public static String require(String what, String value) {
        if (value == null) {
            throw new MalformedInputException(what + " is missing");
        }
        if (!ID.matcher(value).matches()) {
            throw new MalformedInputException(what + " '" + Text.clip(value)
                    + "' is not valid: use 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        return value;
    }
}
