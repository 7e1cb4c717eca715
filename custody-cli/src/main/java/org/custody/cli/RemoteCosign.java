package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custody.audit.AuditReport;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.checkpoint.WitnessRefusedException;
import org.custody.checkpoint.WitnessStateException;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.EnrolledKey;
import org.custody.merkle.ConsistencyProof;
import org.custody.model.Role;

/**
 * An inspector cosigns a server's latest checkpoint on their own machine: the checkpoint must be signed by the
 * ledger's checkpoint key and extend, by a consistency proof checked here, the last checkpoint this inspector
 * cosigned (the witness state file); only the one cosignature line is posted. Fails closed: a checkpoint whose
 * signature cannot be checked is not cosigned.
 */
final class RemoteCosign {
    private final Api api;
    private final PrintWriter out;
    private final PrintWriter err;

    RemoteCosign(Api api, PrintWriter out, PrintWriter err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    /**
     * Cosigns and posts; {@code logKeys} are the ledger's checkpoint verifier keys the inspector keeps, or {@code null}
     * to trust those the server lists for its people with the role checkpoint_signer (said on standard error).
     */
    int cosign(SigningKey key, String name, Path state, boolean newState, List<NoteKey> logKeys) {
        String latest = Api.V1 + "/checkpoints/latest";
        byte[] bytes = api.getBytes(latest);
        SignedNote note;
        Checkpoint checkpoint;
        try {
            note = SignedNote.parse(bytes);
            checkpoint = Checkpoint.parse(note.text());
        } catch (MalformedNoteException e) {
            throw new ServerError("the checkpoint from " + api.url(latest) + " is not a signed checkpoint: " + e.getMessage()
                    + "; nothing was cosigned", null);
        }
        List<NoteKey> trusted = logKeys != null ? logKeys : serverKeys(checkpoint.origin());
        try (Witness w = newState ? Witness.create(state, name, key, trusted, Clock.systemUTC())
                : Witness.open(state, name, key, trusted, Clock.systemUTC())) {
            Optional<Checkpoint> last = w.latest(checkpoint.origin());
            ConsistencyProof proof = last.isPresent() && last.get().size() > 0 && last.get().size() < checkpoint.size()
                    ? proof(last.get().size(), checkpoint.size()) : null;
            SignedNote cosigned = w.cosign(bytes, proof);
            NoteSignature mine = cosigned.signatures().stream().filter(s -> !note.signatures().contains(s)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the witness added no cosignature"));
            byte[] answer = api.postText(Api.V1 + "/checkpoints/cosignatures?size=" + checkpoint.size(), mine.line() + "\n");
            out.print(new String(answer, StandardCharsets.UTF_8));
            out.flush();
            err.println("cosigned the checkpoint of " + checkpoint.size() + " entries by " + w.key().name() + " and posted it to "
                    + api.url("") + (last.isEmpty() ? "" : " (it extends the checkpoint of " + last.get().size() + " entries cosigned before)")
                    + "; verifier key " + w.key());
            return Exit.OK;
        } catch (WitnessRefusedException e) {
            err.println("refused: " + e.getMessage() + "; nothing was cosigned or posted");
            return AuditReport.EXIT_INTEGRITY;
        } catch (NoteVerificationException e) {
            throw new UserError("the server's latest checkpoint is not signed by a checkpoint key trusted here: " + e.getMessage()
                    + "; nothing was cosigned", Exit.INTEGRITY);
        } catch (WitnessStateException | IllegalStateException e) {
            throw new UserError(e.getMessage() + "; nothing was cosigned");
        }
    }

    /** The checkpoint keys the server lists: current keys of people with the role checkpoint_signer. */
    private List<NoteKey> serverKeys(String origin) {
        String path = Api.V1 + "/people";
        ServerJson.People people;
        try {
            people = ServerJson.people(api.get(path));
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ServerError("the answer to " + api.url(path) + " cannot be read: " + e.getMessage(), null);
        }
        List<NoteKey> keys = new ArrayList<>();
        for (EnrolledKey k : people.keys()) {
            var person = people.people().get(k.person());
            if (person != null && person.hasRole(Role.CHECKPOINT_SIGNER) && k.revoked().isEmpty()) {
                keys.add(NoteKey.of(origin, NoteKeyType.of(k.key().algorithm(), false), k.key()));
            }
        }
        if (keys.isEmpty()) {
            throw new UserError("the server lists no checkpoint key for its ledger, so its checkpoint cannot be checked;"
                    + " pass the ledger's verifier key with --log-key. Nothing was cosigned", Exit.INTEGRITY);
        }
        err.println("trusting the checkpoint keys the server lists (" + api.url(path) + "); keep them and pass --log-key next time:");
        keys.forEach(k -> err.println("  " + k));
        return keys;
    }

    /** The server's consistency proof between two sizes; the witness checks it against roots it holds. */
    private ConsistencyProof proof(long from, long to) {
        String path = Api.V1 + "/proofs/consistency?from=" + from + "&to=" + to;
        JsonNode p = api.get(path);
        try {
            List<Hash> hashes = new ArrayList<>();
            p.path("hashes").forEach(h -> hashes.add(Hash.fromHex(h.asText())));
            return new ConsistencyProof(p.path("from").asLong(), p.path("to").asLong(), hashes);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ServerError("the consistency proof from " + api.url(path) + " cannot be read: " + e.getMessage(), null);
        }
    }
}
