package org.custody.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.custody.audit.Finding;
import org.custody.audit.FindingJson;
import org.custody.crypto.Hash;
import org.custody.record.RecordCodec;
import org.custody.store.KeptDraft;
import org.custody.crypto.Signature;
import org.custody.ledger.Appended;
import org.custody.model.PersonId;
import org.custody.record.Record;
import org.custody.record.SignedRecord;

/**
 * A record waiting for its parties' signatures. Mutable, guarded by its own monitor; {@link Drafts}
 * drives it. The record, and so the bytes to sign, never change after the draft is opened. The ledger's store keeps
 * it ({@link KeptDraft}): this is one server instance's copy, brought up to date from the store ({@link #sync}) as
 * other instances add signatures or finish it.
 */
final class Draft {
    enum State { OPEN, COMMITTING, COMMITTED, REFUSED, EXPIRED, CANCELLED;
        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }

    final String id;
    final String owner;
    final byte[] requestHash;
    final Record record;
    final byte[] signedBytes;
    /** The record unsigned, holding its canonical bytes, so that committing does not canonicalise it again. */
    private final SignedRecord unsigned;
    final Set<String> sites;
    final Instant opened;
    final Instant expires;
    /** Signatures by party, in the order they arrived. */
    final Map<PersonId, Signature> signatures = new LinkedHashMap<>();
    State state = State.OPEN;
    Instant finished;
    Appended appended;
    List<Finding> refusal = List.of();
    /** The core draft that checks each signature by the ledger gate's rules; made when first needed after a restart. */
    org.custody.ledger.Draft core;
    /** Completes once a commit has been tried and this draft's state updated. */
    CompletableFuture<Void> settled;

    Draft(String id, String owner, byte[] requestHash, Record record, Set<String> sites, Instant opened, Instant expires) {
        this.id = id;
        this.owner = owner;
        this.requestHash = requestHash.clone();
        this.record = record;
        this.unsigned = SignedRecord.unsigned(record);
        this.signedBytes = unsigned.signedBytes();
        this.sites = Set.copyOf(sites);
        this.opened = opened;
        this.expires = expires;
    }

    /** A draft as the store keeps it. */
    static Draft of(KeptDraft k) {
        Draft d = new Draft(k.id(), k.owner(), k.requestHash().bytes(), RecordCodec.decode(k.record()), k.sites(), k.opened(),
                k.expires());
        d.sync(k);
        return d;
    }

    /** The draft for the store: no signature, open. */
    KeptDraft kept() {
        return new KeptDraft(id, record.id().value(), owner, Hash.of(requestHash), unsigned.canonicalRecord(), sites, opened,
                expires, KeptDraft.OPEN, null, null, List.of());
    }

    /**
     * Takes in what the store keeps of this draft: the signatures other instances took, and how it finished if another
     * finished it. A draft this instance is committing keeps its own state until the commit settles.
     */
    void sync(KeptDraft k) {
        for (KeptDraft.KeptSignature s : k.signatures()) {
            signatures.putIfAbsent(s.person(), s.signature());
        }
        State kept = State.fromWire(k.state());
        if (kept == State.OPEN || state != State.OPEN) {
            return;
        }
        state = kept;
        finished = k.finished();
        KeptDraft.Outcome o = k.outcome();
        List<Finding> findings = o == null ? List.of() : o.findings().stream().map(FindingJson::parse).toList();
        if (kept == State.COMMITTED && o != null && o.hash() != null) {
            appended = new Appended(o.seq(), o.hash(), o.alreadyPresent(), findings);
        } else if (kept == State.REFUSED) {
            refusal = findings;
        }
    }

    /** How this finished draft ended, for the store. */
    KeptDraft.Outcome outcome() {
        if (appended != null) {
            return new KeptDraft.Outcome(appended.seq(), appended.hash(), appended.alreadyPresent(),
                    appended.findings().stream().map(FindingJson::bytes).toList());
        }
        if (!refusal.isEmpty()) {
            return new KeptDraft.Outcome(-1, null, false, refusal.stream().map(FindingJson::bytes).toList());
        }
        return null;
    }

    /** Parties who have not signed yet, in party order. */
    List<PersonId> missing() {
        List<PersonId> out = new ArrayList<>();
        for (PersonId p : record.parties()) {
            if (!signatures.containsKey(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The record with every signature, in party order. */
    SignedRecord signed() {
        List<Signature> ordered = new ArrayList<>();
        for (PersonId p : record.parties()) {
            ordered.add(signatures.get(p));
        }
        return unsigned.withAll(ordered);
    }

    boolean finished() {
        return state != State.OPEN && state != State.COMMITTING;
    }
}
