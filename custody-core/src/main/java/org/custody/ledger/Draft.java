package org.custody.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.audit.RefusedException;
import org.custody.crypto.BadSignatureException;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;
import org.custody.ledger.gate.KeyChanges;
import org.custody.ledger.gate.KeyState;
import org.custody.model.PersonId;
import org.custody.record.Record;
import org.custody.record.SignedRecord;

/**
 * A record on its way into a ledger: the one place where a handoff or incident is prepared, whoever
 * prepares it (the CLI at the vault door, the server for people signing on their own devices, an
 * embedding program). Made by {@link Ledger#draft}, it fixes the bytes every party signs, runs the
 * custody rules as a preflight so a refusal comes before anyone signs, says who still has to sign,
 * and checks each signature as it arrives by the gate's own rules: a key enrolled in the ledger
 * (I04), not revoked for this record (I05), of a party who has not signed yet, over these bytes (I03).
 * The ledger's gate still decides when the record is appended. Not thread-safe: one draft, one caller.
 */
public final class Draft {
    private final Ledger ledger;
    private final SignedRecord unsigned;
    private final byte[] signedBytes;
    private final Map<PersonId, Signature> signatures = new LinkedHashMap<>();

    Draft(Ledger ledger, Record record) {
        if (!record.ledger().equals(ledger.id())) {
            throw new RefusedException(FindingCode.I03, "the record is for ledger " + record.ledger() + ", not " + ledger.id()
                    + " (记录不属于本账本)");
        }
        this.ledger = ledger;
        this.unsigned = SignedRecord.unsigned(record);
        this.signedBytes = unsigned.signedBytes();
        record.parties().forEach(p -> signatures.put(p, null));
    }

    /** The record being signed. */
    public Record record() {
        return unsigned.record();
    }

    /** The bytes every party signs (formats.md §3.4). */
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    /** Every party who must sign, in the record's order. */
    public List<PersonId> parties() {
        return unsigned.record().parties();
    }

    /** The parties who have not signed yet, in the record's order. */
    public List<PersonId> missing() {
        List<PersonId> out = new ArrayList<>();
        signatures.forEach((person, signature) -> {
            if (signature == null) {
                out.add(person);
            }
        });
        return out;
    }

    /** Whether every party has signed. */
    public boolean complete() {
        return missing().isEmpty();
    }

    /**
     * What the ledger would find if the record were appended now, before anyone signs: bag links that are
     * not the bags' current heads (I07), and custody-rule findings (R01-R25) under the exam's policy, with
     * whether each would refuse the append under a strict policy ({@link #refusals()}).
     */
    public List<Finding> preflight() {
        return ledger.preflight(unsigned.record());
    }

    /** The preflight findings that would refuse the append: integrity ones, and refusable rules under a strict policy. */
    public List<Finding> refusals() {
        return ledger.refusals(unsigned.record(), preflight());
    }

    /**
     * Checks a signature made elsewhere (on a signer's own device) by the gate's rules, without adding it,
     * and returns whose it is. For a caller that keeps the signatures itself (the server keeps them durably).
     *
     * @throws RefusedException I04 for a key the ledger never enrolled, I05 for a revoked key, I03 for a
     *                          key of someone who is not a party or a signature that does not verify over
     *                          {@link #signedBytes()}
     */
    public PersonId check(Signature signature) {
        // brought up to the head first: another process may have enrolled or revoked the key since
        KeyDirectory directory = ledger.refreshDirectory();
        Optional<KeyChanges.SignerKey> known = KeyChanges.signer(record(), signature.key(), directory::state);
        KeyState key = known.map(KeyChanges.SignerKey::key).orElseThrow(() -> new RefusedException(FindingCode.I04, "key " + signature.key()
                + " is not enrolled in ledger " + ledger.id() + " (密钥未登记)"));
        if (key.revokedFor(directory.size(), unsigned.record().at())) {
            throw new RefusedException(FindingCode.I05, "key " + signature.key() + " of " + key.person() + " was revoked from "
                    + key.revokedFrom() + " (密钥已吊销)");
        }
        if (!signatures.containsKey(key.person())) {
            throw new RefusedException(FindingCode.I03, key.person() + " (key " + signature.key() + ") is not a party to this "
                    + unsigned.record().type() + "; its parties are " + parties() + " (签字人不是本记录的当事人)");
        }
        try {
            key.key().verify(signedBytes, signature);
        } catch (BadSignatureException e) {
            throw new RefusedException(FindingCode.I03, "the signature by key " + signature.key() + " of " + key.person()
                    + " does not verify over the draft's signed bytes (签名验证失败)", e);
        }
        return key.person();
    }

    /**
     * Adds a signature made elsewhere after {@link #check}ing it, and returns whose it is. The same signature
     * again changes nothing.
     *
     * @throws RefusedException as {@link #check} does, and I03 for a second, different signature by a party
     */
    public PersonId add(Signature signature) {
        PersonId person = check(signature);
        Signature existing = signatures.get(person);
        if (existing != null) {
            if (existing.equals(signature)) {
                return person;
            }
            throw new RefusedException(FindingCode.I03, person + " has signed this draft already (每人只签一次)");
        }
        signatures.put(person, signature);
        return person;
    }

    /** Signs with {@code key} and adds the signature ({@link #add}); returns whose it is. */
    public PersonId sign(SigningKey key) {
        return add(key.sign(signedBytes));
    }

    /** Who signed with which key so far. */
    public Map<PersonId, Signature> signatures() {
        Map<PersonId, Signature> out = new LinkedHashMap<>();
        signatures.forEach((p, s) -> {
            if (s != null) {
                out.put(p, s);
            }
        });
        return out;
    }

    /**
     * The record with every party's signature, in the record's order of parties.
     *
     * @throws RefusedException I03 naming who has not signed yet
     */
    public SignedRecord signed() {
        List<PersonId> missing = missing();
        if (!missing.isEmpty()) {
            throw new RefusedException(FindingCode.I03, "not signed yet by " + missing + " (尚未签字)");
        }
        return unsigned.withAll(List.copyOf(signatures.values()));
    }

    /** Appends the fully signed record to the ledger, through its gate. */
    public Appended append() {
        return ledger.append(signed());
    }

    /** Whether {@code bytes} are exactly the bytes this draft's parties sign. */
    public boolean signs(byte[] bytes) {
        return Arrays.equals(bytes, signedBytes);
    }
}
