package org.custody.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.failure.MalformedInputException;

/**
 * A signed record at its place in the ledger: sequence number, hash of the previous entry, the record, its
 * signatures and, for entries written since format version 2, the time the ledger appended it. Its canonical JSON is
 * what is stored and hashed: {@code hash = H("custody/entry/v1\n" || canonical entry)}.
 */
public final class Entry {
    /** Domain-separation label prefixed to the canonical entry bytes before hashing. */
    public static final String HASH_LABEL = "custody/entry/v1\n";
    /** Largest stored entry accepted. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Largest sequence number (JSON integers stay exact up to 2^53). */
    public static final long MAX_SEQ = (1L << 53) - 1;

    private static final byte[] HASH_LABEL_BYTES = HASH_LABEL.getBytes(StandardCharsets.US_ASCII);

    private final long seq;
    private final Hash prev;
    private final SignedRecord signed;
    /** When the ledger appended the entry, or {@code null} for an entry of format version 1. */
    private final Instant appended;
    private final byte[] canonical;

    private Entry(long seq, Hash prev, SignedRecord signed, Instant appended, byte[] canonical) {
        this.seq = seq;
        this.prev = prev;
        this.signed = signed;
        this.appended = appended;
        this.canonical = canonical;
    }

    /** Places {@code signed} at {@code seq}, after the entry whose hash is {@code prev}, without an append time (format version 1). */
    public static Entry create(long seq, Hash prev, SignedRecord signed) {
        return create(seq, prev, signed, null);
    }

    /**
     * Places {@code signed} at {@code seq}, after the entry whose hash is {@code prev}, appended at {@code appended}
     * (milliseconds at most; {@code null} writes an entry of format version 1, without it).
     */
    public static Entry create(long seq, Hash prev, SignedRecord signed, Instant appended) {
        if (appended != null) {
            Record.requireTime("the append time", appended);
        }
        if (seq < 0 || seq > MAX_SEQ) {
            throw new MalformedInputException("sequence number " + seq + " is out of range");
        }
        if (signed.signatures().isEmpty()) {
            throw new MalformedInputException("record " + signed.record().id() + " has no signatures");
        }
        byte[] canonical = canonicalBytes(seq, prev, signed, appended);
        if (canonical.length > MAX_BYTES) {
            throw new MalformedInputException("entry is " + canonical.length + " bytes; at most " + MAX_BYTES + " are allowed");
        }
        return new Entry(seq, prev, signed, appended, canonical);
    }

