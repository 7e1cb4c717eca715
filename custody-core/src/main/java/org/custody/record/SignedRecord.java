package org.custody.record;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;

/**
 * A record with the signatures collected so far. Every party signs the same bytes,
 * {@link Record#signedBytes()}; add signatures one person at a time with {@link #signedBy}.
 */
public final class SignedRecord {
    /** Most signatures one record may carry. */
    public static final int MAX_SIGNATURES = Record.MAX_PEOPLE;

    private final Record record;
    private final byte[] canonicalRecord;
    private final List<Signature> signatures;

    private SignedRecord(Record record, byte[] canonicalRecord, List<Signature> signatures) {
        if (signatures.size() > MAX_SIGNATURES) {
            throw new MalformedInputException("at most " + MAX_SIGNATURES + " signatures are allowed");
        }
        Set<KeyId> keys = new HashSet<>();
        for (Signature s : signatures) {
            if (!keys.add(s.key())) {
                throw new MalformedInputException("key " + s.key() + " signed twice");
            }
        }
        this.record = record;
        this.canonicalRecord = canonicalRecord;
        this.signatures = List.copyOf(signatures);
    }

    /** A record nobody has signed yet. */
    public static SignedRecord unsigned(Record record) {
        return new SignedRecord(record, RecordCodec.canonicalBytes(record), List.of());
    }

    /** A record with signatures collected elsewhere (e.g. on other devices). */
    public static SignedRecord of(Record record, List<Signature> signatures) {
        return new SignedRecord(record, RecordCodec.canonicalBytes(record), signatures);
    }

    static SignedRecord decoded(Record record, byte[] canonicalRecord, List<Signature> signatures) {
        return new SignedRecord(record, canonicalRecord, signatures);
    }

    /** This record with one more signature, made by {@code key} over {@link #signedBytes()}. */
    public SignedRecord signedBy(SigningKey key) {
        return with(key.sign(signedBytes()));
    }

    /** This record with one more signature made elsewhere. */
    public SignedRecord with(Signature signature) {
        List<Signature> all = new ArrayList<>(signatures);
        all.add(signature);
        return new SignedRecord(record, canonicalRecord, all);
    }

    /**
     * A record nobody has signed yet, decoded strictly from its canonical bytes ({@link RecordCodec#decode}),
     * which it keeps as they are instead of canonicalising the decoded record again.
     *
     * @throws MalformedRecordException if the bytes are not a record in canonical form
     */
    public static SignedRecord decodeUnsigned(byte[] canonicalRecord) {
        byte[] bytes = canonicalRecord.clone();
        return new SignedRecord(RecordCodec.decode(bytes), bytes, List.of());
    }

    /** This record with {@code more} signatures made elsewhere, added in their order. */
    public SignedRecord withAll(List<Signature> more) {
        List<Signature> all = new ArrayList<>(signatures);
        all.addAll(more);
        return new SignedRecord(record, canonicalRecord, all);
    }

    public Record record() {
        return record;
    }

    public List<Signature> signatures() {
        return signatures;
    }

    /** The canonical JSON bytes of the record. */
    public byte[] canonicalRecord() {
        return canonicalRecord.clone();
    }

    /** The canonical record bytes themselves, not a copy, for this package's composition of entries; never modified. */
    byte[] canonicalRecordShared() {
        return canonicalRecord;
    }

    /** The bytes every party signs. */
    public byte[] signedBytes() {
        return RecordCodec.withLabel(canonicalRecord);
    }

    @Override
    public String toString() {
        return record.type() + " " + record.id() + " signed by " + signatures.stream().map(s -> s.key().hex()).toList();
    }
}
