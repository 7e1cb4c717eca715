package org.custody.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.custody.crypto.Hash;
import org.custody.model.BagId;
import org.custody.model.PaperSet;
import org.custody.model.PersonId;

/**
 * An exception recorded in the ledger (异常记录): an incident entry of an exception type (every type but the
 * routine {@code vault_inspection}), or a handoff at which a bag's seal was found broken. Not a finding: it
 * changes no count, total or exit status; the report lists it so that an inspector sees it.
 *
 * @param seq     position of the entry in the ledger
 * @param entry   hash of the entry as stored
 * @param at      time the record gives
 * @param record  {@code incident} or {@code handoff}
 * @param type    for an incident its type's wire name (e.g. {@code seal_broken}); for a handoff its step (e.g. {@code open})
 * @param chinese the Chinese term for {@code type}
 * @param bags    for an incident every bag it names; for a handoff the bags whose seal state is {@code broken}
 * @param people  the people the record names as its signers, in record order
 * @param set     the paper set withdrawn ({@code set_withdrawn}), or {@code null}
 * @param refers  the entry a {@code correction} corrects, or {@code null}
 * @param note    the record's note, or {@code null}
 */
public record RecordedException(long seq, Hash entry, Instant at, String record, String type, String chinese,
                                List<BagId> bags, List<PersonId> people, PaperSet set, Hash refers, String note) {
    /** The {@link #record} of an incident entry. */
    public static final String INCIDENT = "incident";
    /** The {@link #record} of a handoff that found a seal broken. */
    public static final String HANDOFF = "handoff";

    public RecordedException {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(at, "at");
        if (!INCIDENT.equals(record) && !HANDOFF.equals(record)) {
            throw new IllegalArgumentException("record must be incident or handoff, got " + record);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(chinese, "chinese");
        bags = bags == null ? List.of() : List.copyOf(bags);
        people = people == null ? List.of() : List.copyOf(people);
    }

    /** True for a handoff at which a seal was found broken. */
    public boolean brokenSealAtHandoff() {
        return HANDOFF.equals(record);
    }

    /** One line in English and Chinese, e.g. {@code incident seal_broken 封条破损} or {@code handoff open 启封: seal found broken 封条破损}. */
    public String title() {
        return record + ' ' + type + ' ' + chinese + (brokenSealAtHandoff() ? ": seal found broken 封条破损" : "");
    }
}