    /**
     * The entry's canonical bytes, composed around the record's canonical bytes, which the JCS library made when the
     * record was encoded (or which were sliced from a canonical entry, and are what the parties signed). RFC 8785
     * serialises an object's members in key order, each value on its own without context, so the canonical entry is
     * exactly {@code {"appended":TIME,"prev":HEX,"record":RECORD,"seq":N,"signatures":[{"key":HEX,"sig":BASE64},...]}}
     * (without {@code appended} in format version 1): every other value is an integer below 2^53 (written as plain
     * digits) or a string of digits, time, hex or base64 characters, which RFC 8785 writes unescaped. The same bytes as
     * {@code Canonical.bytes(tree(seq, prev, signed, appended))} (a property test checks it), without serialising and
     * re-parsing the record once more per append.
     */
    static byte[] canonicalBytes(long seq, Hash prev, SignedRecord signed, Instant appended) {
        byte[] record = signed.canonicalRecordShared();
        List<Signature> signatures = signed.signatures();
        StringBuilder head = new StringBuilder(112);
        head.append('{');
        if (appended != null) {
            head.append("\"appended\":\"").append(appended).append("\",");
        }
        head.append("\"prev\":\"").append(prev.hex()).append("\",\"record\":");
        StringBuilder tail = new StringBuilder(32 + 140 * signatures.size());
        tail.append(",\"seq\":").append(seq).append(",\"signatures\":[");
        for (int i = 0; i < signatures.size(); i++) {
            Signature s = signatures.get(i);
            tail.append(i == 0 ? "{\"key\":\"" : ",{\"key\":\"").append(s.key().hex())
                    .append("\",\"sig\":\"").append(s.base64()).append("\"}");
        }
        tail.append("]}");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] t = tail.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + record.length + t.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(record, 0, out, h.length, record.length);
        System.arraycopy(t, 0, out, h.length + record.length, t.length);
        return out;
    }

    /** The entry as a JSON tree, which the canonicaliser turns into the stored bytes (the reference for {@link #canonicalBytes}). */
    static ObjectNode tree(long seq, Hash prev, SignedRecord signed, Instant appended) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (appended != null) {
            o.put("appended", appended.toString());
        }
        o.put("seq", seq);
        o.put("prev", prev.hex());
        o.set("record", RecordCodec.toJson(signed.record()));
        ArrayNode sigs = o.putArray("signatures");
        for (Signature s : signed.signatures()) {
            sigs.addObject().put("key", s.key().hex()).put("sig", s.base64());
        }
        return o;
    }

    /**
     * Decodes stored entry bytes strictly.
     *
     * @throws MalformedRecordException if the bytes are not a canonical, well-formed entry
     */
    public static Entry decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedRecordException("", "entry is " + bytes.length + " bytes; at most " + MAX_BYTES + " are allowed");
        }
        Canonical.Parsed parsed;
        try {
            parsed = Canonical.parseCanonical(bytes, "record");
        } catch (IllegalArgumentException e) {
            // no record object: parse alone, so the reader below names what is wrong
            parsed = new Canonical.Parsed(Canonical.parseCanonical(bytes), -1, -1);
        }
        JsonNode node = parsed.node();
        JsonReader r = JsonReader.of(node, "");
        Instant appended = null;
        if (r.has("appended")) {
            Instant read = RecordCodec.instant(r, "appended");
            appended = r.convert("appended", x -> Record.requireTime("the append time", read), null);
        }
        long seq = r.integer("seq", 0, MAX_SEQ);
        Hash prev = r.convert("prev", Hash::fromHex, r.text("prev"));
        r.object("record");
        JsonNode recordNode = node.get("record");
        Record record = RecordCodec.fromJson(recordNode, "record");
        List<Signature> signatures = r.array("signatures", SignedRecord.MAX_SIGNATURES, e -> {
            JsonReader s = e.object();
            KeyId key = s.convert("key", KeyId::of, s.text("key"));
            Signature signature = s.convert("sig", b -> Signature.fromBase64(key, b), s.text("sig"));
            s.done();
            return signature;
        });
        r.done();
        SignedRecord signed;
        try {
            // the entry is canonical (checked above), so the record's canonical bytes are a slice of it
            signed = SignedRecord.decoded(record, Arrays.copyOfRange(bytes, parsed.memberFrom(), parsed.memberTo()), signatures);
        } catch (MalformedInputException e) {
            throw new MalformedRecordException("signatures", e.getMessage(), e);
        }
        return new Entry(seq, prev, signed, appended, bytes.clone());
    }

    public long seq() {
        return seq;
    }

    public Hash prev() {
        return prev;
    }

    public Record record() {
        return signed.record();
    }

    public SignedRecord signed() {
        return signed;
    }

    /**
     * When the ledger appended this entry, by the appending machine's clock; empty for an entry written before format
     * version 2 (docs/formats.md §5).
     */
    public Optional<Instant> appended() {
        return Optional.ofNullable(appended);
    }

    public List<Signature> signatures() {
        return signed.signatures();
    }

    /** The canonical stored bytes. */
    public byte[] canonicalBytes() {
        return canonical.clone();
    }

    /** This entry's hash under {@code algorithm}. */
    public Hash hash(HashAlgorithm algorithm) {
        return algorithm.digest(HASH_LABEL_BYTES, canonical);
    }

    @Override
    public String toString() {
        return "entry " + seq + " (" + signed.record().type() + " " + signed.record().id() + ")";
    }
}
