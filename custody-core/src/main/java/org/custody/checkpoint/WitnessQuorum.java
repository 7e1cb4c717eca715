package org.custody.checkpoint;

import java.time.Instant;
import java.util.List;
import org.custody.failure.MalformedInputException;

/**
 * A reader's witness policy: at least {@code quorum} of a named set of witness cosigning keys must have cosigned a
 * checkpoint (C2SP tlog-cosignature). The keys are the reader's own configuration, never taken from the log, so a log
 * cannot choose its witnesses. A witness name counts once, whatever its number of keys.
 *
 * @param keys   the witnesses' cosignature verifier keys (Ed25519 {@code 0x04}, ML-DSA-44 {@code 0x06} or SM2)
 * @param quorum how many distinct witness names must have cosigned, 1 to their number
 */
public record WitnessQuorum(List<NoteKey> keys, int quorum) {
    public WitnessQuorum {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new MalformedInputException("a witness quorum names at least one witness key");
        }
        for (NoteKey k : keys) {
            if (!k.type().isCosignature()) {
                throw new MalformedInputException("witness key " + k + " is a note signing key (type " + k.type()
                        + "), not a cosignature key; a witness's verifier key has type 0x04 (Ed25519) or 0x06 (ML-DSA-44)");
            }
        }
        long names = keys.stream().map(NoteKey::name).distinct().count();
        if (quorum < 1 || quorum > names) {
            throw new MalformedInputException("a witness quorum is 1 to " + names + " (the distinct witness names given), got "
                    + quorum);
        }
    }

    /** All of the named witnesses. */
    public static WitnessQuorum all(List<NoteKey> keys) {
        return new WitnessQuorum(keys, (int) keys.stream().map(NoteKey::name).distinct().count());
    }

    /** The distinct witness names, in the order given. */
    public List<String> names() {
        return keys.stream().map(NoteKey::name).distinct().toList();
    }

    /**
     * Checks that {@code note} carries valid cosignatures by at least {@link #quorum} of the named witnesses. A line by a
     * named key that does not verify refuses the note, as signed-note requires.
     *
     * @throws NoteVerificationException naming who cosigned and who did not
     */
    public VerifiedNote check(SignedNote note) {
        return NoteVerifier.of(keys).verify(note).requireCosignatures(quorum, names(), Instant.EPOCH);
    }
}
