package org.custody.ledger.gate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.BadSignatureException;
import org.custody.crypto.Hash;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Signature;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Genesis;
import org.custody.record.Record;
import org.custody.record.Registration;

/**
 * The integrity checks of one entry against the ledger state (I02-I07), shared by the append gate, which
 * stops at the first finding, and the verifier, which collects them all. Signature arithmetic is split
 * off into {@link Pending#verifySignatures} so callers can run it in parallel; everything else runs in
 * ledger order and updates the state.
 */
public final class EntryChecker {
    private final LedgerState state;

    public EntryChecker(LedgerState state) {
        this.state = state;
    }

    /**
     * Checks {@code entry} (whose hash is {@code hash}) found at position {@code expectedSeq} of the ledger,
     * reports findings to {@code out}, applies the entry to the state, and returns the signature checks
     * still to do. Findings and state name the entry by its position, not by the sequence number it claims.
     */
    public Pending check(Entry entry, Hash hash, long expectedSeq, Hash expectedPrev, List<Finding> out) {
        Record record = entry.record();
        long seq = expectedSeq;
        if (entry.seq() != expectedSeq) {
            out.add(Finding.of(FindingCode.I06, seq, hash, "sequence number out of order").comparing(expectedSeq, entry.seq()));
        }
        if (!entry.prev().equals(expectedPrev)) {
            out.add(Finding.of(FindingCode.I02, seq, hash, "previous-entry hash does not match the entry before it")
                    .comparing(expectedPrev, entry.prev()));
        }
        boolean first = expectedSeq == 0;
        if (record instanceof Genesis genesis) {
            if (!first || state.ledger() != null) {
                out.add(Finding.of(FindingCode.I01, seq, hash, "a genesis record may only be the first entry"));
            } else {
                state.initialise(genesis.ledger(), genesis.suite());
            }
        } else if (first && state.ledger() == null) {
            out.add(Finding.of(FindingCode.I01, seq, hash, "the first entry must be a genesis record, found " + record.type()));
        }
        if (state.ledger() != null && !record.ledger().equals(state.ledger())) {
            out.add(Finding.of(FindingCode.I03, seq, hash, "record was signed for another ledger")
                    .comparing(state.ledger(), record.ledger()));
        }
        List<Check> checks = resolveSigners(entry, seq, hash, out);
        checkBags(entry, seq, hash, out);
        apply(entry, seq, hash, out);
        return new Pending(seq, hash, entry.signed().signedBytes(), checks);
    }

    private List<Check> resolveSigners(Entry entry, long seq, Hash hash, List<Finding> out) {
        Record record = entry.record();
        Map<PersonId, Boolean> signedBy = new LinkedHashMap<>();
        record.parties().forEach(p -> signedBy.put(p, false));
        List<Check> checks = new ArrayList<>();
        boolean unknownKey = false;
        for (Signature sig : entry.signatures()) {
            Optional<Signer> signer = signer(record, seq, sig, hash, out);
            if (signer.isEmpty()) {
                unknownKey = true;
                continue;
            }
            PersonId person = signer.get().person();
            Boolean already = signedBy.get(person);
            if (already == null) {
                out.add(Finding.of(FindingCode.I03, seq, hash, "signed by " + person + ", who is not a party to this "
                        + record.type()).withPeople(List.of(person)));
            } else if (already) {
                out.add(Finding.of(FindingCode.I03, seq, hash, person + " signed more than once").withPeople(List.of(person)));
            } else {
                signedBy.put(person, true);
            }
            if (!signer.get().revoked()) {
                checks.add(new Check(sig, signer.get().key(), person));
            }
        }
        if (record instanceof Enrolment enrolment
                && entry.signatures().stream().noneMatch(s -> s.key().equals(enrolment.key().id()))) {
            out.add(Finding.of(FindingCode.I03, seq, hash, "the key being enrolled did not sign: no proof that "
                    + enrolment.person().id() + " holds it").withPeople(List.of(enrolment.person().id())));
        }
        if (!unknownKey) {
            for (Map.Entry<PersonId, Boolean> party : signedBy.entrySet()) {
                if (!party.getValue()) {
                    out.add(Finding.of(FindingCode.I03, seq, hash, "signature of " + party.getKey() + " is missing")
                            .withPeople(List.of(party.getKey())));
                }
            }
        }
        return checks;
    }

