package org.custody.cli.qr;

import java.util.List;
import java.util.Objects;

/**
 * One label as printed on a sheet: the QR payload and the readable fields beside it.
 *
 * @param payload the text in the QR code
 * @param titleName what the title is (e.g. 袋号), shown above it; may be empty
 * @param title   the line above the fields (the bag id), in bold, as large as fits on one line
 * @param fields  name and value pairs, shown in order (科目, 场次, 考场, 份数, 密级, ...)
 */
public record LabelCard(String payload, String titleName, String title, List<Field> fields) {
    /** A readable field: its name (Chinese, as officers read it) and value. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public LabelCard {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(titleName, "titleName");
        Objects.requireNonNull(title, "title");
        fields = List.copyOf(fields);
    }
}
