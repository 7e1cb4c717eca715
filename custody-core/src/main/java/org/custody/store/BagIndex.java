package org.custody.store;

import java.util.Objects;
import org.custody.model.BagId;

/**
 * One bag as a store indexes it for questions over many bags (docs/formats.md §7.3): what it is (exam, kind, site,
 * room, session, subject, from its registration) and where it stands now (the step of its last handoff, its holder and
 * container, the last entry that named it, and the time limits that run for it). Derived from the custody rules' state,
 * written with it, and compared by a verification like the rest of it.
 *
 * @param stage     the wire name of the stage of the bag's last handoff ({@link org.custody.model.Stage}), or {@code null}
 *                  while it was only registered
 * @param step      the wire name of the bag's last handoff step ({@link org.custody.model.Step}), or {@code null} likewise
 * @param deadlines the codes of the time limits that run for the bag, comma-separated in code order ("R10", "R10,R11"),
 *                  or {@code null} if none does
 */
public record BagIndex(BagId bag, String exam, String kind, String site, String room, String session, String subject,
                       String stage, String step, String holder, String container, long lastSeq, String deadlines) {
    public BagIndex {
        Objects.requireNonNull(bag, "bag");
        Objects.requireNonNull(exam, "exam");
        Objects.requireNonNull(kind, "kind");
    }
}
