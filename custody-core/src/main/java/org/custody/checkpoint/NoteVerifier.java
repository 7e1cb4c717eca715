package org.custody.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.custody.checkpoint.NoteVerificationException.Reason;
import org.custody.crypto.BadSignatureException;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.failure.MalformedInputException;

/**
 * Verifies signed notes against a fixed set of known keys, as C2SP signed-note says: a signature line whose name and
 * key id match no known key is ignored; one that matches a known key must verify, or the whole note is refused; and
 * at least one known key must have signed. Policies on top ("the log and 2 of these 3 inspectors") are
 * {@link VerifiedNote#requireSignatures} and {@link VerifiedNote#requireCosignatures}.
 */
public final class NoteVerifier {
    private final List<NoteKey> keys;

    private NoteVerifier(List<NoteKey> keys) {
        this.keys = keys;
    }

    /**
     * A verifier that knows {@code keys}.
     *
     * @throws org.custody.failure.MalformedInputException if there are none, or two share a name and key id (ambiguous)
     */
    public static NoteVerifier of(Collection<NoteKey> keys) {
        List<NoteKey> list = List.copyOf(keys);
        if (list.isEmpty()) {
            throw new MalformedInputException("a note verifier needs at least one key");
        }
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (list.get(i).name().equals(list.get(j).name()) && list.get(i).idValue() == list.get(j).idValue()) {
                    throw new MalformedInputException("keys " + list.get(j) + " and " + list.get(i)
                            + " share a name and key id: signatures by them cannot be told apart");
                }
            }
        }
        return new NoteVerifier(list);
    }

    /** The known keys. */
    public List<NoteKey> keys() {
        return keys;
    }

    /**
     * Parses and verifies {@code note}.
     *
     * @throws MalformedNoteException if it is not a well-formed signed note
     * @throws NoteVerificationException if a known key's signature fails or no known key signed
     */
    public VerifiedNote verify(byte[] note) {
        return verify(SignedNote.parse(note));
    }

    /**
     * Verifies a parsed note.
     *
     * @throws NoteVerificationException if a known key's signature fails or no known key signed
     */
    public VerifiedNote verify(SignedNote note) {
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        List<VerifiedNote.Signer> verified = new ArrayList<>();
        List<NoteSignature> lines = note.signatures();
        for (int i = 0; i < lines.size(); i++) {
            NoteSignature line = lines.get(i);
            NoteKey key = known(line);
            if (key != null) {
                verified.add(check(key, line, note, text, note.lineOf(i)));
            }
        }
        if (verified.isEmpty()) {
            List<String> seen = new ArrayList<>();
            lines.forEach(s -> seen.add(s.name() + "+" + s.keyId()));
            throw new NoteVerificationException(Reason.NO_KNOWN_SIGNATURE,
                    "no signature by a known key: the note is signed by " + seen + ", the verifier knows " + names());
        }
        return new VerifiedNote(note.text(), verified);
    }

    private NoteKey known(NoteSignature line) {
        for (NoteKey k : keys) {
            if (line.isFrom(k)) {
                return k;
            }
        }
        return null;
    }

    private static VerifiedNote.Signer check(NoteKey key, NoteSignature line, SignedNote note, byte[] text, int lineNumber) {
        NoteKeyType type = key.type();
        byte[] payload = line.payload();
        String who = "line " + lineNumber + ": signature by " + key.name() + "+" + key.id();
        if (payload.length != type.payloadLength()) {
            throw new NoteVerificationException(Reason.BAD_SIGNATURE, who + " is " + payload.length
                    + " bytes after the key id, a " + type + " signature is " + type.payloadLength());
        }
        long timestamp = -1;
        byte[] message = text;
        byte[] sig = payload;
        if (type.isCosignature()) {
            ByteBuffer b = ByteBuffer.wrap(payload);
            timestamp = b.getLong();
            if (timestamp < 0) {
                throw new NoteVerificationException(Reason.BAD_SIGNATURE, who + " has a timestamp above 2^63-1");
            }
            sig = new byte[b.remaining()];
            b.get(sig);
            message = NoteSigner.cosignedMessage(type, timestamp, note.text());
        }
        PublicKey publicKey = key.publicKey();
        try {
            publicKey.verify(message, Signature.of(publicKey.id(), sig));
        } catch (BadSignatureException e) {
            throw new NoteVerificationException(Reason.BAD_SIGNATURE, who + " does not verify", e);
        }
        return new VerifiedNote.Signer(key, timestamp);
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add(k.name() + "+" + k.id()));
        return out;
    }
}
