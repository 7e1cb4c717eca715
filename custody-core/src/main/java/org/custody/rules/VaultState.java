package org.custody.rules;

import java.time.Instant;

/** A vault while it stores bags: how many, and when it was last inspected (or began storing). */
final class VaultState {
    final String place;
    int stored;
    Instant lastCheck;
    long lastCheckSeq;

    VaultState(String place) {
        this.place = place;
    }
}
