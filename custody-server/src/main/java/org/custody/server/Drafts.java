package org.custody.server;

import io.javalin.http.HttpStatus;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Signature;
import org.custody.failure.MalformedInputException;
import org.custody.audit.RefusedException;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.store.KeptDraft;
import org.custody.store.KeptDrafts;

/**
 * Handoff drafts and co-signing. An officer opens a draft; the server fixes the record (bag links taken
 * from the ledger) and so the exact bytes to sign; each party signs on their own device and posts the
 * signature, which is checked at once (enrolled, unrevoked key of a party, valid over the bytes). When
 * every party has signed, the record goes to the ledger, whose gate and rules decide: a strict exam's
 * breach refuses it with the rule's code, a record-mode exam stores it with its findings. A draft not
 * fully signed within the configured time expires. Posting the same signature again changes nothing.
 *
 * <p>The drafts and their signatures are kept in the ledger's store ({@link Ledger#drafts()}), each write durable
 * before it is answered, so a restart loses none and, on a PostgreSQL ledger, every server instance sees every draft:
 * a draft opened on one instance is read, signed and committed on another. This instance keeps copies of the drafts it
 * has served and brings each up to date from the store whenever a request names it. Whichever instance takes the last
 * signature commits the record; two that do so at once store it once (the ledger recognises the same record).
 */
