package org.custody.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Times as officers type them ({@code --at}) and as reports show them. */
final class Times {
    private Times() {}

    /**
     * {@code text} as an instant: {@code 2021-06-09T00:30:00Z}, {@code 2021-06-09T08:30+08:00}, or a local
     * time {@code 2021-06-09 08:30} in {@code zone}; {@code null} means now. Truncated to milliseconds.
     */
    static Instant parse(String option, String text, ZoneId zone) {
        if (text == null) {
            return Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
        String t = text.strip();
        try {
            if (t.endsWith("Z")) {
                return Instant.parse(t).truncatedTo(ChronoUnit.MILLIS);
            }
            if (t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant().truncatedTo(ChronoUnit.MILLIS);
            }
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new UserError(option + " '" + text + "' is not a time; write it like '2021-06-09 08:30' (in " + zone
                    + "), 2021-06-09T08:30+08:00 or 2021-06-09T00:30:00Z");
        }
    }

    static DateTimeFormatter local(ZoneId zone) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    }
}
