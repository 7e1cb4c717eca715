package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.Signature;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.RecordCodec;
import org.custody.record.SignedRecord;

/** Builds request bodies for the tests. */
final class Records {
    private Records() {}

    static Handoff handoff(String id, Step step, String from, String to, List<String> witnesses, Instant at, BagMove... moves) {
        return handoff(Fixture.LEDGER, id, step, from, to, witnesses, at, moves);
    }

    /** A handoff of the ledger {@code ledger}. */
    static Handoff handoff(org.custody.model.LedgerId ledger, String id, Step step, String from, String to, List<String> witnesses,
                           Instant at, BagMove... moves) {
        return Handoff.builder(step).id(RecordId.of(id)).ledger(ledger).at(at).from(from == null ? null : PersonId.of(from)).to(PersonId.of(to))
                .witnesses(witnesses.stream().map(PersonId::of).toList()).place(Place.of("K01", "考点")).bags(List.of(moves)).build();
    }

    static BagMove move(BagId bag, Hash prev) {
        return BagMove.of(bag, prev);
    }

    /** {@code {"record": ..., "signatures": [...]}} for a signed record. */
    static ObjectNode body(SignedRecord signed) {
        ObjectNode o = Client.JSON.createObjectNode();
        try {
            o.set("record", Client.JSON.readTree(RecordCodec.canonicalBytes(signed.record())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode sigs = o.putArray("signatures");
        for (Signature s : signed.signatures()) {
            sigs.addObject().put("key", s.key().hex()).put("sig", s.base64());
        }
        return o;
    }
}
