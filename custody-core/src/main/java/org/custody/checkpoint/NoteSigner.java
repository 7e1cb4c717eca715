package org.custody.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;

/**
 * Signs note text with a named key: Ed25519 (signed-note type 0x01) or SM2 with SM3 (the Custody SM2 type). A log
 * signs its checkpoints with one; witness cosignatures are made only by {@link Witness}.
 */
public final class NoteSigner {
    private final NoteKey key;
    private final UnaryOperator<byte[]> rawSigner;

    NoteSigner(NoteKey key, UnaryOperator<byte[]> rawSigner) {
        this.key = key;
        this.rawSigner = rawSigner;
    }

    /**
     * A signer of notes under {@code name} with {@code key}.
     *
     * @throws org.custody.failure.MalformedInputException if {@code name} is not a valid key name
     */
    public static NoteSigner of(String name, SigningKey key) {
        return create(name, key, false);
    }

    /** A cosigner (timestamped cosignatures); only the witness may cosign. */
    static NoteSigner cosigner(String name, SigningKey key) {
        return create(name, key, true);
    }

    private static NoteSigner create(String name, SigningKey key, boolean cosignature) {
        Objects.requireNonNull(key, "key");
        NoteKey noteKey = NoteKey.of(name, NoteKeyType.of(key.algorithm(), cosignature), key.publicKey());
        return new NoteSigner(noteKey, message -> key.sign(message).valueBytes());
    }

    /** The verifier key to hand to those who check this signer's notes. */
    public NoteKey key() {
        return key;
    }

    /**
     * A note of {@code text} signed by this key.
     *
     * @throws org.custody.failure.MalformedInputException if {@code text} is not valid note text (non-empty, ending in a newline, no
     *     control character but the newline, not ending in a blank line, at most 64 KiB)
     */
    public SignedNote sign(String text) {
        return SignedNote.of(text, List.of(signature(text)));
    }

    /** {@code note} with this key's signature added (or replacing an earlier one by this key). */
    public SignedNote sign(SignedNote note) {
        return note.withSignature(signature(note.text()));
    }

    NoteSignature signature(String text) {
        if (key.type().isCosignature()) {
            throw new IllegalStateException("a cosigner signs only timestamped cosignatures");
        }
        byte[] sig = rawSigner.apply(SignedNote.checkText(text));
        return new NoteSignature(key.name(), key.idValue(), sig);
    }

    /** A cosignature of {@code text} (a checkpoint body) at {@code timestamp} seconds since the epoch. */
    NoteSignature cosignature(String text, long timestamp) {
        if (!key.type().isCosignature()) {
            throw new IllegalStateException("a note signer does not make cosignatures");
        }
        byte[] sig = rawSigner.apply(cosignedMessage(key.type(), timestamp, text));
        return new NoteSignature(key.name(), key.idValue(), ByteBuffer.allocate(8 + sig.length).putLong(timestamp).put(sig).array());
    }

    /** The bytes a cosignature signs: header line, {@code time <timestamp>} line, then the checkpoint body. */
    static byte[] cosignedMessage(NoteKeyType type, long timestamp, String text) {
        if (timestamp < 0) {
            throw new MalformedInputException("a cosignature timestamp is 0 to 2^63-1, got " + timestamp);
        }
        byte[] header = type.cosignatureHeader();
        byte[] time = ("time " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = SignedNote.checkText(text);
        return ByteBuffer.allocate(header.length + time.length + body.length).put(header).put(time).put(body).array();
    }
}