    /** The person and key behind {@code sig}, or empty (with an I04 finding) if the key is unknown. */
    private Optional<Signer> signer(Record record, long seq, Signature sig, Hash hash, List<Finding> out) {
        Optional<KeyChanges.SignerKey> known = KeyChanges.signer(record, sig.key(), state::key);
        if (known.isEmpty()) {
            out.add(Finding.of(FindingCode.I04, seq, hash, "signed with key " + sig.key() + ", which was never enrolled"));
            return Optional.empty();
        }
        KeyState key = known.get().key();
        if (known.get().fromRecord()) { // the genesis's founders and the key being enrolled sign as they are
            return Optional.of(new Signer(key.person(), key.key(), false));
        }
        boolean revoked = key.revokedFor(seq, record.at());
        Optional<LedgerState.LaterRevocation> later = revoked ? Optional.empty() : state.laterRevocation(sig.key())
                .filter(r -> r.seq() != seq && !record.at().isBefore(r.from()));
        if (revoked) {
            out.add(Finding.of(FindingCode.I05, seq, hash, "signed with key " + sig.key() + " of " + key.person()
                    + ", revoked from " + key.revokedFrom() + " by entry " + key.revokedSeq())
                    .withPeople(List.of(key.person())).comparing("signed before " + key.revokedFrom(), record.at()));
        } else if (later.isPresent() && later.get().seq() < seq) { // a revocation before this entry that was not applied
            revoked = true;
            out.add(Finding.of(FindingCode.I05, seq, hash, "signed with key " + sig.key() + " of " + key.person()
                    + ", which entry " + later.get().seq() + " revokes from " + later.get().from())
                    .withPeople(List.of(key.person())).comparing("signed before " + later.get().from(), record.at()));
        } else if (later.isPresent()) {
            // a compromise declaration appended after this entry: the signature is checked as usual and stands as
            // recorded, and the entry is listed (R18) rather than failing the ledger
            out.add(Finding.of(FindingCode.R18, seq, hash, "signed with key " + sig.key() + " of " + key.person()
                    + ", which entry " + later.get().seq() + " later declared compromised from " + later.get().from())
                    .withPeople(List.of(key.person())).inChinese("该记录所用密钥事后被声明泄露（第" + later.get().seq() + "条记录）")
                    .comparing("signed before " + later.get().from(), record.at()).at(record.at()));
        }
        return Optional.of(new Signer(key.person(), key.key(), revoked));
    }

    private void checkBags(Entry entry, long seq, Hash hash, List<Finding> out) {
        if (entry.record() instanceof Registration registration) {
            for (var bag : registration.bags()) {
                Optional<LedgerState.BagHead> existing = state.bagHead(bag.id());
                if (existing.isPresent()) {
                    out.add(Finding.of(FindingCode.I07, seq, hash, "bag " + bag.id() + " is already registered (entry "
                            + existing.get().seq() + ")").withBags(List.of(bag.id())));
                }
                state.putBagHead(bag.id(), new LedgerState.BagHead(seq, hash));
            }
        }
        for (BagMove move : entry.record().moves()) {
            BagId bag = move.bag();
            Optional<LedgerState.BagHead> head = state.bagHead(bag);
            if (head.isEmpty()) {
                out.add(Finding.of(FindingCode.I07, seq, hash, "bag " + bag + " was never registered")
                        .withBags(List.of(bag)));
            } else if (!head.get().hash().equals(move.prev())) {
                out.add(Finding.of(FindingCode.I07, seq, hash, "bag " + bag + " does not link to its last entry ("
                        + head.get().seq() + ")").withBags(List.of(bag)).comparing(head.get().hash(), move.prev()));
            }
            state.putBagHead(bag, new LedgerState.BagHead(seq, hash));
        }
    }

    /** Applies the entry's key changes (KeyChanges.change, the one statement of them) to the state; its problems are findings. */
    private void apply(Entry entry, long seq, Hash hash, List<Finding> out) {
        KeyChanges.Change change = KeyChanges.change(seq, entry.record(), state::key,
                state.suite() == null ? null : state.suite().signature());
        for (KeyChanges.Problem p : change.problems()) {
            out.add(Finding.of(p.code(), seq, hash, p.message()).withPeople(p.people()));
        }
        change.keys().forEach(state::putKey);
    }

    private record Signer(PersonId person, PublicKey key, boolean revoked) {}

    /** One signature to check against the key it resolved to. */
    public record Check(Signature signature, PublicKey key, PersonId person) {}

    /** The signature checks of one entry, to run after the ordered checks, possibly on other threads. */
    public record Pending(long seq, Hash hash, byte[] signedBytes, List<Check> checks) {
        /** Runs every check in turn and reports each signer whose signature fails, once. */
        public void verifySignatures(List<Finding> out) {
            Finding[] results = new Finding[checks.size()];
            for (int i = 0; i < results.length; i++) {
                results[i] = verify(i);
            }
            report(results, out);
        }

        /** Runs check {@code i} alone (checks are independent): a finding if the signature fails, else {@code null}. */
        public Finding verify(int i) {
            Check check = checks.get(i);
            try {
                check.key().verify(signedBytes, check.signature());
                return null;
            } catch (BadSignatureException e) {
                return failed(i, e.getMessage());
            }
        }

        /** The finding for check {@code i}, whose signature did not verify for the reason {@code error}. */
        Finding failed(int i, String error) {
            Check check = checks.get(i);
            return Finding.of(FindingCode.I03, seq, hash, "signature of " + check.person() + " does not verify: "
                    + error).withPeople(List.of(check.person()));
        }

        /** Reports the findings of {@link #verify} for checks {@code 0..n-1}, at most one per signer. */
        void report(Finding[] results, List<Finding> out) {
            Set<PersonId> reported = new HashSet<>();
            for (int i = 0; i < results.length; i++) {
                if (results[i] != null && reported.add(checks.get(i).person())) {
                    out.add(results[i]);
                }
            }
        }
    }
}
