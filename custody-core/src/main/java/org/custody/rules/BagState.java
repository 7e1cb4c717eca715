package org.custody.rules;

import java.time.Instant;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Step;

/** What the rules know of one bag: who holds it, where it is in its life cycle, what was counted. */
final class BagState {
    final Bag bag;
    /** The bag's last entry (registration, handoff or incident naming it): sequence number, hash and time. */
    long lastSeq;
    org.custody.crypto.Hash lastHash;
    Instant lastEntryAt;
    PersonId holder;
    Step lastStep;
    Instant lastAt;
    BagId container;
    Integer sealedCount;
    /** The count recorded at the bag's latest handoff that recorded one (printing, sealing, collection, grading...). */
    Integer lastCount;
    String vault;
    /** Stored as archived (answer sheets back from grading): not in exam keeping (R12). */
    boolean archived;
    Instant collectedAt;
    Instant gradingOutAt;
    boolean returnedToVault;
    boolean spareApproved;
    boolean destroyed;
    /** The seal number applied when the bag was sealed (or re-sealed after a recorded broken seal); later checks must see it. */
    String sealNumber;
    /** A broken seal was recorded: the next seal number seen is the new seal's (re-sealing), not a breach. */
    boolean resealing;
    /** A handoff had the bag at its exam site (R25): the escort's at the site, or a step of the site or after it. */
    boolean atSite;
    /** The last count recorded at each step, and the entry that recorded it (for reconciliation, formats.md §7.1). */
    final java.util.EnumMap<Step, BagCounts.Counted> stepCounts = new java.util.EnumMap<>(Step.class);
    /** Present plus absent, as the bag's last collection that recorded them said. */
    Integer attendance;

    BagState(Bag bag, Instant registeredAt) {
        this.bag = bag;
        this.lastAt = registeredAt;
        this.lastEntryAt = registeredAt;
    }
}
