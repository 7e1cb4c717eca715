package org.custody.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.custody.crypto.Hash;
import org.custody.crypto.Signature;
import org.custody.model.PersonId;

/**
 * A handoff draft as the store keeps it (docs/formats.md §7.5): the record waiting for its parties' signatures, the
 * signatures posted so far, and once it is finished, how it ended. Kept in the ledger's store so that every server
 * instance on the ledger sees the same drafts; a draft is not part of the ledger and is never verified or exported.
 *
 * @param id          the draft's id ({@code d-} and 32 hex digits)
 * @param recordId    the record's id: one draft per record id
 * @param owner       the name of the token that opened it
 * @param requestHash SHA-256 of the request body that opened it (a retried open with the same bytes finds it)
 * @param record      the record's canonical bytes (docs/formats.md §3), fixed when the draft was opened
 * @param sites       the sites of the bags it moves ({@code *}: a bag of no site)
 * @param state       {@code open}, {@code committed}, {@code refused}, {@code expired} or {@code cancelled}
 * @param finished    when it left {@code open}, or {@code null}
 * @param outcome     where a committed draft's record landed, or why it was refused; {@code null} otherwise
 * @param signatures  the signatures posted, in the order they arrived
 */
public record KeptDraft(String id, String recordId, String owner, Hash requestHash, byte[] record, Set<String> sites,
                        Instant opened, Instant expires, String state, Instant finished, Outcome outcome,
                        List<KeptSignature> signatures) {
    /** The state of a draft waiting for signatures. */
    public static final String OPEN = "open";

    public KeptDraft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(requestHash, "requestHash");
        record = record.clone();
        sites = Set.copyOf(sites);
        Objects.requireNonNull(opened, "opened");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(state, "state");
        signatures = List.copyOf(signatures);
    }

    @Override
    public byte[] record() {
        return record.clone();
    }

    /** One party's signature over the draft's bytes, as posted. */
    public record KeptSignature(PersonId person, Signature signature) {
        public KeptSignature {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /**
     * How a finished draft ended: for a committed one, the entry its record is ({@code seq}, {@code hash}; {@code
     * alreadyPresent} if it was stored before), with its custody findings; for a refused one, the refusal's findings
     * ({@code seq} is -1 and {@code hash} null). Findings are {@link org.custody.audit.FindingJson} lines.
     */
    public record Outcome(long seq, Hash hash, boolean alreadyPresent, List<byte[]> findings) {
        public Outcome {
            findings = findings.stream().map(byte[]::clone).toList();
        }
    }
}
