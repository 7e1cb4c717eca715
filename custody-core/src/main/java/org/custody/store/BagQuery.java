package org.custody.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which bags a question is about: each attribute given must match exactly, those left {@code null} match any bag. The
 * attributes are those of {@link BagIndex}; {@code stage} and {@code step} are wire names of a stage or step, or
 * {@link #REGISTERED} for bags that no handoff has moved yet.
 */
public record BagQuery(String exam, String kind, String site, String room, String session, String subject, String stage,
                       String step, String holder) {
    /** The {@link #stage} and {@link #step} of a bag only registered so far. */
    public static final String REGISTERED = "registered";

    /** Every bag. */
    public static final BagQuery ALL = new BagQuery(null, null, null, null, null, null, null, null, null);

    /** The columns a question may name (docs/formats.md §7.3), in a fixed order: those of {@link BagIndex} it compares. */
    public static final List<String> COLUMNS = List.of("exam", "kind", "site", "room", "session", "subject", "stage", "step",
            "holder");

    /** The attributes given, by column name of docs/formats.md §7.3, in a fixed order. */
    public Map<String, String> given() {
        Map<String, String> out = new LinkedHashMap<>();
        String[] values = {exam, kind, site, room, session, subject, stage, step, holder};
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                out.put(COLUMNS.get(i), values[i]);
            }
        }
        return out;
    }

    /** Whether {@code row} is one of the bags asked about. */
    public boolean matches(BagIndex row) {
        return given().entrySet().stream().allMatch(e -> e.getValue().equals(column(row, e.getKey())));
    }

    /** The value of {@code row}'s column {@code name} as a query compares it (a stage or step of {@code null} is {@link #REGISTERED}). */
    public static String column(BagIndex row, String name) {
        return switch (name) {
            case "exam" -> row.exam();
            case "kind" -> row.kind();
            case "site" -> row.site();
            case "room" -> row.room();
            case "session" -> row.session();
            case "subject" -> row.subject();
            case "stage" -> row.stage() == null ? REGISTERED : row.stage();
            case "step" -> row.step() == null ? REGISTERED : row.step();
            case "holder" -> row.holder();
            default -> throw new IllegalArgumentException("no bag column " + name);
        };
    }
}
