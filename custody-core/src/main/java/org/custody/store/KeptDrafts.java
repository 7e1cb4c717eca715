package org.custody.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.custody.crypto.Signature;
import org.custody.model.PersonId;

/**
 * The handoff drafts a ledger's store keeps for the servers that serve it (docs/formats.md §7.5). Each call is a
 * transaction of its own, durable when it returns, and visible at once to every other process on the store: what one
 * server instance acknowledged, another reads. A draft moves from {@code open} to one finished state exactly once.
 */
public interface KeptDrafts {
    /**
     * Keeps a new open draft (with no signature yet).
     *
     * @return false, keeping nothing, if a draft of the same record id is kept already
     */
    boolean open(KeptDraft draft);

    /** The draft {@code id}, with its signatures, if it is kept. */
    Optional<KeptDraft> get(String id);

    /** The draft of record {@code recordId}, if one is kept. */
    Optional<KeptDraft> ofRecord(String recordId);

    /**
     * Keeps {@code person}'s signature on the open draft {@code id}, unless the draft has one of theirs already or is
     * finished or gone; the caller reads the draft again to see which signature is kept.
     */
    void sign(String id, PersonId person, Signature signature, Instant at);

    /**
     * Moves the draft {@code id} from {@code open} to {@code state} (finished at {@code finished}, ended as
     * {@code outcome}, which may be null). {@code committed} also replaces {@code cancelled} or {@code expired}: the
     * record is in the ledger, whatever another process said of the draft meanwhile.
     *
     * @return false if the draft was not open (another process finished it first) or is gone
     */
    boolean finish(String id, String state, Instant finished, KeptDraft.Outcome outcome);

    /** Moves every open draft whose time ran out by {@code now} to {@code expired} (finished when it expired); returns how many. */
    int expire(Instant now);

    /** Every open draft, oldest first. */
    List<KeptDraft> open();

    /** How many drafts are open. */
    long openCount();

    /** Forgets the drafts that finished before {@code before}; returns how many. */
    int forget(Instant before);
}
