package org.custody.store;

import java.util.Objects;
import org.custody.crypto.Hash;

/**
 * A stored entry by position and hash: the last entry of the ledger (its head) or the last entry that named a bag.
 *
 * @param seq  the entry's position, from 0
 * @param hash the entry's hash (docs/formats.md §4)
 */
public record EntryRef(long seq, Hash hash) {
    public EntryRef {
        if (seq < 0) {
            throw new IllegalArgumentException("an entry's position is not negative: " + seq);
        }
        Objects.requireNonNull(hash, "hash");
    }
}
