package org.custody.rules;

import java.time.Instant;

/**
 * A vault while it stores bags: how many, and when it was last inspected (or began storing, or had a gap
 * reported), with the entry that marks that time.
 */
final class VaultState {
    final String place;
    int stored;
    Instant lastCheck;
    long lastCheckSeq;
    org.custody.crypto.Hash lastCheckHash;

    VaultState(String place) {
        this.place = place;
    }
}
