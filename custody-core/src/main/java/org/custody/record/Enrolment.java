package org.custody.record;

import java.time.Instant;
import java.util.List;
import org.custody.crypto.PublicKey;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;

/**
 * Enrols a person's public key (and their roster details) in the ledger. Signed by the new key itself
 * (proof of possession) and by a sponsor whose key is already enrolled.
 */
public record Enrolment(RecordId id, LedgerId ledger, Instant at, Person person, PublicKey key, PersonId sponsor)
        implements Record {
    public Enrolment {
        Record.requireCommon(id, ledger);
        Record.requireTime("enrolment time", at);
        if (person == null || key == null || sponsor == null) {
            throw new MalformedInputException("an enrolment needs a person, a public key and a sponsor");
        }
        if (sponsor.equals(person.id())) {
            throw new MalformedInputException("person " + sponsor + " cannot sponsor their own enrolment");
        }
    }

    @Override
    public String type() {
        return "enrol";
    }

    /** The sponsor, then the person enrolled (who signs with the new key). */
    @Override
    public List<PersonId> parties() {
        return List.of(sponsor, person.id());
    }
}
