package org.custody.ledger;

import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.verify.LedgerVerifier;

/**
 * The end of a ledger: how many entries it holds and the hash of the last one. Keep one to check later
 * that the ledger only grew ({@link LedgerVerifier.Options#expecting}).
 */
public record Head(long size, Hash hash) {
    public Head {
        if (size < 0 || hash == null) {
            throw new MalformedInputException("a head needs a size >= 0 and a hash");
        }
    }
}
