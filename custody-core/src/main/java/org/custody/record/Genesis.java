package org.custody.record;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.custody.crypto.KeyId;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.RecordId;

/** The first entry of every ledger: its id, its algorithms, and the founders who enrol everyone else. */
public record Genesis(RecordId id, LedgerId ledger, Instant at, Suite suite, List<Founder> founders) implements Record {
    public Genesis {
        Record.requireCommon(id, ledger);
        Record.requireTime("genesis time", at);
        if (suite == null) {
            throw new MalformedInputException("a ledger needs a suite (ed25519-sha256 or sm2-sm3)");
        }
        if (founders == null || founders.isEmpty() || founders.size() > MAX_PEOPLE) {
            throw new MalformedInputException("a ledger needs 1-" + MAX_PEOPLE + " founders");
        }
        founders = List.copyOf(founders);
        Set<PersonId> people = new HashSet<>();
        Set<KeyId> keys = new HashSet<>();
        for (Founder f : founders) {
            if (f.key().algorithm() != suite.signature()) {
                throw new MalformedInputException("founder " + f.person().id() + " has an " + f.key().algorithm().wire()
                        + " key but the ledger uses " + suite.wire());
            }
            if (!people.add(f.person().id()) || !keys.add(f.key().id())) {
                throw new MalformedInputException("founder " + f.person().id() + " or their key is listed twice");
            }
        }
    }

    @Override
    public String type() {
        return "genesis";
    }

    @Override
    public List<PersonId> parties() {
        return founders.stream().map(f -> f.person().id()).toList();
    }
}
