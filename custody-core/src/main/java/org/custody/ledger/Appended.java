package org.custody.ledger;

import org.custody.crypto.Hash;

/**
 * Where a record landed: its sequence number and entry hash. {@code alreadyPresent} is true when the same
 * record (same id, same content) was appended before, so nothing new was stored.
 */
public record Appended(long seq, Hash hash, boolean alreadyPresent) {}
