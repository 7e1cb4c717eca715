package org.custody.record;

import org.custody.crypto.PublicKey;
import org.custody.failure.MalformedInputException;
import org.custody.model.Person;

/** A person enrolled with their key in the ledger's first entry; founders sponsor everyone after them. */
public record Founder(Person person, PublicKey key) {
    public Founder {
        if (person == null || key == null) {
            throw new MalformedInputException("a founder needs a person and a public key");
        }
    }
}