final class Drafts {
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Drafts.class);

    private final Ledger ledger;
    private final KeptDrafts store;
    private final LedgerIndex index;
    private final Committer committer;
    private final Metrics.OfLedger metrics;
    private final Clock clock;
    private final Duration ttl;
    private final int maxOpen;
    /** This instance's copies of the drafts it has served, by id. */
    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();

    Drafts(Ledger ledger, LedgerIndex index, Committer committer, Metrics.OfLedger metrics, Clock clock, Duration ttl, int maxOpen) {
        this.ledger = ledger;
        this.store = ledger.drafts();
        this.index = index;
        this.committer = committer;
        this.metrics = metrics;
        this.clock = clock;
        this.ttl = ttl;
        this.maxOpen = maxOpen;
    }

    /**
     * Takes back the open drafts kept in the store (after a restart, or kept by another instance); those that have every
     * signature are committed again (a record stored before is recognised, not stored twice).
     */
    void restore() {
        for (KeptDraft kept : store.open()) {
            Draft d = drafts.computeIfAbsent(kept.id(), id -> Draft.of(kept));
            synchronized (d) {
                if (d.state == Draft.State.OPEN && d.missing().isEmpty()) {
                    try {
                        commit(d);
                    } catch (ApiException busy) {
                        LOG.warn("draft {} is signed in full but the committer is busy; a retried signature post commits it", d.id);
                    }
                }
            }
        }
    }

    /** Opens a handoff draft from a request body; {@code created} is false when a retried open found its draft. */
    record Opened(Draft draft, boolean created) {}

    /**
     * Opens a handoff draft from a request bound strictly to {@code request}; {@code rawBody} identifies a retried open
     * (the same bytes return the same draft).
     */
    Opened open(Caller caller, byte[] rawBody, DraftRequest request) {
        if (!caller.has(ApiRole.OFFICER)) {
            throw ApiException.forbidden("only officers open drafts");
        }
        byte[] requestHash = sha256(rawBody);
        RecordId recordId = request.id();
        if (recordId != null) {
            Optional<Opened> again = retried(caller, recordId, requestHash);
            if (again.isPresent()) {
                return again.get();
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        org.custody.ledger.Draft core = handoff(request, recordId == null ? RecordId.random() : recordId, now);
        refuseIfRefused(core);
        Handoff handoff = (Handoff) core.record();
        Set<String> sites = sites(caller, handoff);
        if (openCount() >= maxOpen) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "too many drafts",
                    maxOpen + " drafts are open already; finish or cancel some, or wait for them to expire");
        }
        Draft draft = new Draft(randomId(), caller.name(), requestHash, handoff, sites, now, now.plus(ttl));
        draft.core = core;
        if (!store.open(draft.kept())) {
            // another request (here or on another instance) opened a draft of this record id first
            return retried(caller, handoff.id(), requestHash).orElseThrow(() -> new ApiException(HttpStatus.CONFLICT,
                    "record id in use", "record id " + handoff.id() + " is used by another draft"));
        }
        drafts.put(draft.id, draft);
        return new Opened(draft, true);
    }

    /**
     * The draft a retried open of {@code recordId} finds: the one opened by the same caller with the same bytes; a
     * draft of the record opened otherwise is a conflict; empty if no draft of the record is kept.
     */
    private Optional<Opened> retried(Caller caller, RecordId recordId, byte[] requestHash) {
        Optional<KeptDraft> kept = store.ofRecord(recordId.value());
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        Draft d = copy(kept.get());
        if (MessageDigest.isEqual(d.requestHash, requestHash) && d.owner.equals(caller.name())) {
            return Optional.of(new Opened(d, false));
        }
        throw new ApiException(HttpStatus.CONFLICT, "record id in use",
                "record id " + recordId + " is already used by draft " + d.id + " for a different handoff");
    }

    /** This instance's copy of the kept draft, brought up to date with it. */
    private Draft copy(KeptDraft kept) {
        Draft d = drafts.computeIfAbsent(kept.id(), id -> Draft.of(kept));
        synchronized (d) {
            d.sync(kept);
        }
        return d;
    }

    /**
     * The core draft of the requested handoff: bag links from the ledger, the bytes to sign fixed, and the custody
     * rules run as a preflight, so a handoff the ledger would refuse is refused before anyone signs.
     */
    private org.custody.ledger.Draft handoff(DraftRequest r, RecordId id, Instant now) {
        Handoff.Builder handoff = Handoff.builder(r.step()).id(id).at(r.at() == null ? now : r.at()).from(r.from()).to(r.to())
                .witnesses(r.witnesses()).place(r.place()).note(r.note()).attachments(r.attachments());
        for (DraftRequest.BagRequest b : r.bags()) {
            handoff.bag(move(b));
        }
        try {
            return ledger.draft(handoff);
        } catch (MalformedInputException e) {
            throw ApiException.badRequest("the handoff is not valid: " + e.getMessage());
        }
    }

    /** A handoff the ledger would refuse is refused before anyone signs: nothing is opened. */
    private static void refuseIfRefused(org.custody.ledger.Draft draft) {
        List<Finding> refusals = draft.refusals();
        if (!refusals.isEmpty()) {
            Finding f = refusals.get(0);
            throw ApiException.refused("the handoff would be refused: " + f.code() + " " + f.message() + "; nothing was opened",
                    f.code(), refusals);
        }
    }

    /** The sites of the handoff's bags ({@code *} for a bag of no site), if the caller is an officer of every one. */
    private Set<String> sites(Caller caller, Handoff handoff) {
        Set<String> sites = new HashSet<>();
        for (BagMove m : handoff.bags()) {
            Bag bag = index.bag(m.bag()).orElseThrow();
            if (!caller.worksAt(bag)) {
                throw ApiException.forbidden("bag " + bag.id() + " belongs to site " + (bag.site() == null ? "(none)" : bag.site())
                        + ", which is not one of your sites");
            }
            sites.add(bag.site() == null ? Caller.ALL_SITES : bag.site());
        }
        return sites;
    }

    /**
     * The requested handoff drafted and checked by the custody rules as the ledger stands now, without opening a draft or
     * storing anything ({@code POST /api/v1/drafts/preflight}): a station shows the refusals before anyone signs, and
     * each signer signs the record's bytes on the station itself. Only an officer of every bag's site asks.
     */
    org.custody.ledger.Draft preflight(Caller caller, DraftRequest request) {
        if (!caller.has(ApiRole.OFFICER)) {
            throw ApiException.forbidden("only officers preflight handoffs");
        }
        RecordId recordId = request.id() == null ? RecordId.random() : request.id();
        org.custody.ledger.Draft core = handoff(request, recordId, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        sites(caller, (Handoff) core.record());
        return core;
    }

    private BagMove move(DraftRequest.BagRequest m) {
        BagId bag = m.bag();
        if (index.bag(bag).isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown bag", "bag " + bag + " is not registered in ledger "
                    + ledger.id(), FindingCode.I07.name(), List.of());
        }
        if (m.label() != null) {
            // the core's label check, as at the vault door: a swapped, forged or stale label refuses the draft (I10)
            BagId labelled = ledger.scanned(m.label());
            if (!labelled.equals(bag)) {
                throw ApiException.badRequest("the scanned label names bag " + labelled + ", not " + bag,
                        "扫描的标签属于试卷袋 " + labelled + "，不是 " + bag);
            }
        }
        try {
            // ledger.move links the bag to its last entry; the request says what was checked
            return new BagMove(bag, ledger.move(bag).prev(), m.count(), m.present(), m.absent(), m.seal(), m.sealState(), m.in());
        } catch (MalformedInputException e) {
            throw ApiException.badRequest("bag " + bag + ": " + e.getMessage());
        }
    }

    /** The draft, if the caller may see it: an officer of its sites, an inspector or an admin. */
    Draft get(Caller caller, String id) {
        Draft d = current(id);
        if (d == null || !(caller.seesDetails() || mayAct(caller, d))) {
            // the same answer for a draft that is not there and one the caller may not see
            throw ApiException.notFound("unknown draft", "no draft " + id + " is open for you");
        }
        synchronized (d) {
            expireIfDue(d);
        }
        return d;
    }

    /** The draft {@code id} as the store keeps it now (another instance may have signed or finished it), or null. */
    private Draft current(String id) {
        Draft d = drafts.get(id);
        if (d != null && d.state != Draft.State.OPEN) {
            return d; // finished here, or being committed here: this instance's copy is the latest
        }
        Optional<KeptDraft> kept = store.get(id);
        if (kept.isEmpty()) {
            return d;
        }
        return copy(kept.get());
    }

    private static boolean mayAct(Caller caller, Draft d) {
        return caller.has(ApiRole.OFFICER) && (caller.sites().contains(Caller.ALL_SITES) || caller.sites().containsAll(d.sites));
    }

    /**
     * Adds one party's signature. When it completes the set, the record is stored before this returns
     * (or refused: then the refusal is thrown, and the draft shows it).
     */
    Draft sign(Caller caller, String id, Signature signature) {
        Draft d = get(caller, id);
        if (!mayAct(caller, d)) {
            throw ApiException.forbidden("only an officer of the draft's sites posts its signatures");
        }
        CompletableFuture<Void> wait;
        synchronized (d) {
            PersonId signer = check(d, signature);
            Signature existing = d.signatures.get(signer);
            if (existing == null && (d.state == Draft.State.OPEN)) {
                store.sign(d.id, signer, signature, clock.instant());
                // read back: another instance may have taken a signature of the same party, or finished the draft, meanwhile
                store.get(d.id).ifPresent(d::sync);
                existing = d.signatures.get(signer);
                if (existing == null) {
                    throw new ApiException(HttpStatus.CONFLICT, "draft " + d.state.wire(),
                            "draft " + d.id + " is " + d.state.wire() + "; it takes no more signatures");
                }
                if (!existing.key().equals(signature.key())) {
                    throw new ApiException(HttpStatus.CONFLICT, "draft " + d.state.wire(),
                            signer + " signed draft " + d.id + " already, with key " + existing.key());
                }
            } else if (existing == null || !existing.key().equals(signature.key())) {
                throw new ApiException(HttpStatus.CONFLICT, "draft " + d.state.wire(),
                        existing == null ? "draft " + d.id + " is " + d.state.wire() + "; it takes no more signatures"
                                : signer + " signed draft " + d.id + " already, with key " + existing.key());
            }
            if (d.state == Draft.State.OPEN && d.missing().isEmpty()) {
                commit(d);
            }
            wait = d.settled;
        }
        if (wait != null) {
            try {
                wait.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the draft's state says what happened; a timeout leaves it committing
            }
        }
        synchronized (d) {
            if (d.state == Draft.State.REFUSED && !d.refusal.isEmpty()) {
                Finding f = d.refusal.get(0);
                throw ApiException.refused("draft " + d.id + " was refused: " + f.code() + " " + f.message(), f.code(), d.refusal)
                        .meanwhile(ledger, d.record);
            }
        }
        return d;
    }

    /** Checks a posted signature against the draft; returns the party who made it. */
    private PersonId check(Draft d, Signature signature) {
        expireIfDue(d);
        if (d.state == Draft.State.EXPIRED || d.state == Draft.State.CANCELLED) {
            throw new ApiException(HttpStatus.GONE, "draft " + d.state.wire(), "draft " + d.id + " is " + d.state.wire()
                    + (d.state == Draft.State.EXPIRED ? " (it expired at " + d.expires + "); open a new one" : ""));
        }
        try {
            return core(d).check(signature);
        } catch (RefusedException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "signature refused", "draft " + d.id + ": " + e.getMessage(),
                    e.code().name(), List.of());
        }
    }

    /** The core draft of {@code d}, which checks signatures by the ledger gate's rules (made again after a restart). */
    private org.custody.ledger.Draft core(Draft d) {
        if (d.core == null) {
            d.core = ledger.draft(d.record);
        }
        return d.core;
    }

    /** Hands the fully signed record to the committer; the draft's state follows the outcome. Caller holds the draft's lock. */
    private void commit(Draft d) {
        CompletableFuture<Appended> result;
        try {
            result = committer.submit(d.signed());
        } catch (ApiException busy) {
            d.settled = null;
            throw busy;
        }
        d.state = Draft.State.COMMITTING;
        d.settled = result.handle((appended, error) -> {
            synchronized (d) {
                d.finished = clock.instant();
                if (error == null) {
                    d.state = Draft.State.COMMITTED;
                    d.appended = appended;
                    metrics.record(d.record.type(), appended.alreadyPresent() ? "already_present" : "stored");
                } else if (error instanceof AppendRefusedException refused) {
                    d.state = Draft.State.REFUSED;
                    d.refusal = refused.findings();
                    metrics.record(d.record.type(), "refused");
                } else {
                    LOG.warn("draft {} could not be stored ({}); its signatures are kept and a retried post commits it", d.id, error.toString());
                    // the store failed (disk, busy): nothing was stored; the signatures stay and a retry commits
                    d.state = Draft.State.OPEN;
                    d.finished = null;
                    d.settled = null;
                }
                if (d.finished()) {
                    finishKept(d);
                }
                return null;
            }
        });
    }

    /** Cancels an open draft. */
    Draft cancel(Caller caller, String id) {
        Draft d = get(caller, id);
        if (!mayAct(caller, d)) {
            throw ApiException.forbidden("only an officer of the draft's sites cancels it");
        }
        synchronized (d) {
            if (d.state == Draft.State.OPEN) {
                Instant now = clock.instant();
                if (store.finish(d.id, Draft.State.CANCELLED.wire(), now, null)) {
                    d.state = Draft.State.CANCELLED;
                    d.finished = now;
                } else {
                    store.get(d.id).ifPresent(d::sync); // another instance finished it first: say how
                }
            }
            if (d.state != Draft.State.CANCELLED) {
                throw new ApiException(HttpStatus.CONFLICT, "draft " + d.state.wire(), "draft " + d.id + " is " + d.state.wire()
                        + " and cannot be cancelled");
            }
        }
        return d;
    }

    private void expireIfDue(Draft d) {
        if (d.state == Draft.State.OPEN && !clock.instant().isBefore(d.expires)) {
            d.state = Draft.State.EXPIRED;
            d.finished = d.expires;
            finishKept(d);
        }
    }

    /**
     * Keeps how {@code d} finished in the store, for the other instances; if another instance finished it first (it
     * committed the same record, say), its ending is taken instead.
     */
    private void finishKept(Draft d) {
        try {
            if (!store.finish(d.id, d.state.wire(), d.finished, d.outcome()) && d.state != Draft.State.COMMITTED) {
                store.get(d.id).filter(kept -> !kept.state().equals(KeptDraft.OPEN)).ifPresent(kept -> {
                    d.state = Draft.State.OPEN;
                    d.refusal = List.of();
                    d.sync(kept);
                });
            }
        } catch (RuntimeException e) {
            // the ledger holds what matters: after a restart the draft comes back and is finished again (expired, or
            // its record recognised as stored)
            LOG.warn("cannot keep how draft {} finished in {}: {}", d.id, ledger.location(), e.getMessage());
        }
    }

    /**
     * Expires due drafts (in the store too, those of every instance) and forgets finished ones after the draft lifetime
     * (at least a minute) has passed again.
     */
    void sweep() {
        Instant now = clock.instant();
        Duration keep = ttl.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : ttl;
        for (Draft d : drafts.values()) {
            synchronized (d) {
                expireIfDue(d);
                if (d.finished() && d.finished != null && now.isAfter(d.finished.plus(keep))) {
                    drafts.remove(d.id, d);
                }
            }
        }
        store.expire(now);
        store.forget(now.minus(keep));
    }

    /** How many drafts are open, on every instance of the ledger. */
    long openCount() {
        return store.openCount();
    }

    static String signedBytesBase64(Draft d) {
        return Base64.getEncoder().encodeToString(d.signedBytes);
    }

    /** People named in the draft, with their details where enrolled (for the view). */
    Person person(PersonId id) {
        return index.person(id).orElse(null);
    }

    private static String randomId() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return "d-" + HexFormat.of().formatHex(b);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
