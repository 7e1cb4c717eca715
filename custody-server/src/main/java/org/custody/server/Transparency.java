package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.VerifiedNote;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.ledger.bundle.Bundle;
import org.custody.merkle.ConsistencyProof;
import org.custody.merkle.InclusionProof;
import org.custody.merkle.TreeHasher;
import org.custody.model.Person;
import org.custody.model.Role;
import org.custody.record.Entry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes over the ledger's transparency layer (docs/merkle.md, docs/checkpoints.md, docs/formats.md section 11):
 * signed checkpoints as C2SP signed notes, inclusion and consistency proofs, inspectors' cosignatures, and the
 * streamed export bundle: the transparency controller. Everything is read and stored through the {@link Ledger} API.
 */
final class Transparency {
    static final String NOTE_TYPE = "text/plain; charset=utf-8";
    static final String BUNDLE_TYPE = "text/plain; charset=utf-8";
    /** Largest cosignature body: one signature line is far smaller than a note (64 KiB). */
    static final int MAX_COSIGNATURE_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Transparency.class);

    private final Ledger ledger;
    private final LedgerIndex index;
    private final Clock clock;
    private final long maxCosignatureBytes;

    Transparency(Ledger ledger, LedgerIndex index, Clock clock, long maxBodyBytes) {
        this.ledger = ledger;
        this.index = index;
        this.clock = clock;
        this.maxCosignatureBytes = Math.min(maxBodyBytes, MAX_COSIGNATURE_BYTES);
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    void latestCheckpoint(Context ctx, Caller caller) {
        noQuery(ctx);
        SignedNote note = ledger.latestCheckpoint().orElseThrow(() -> ApiException.notFound("no checkpoint",
                "ledger " + ledger.id() + " has no signed checkpoint yet"));
        ctx.contentType(NOTE_TYPE).result(note.bytes());
    }

    void checkpoint(Context ctx, Caller caller) {
        noQuery(ctx);
        long size = number("size", ctx.pathParam("size"));
        long stored = ledger.head().size();
        if (size > stored) {
            throw ApiException.badRequest("size " + size + " is beyond the ledger, which holds " + stored + " entries");
        }
        SignedNote note = ledger.checkpoint(size).orElseThrow(() -> ApiException.notFound("no checkpoint",
                "ledger " + ledger.id() + " has no checkpoint of size " + size));
        ctx.contentType(NOTE_TYPE).result(note.bytes());
    }

    // ------------------------------------------------------------------------------------------ proofs

    /** {@code ?seq=&size=}: the inclusion proof of entry {@code seq} in the tree of the first {@code size} entries. */
    void inclusion(Context ctx, Caller caller) {
        Map<String, String> q = query(ctx, "seq", "size");
        long seq = number("seq", q.get("seq"));
        long size = number("size", q.get("size"));
        long stored = ledger.head().size();
        if (size > stored) {
            throw ApiException.badRequest("size " + size + " is beyond the ledger, which holds " + stored + " entries");
        }
        if (seq >= size) {
            throw ApiException.badRequest("seq " + seq + " is not in the tree of size " + size
                    + (size == 0 ? " (it is empty)" : " (entries 0.." + (size - 1) + ")"));
        }
        Entry entry = ledger.entry(seq).orElseThrow(() -> ApiException.notFound("no entry", "entry " + seq + " is missing"));
        InclusionProof proof;
        Hash root;
        try {
            proof = ledger.inclusionProof(seq, size);
            root = ledger.root(size);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("seq", seq);
        out.put("size", size);
        out.put("leafHash", TreeHasher.of(ledger.suite().hash()).leafHash(entry.canonicalBytes()).hex());
        out.put("root", root.hex());
        out.set("hashes", hexes(proof.hashes()));
        ctx.json(out);
    }

    /** {@code ?from=&to=}: the consistency proof from the tree of the first {@code from} entries to the first {@code to}. */
    void consistency(Context ctx, Caller caller) {
        Map<String, String> q = query(ctx, "from", "to");
        long from = number("from", q.get("from"));
        long to = number("to", q.get("to"));
        long stored = ledger.head().size();
        if (to > stored) {
            throw ApiException.badRequest("to " + to + " is beyond the ledger, which holds " + stored + " entries");
        }
        if (from == 0) {
            throw ApiException.badRequest("from must be at least 1: a proof from the empty tree proves nothing");
        }
        if (from > to) {
            throw ApiException.badRequest("from " + from + " is larger than to " + to + "; a tree is consistent only with a larger one");
        }
        ConsistencyProof proof;
        Hash fromRoot;
        Hash toRoot;
        try {
            proof = ledger.consistencyProof(from, to);
            fromRoot = ledger.root(from);
            toRoot = ledger.root(to);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("from", from);
        out.put("to", to);
        out.put("fromRoot", fromRoot.hex());
        out.put("toRoot", toRoot.hex());
        out.set("hashes", hexes(proof.hashes()));
        ctx.json(out);
    }

    private static ArrayNode hexes(List<Hash> hashes) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        hashes.forEach(h -> a.add(h.hex()));
        return a;
    }

    // ------------------------------------------------------------------------------------------ cosignatures

    /**
     * One inspector's cosignature line ({@code — <name> <base64(key id || timestamp || signature)>}) for the latest
     * checkpoint, or for the one of {@code ?size=}. It must verify under a cosignature key made from a key enrolled
     * in the ledger for a discipline inspector and not revoked; only then is it stored.
     */
    void cosign(Context ctx, Caller caller) throws IOException {
        Map<String, String> q = query(ctx, "size");
        String line = line(Requests.text(ctx, maxCosignatureBytes));
        Optional<SignedNote> target;
        if (q.containsKey("size")) {
            long size = number("size", q.get("size"));
            target = ledger.checkpoint(size);
            if (target.isEmpty()) {
                throw ApiException.notFound("no checkpoint", "ledger " + ledger.id() + " has no checkpoint of size " + size + " to cosign");
            }
        } else {
            target = ledger.latestCheckpoint();
            if (target.isEmpty()) {
                throw ApiException.notFound("no checkpoint", "ledger " + ledger.id() + " has no signed checkpoint to cosign yet");
            }
        }
        String text = target.get().text();
        long size = Checkpoint.parse(text).size();
        SignedNote note;
        try {
            note = SignedNote.parse((text + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (MalformedNoteException e) {
            throw ApiException.badRequest("the body is not a signature line '— <key name> <base64>': " + e.getMessage());
        }
        NoteSignature sig = note.signatures().get(0);
        List<Candidate> candidates = new ArrayList<>();
        String other = null;
        for (Map.Entry<Person, List<org.custody.ledger.EnrolledKey>> e : index.people()) {
            boolean inspector = e.getKey().cosignsCheckpoints();
            for (org.custody.ledger.EnrolledKey k : e.getValue()) {
                NoteKey key = NoteKey.of(sig.name(), NoteKeyType.of(k.key().algorithm(), true), k.key());
                if (key.id().equals(sig.keyId())) {
                    if (inspector) {
                        candidates.add(new Candidate(key, k));
                    } else {
                        other = e.getKey().id().value();
                    }
                }
            }
        }
        String who = sig.name() + "+" + sig.keyId();
        if (candidates.isEmpty()) {
            if (other != null) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "not an inspector's key", "cosignature key " + who
                        + " is a key of " + other + ", who is neither a witness (" + Role.WITNESS_COSIGNER.wire() + ") nor a discipline"
                        + " inspector (" + Role.DISCIPLINE_INSPECTOR.wire() + "); only witnesses and inspectors cosign checkpoints");
            }
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unknown cosignature key", "no key enrolled in ledger "
                    + ledger.id() + " for a witness_cosigner or a discipline inspector gives the cosignature key " + who
                    + " (its id is the first 4 bytes of SHA-256(name, type, public key)); enrol the witness's key first",
                    FindingCode.I04.name(), List.of());
        }
        NoteVerificationException failure = null;
        for (Candidate c : candidates) {
            VerifiedNote verified;
            try {
                verified = NoteVerifier.of(List.of(c.key())).verify(note);
            } catch (NoteVerificationException e) {
                failure = e;
                continue;
            }
            Instant at = verified.cosignedAt(c.key().name()).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "bad cosignature", "the line by " + who + " is not a cosignature", FindingCode.I03.name(), List.of()));
            Instant revoked = c.info().revokedFrom();
            if (revoked != null && (!revoked.isAfter(at) || !revoked.isAfter(clock.instant()))) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "revoked cosignature key", "cosignature key " + who
                        + " is key " + c.info().id() + " of " + c.info().person() + ", revoked from " + revoked,
                        FindingCode.I05.name(), List.of());
            }
            SignedNote stored;
            try {
                stored = ledger.addCosignature(note, c.key());
            } catch (NoteVerificationException e) {
                failure = e;
                continue;
            } catch (MalformedInputException | IllegalArgumentException e) {
                throw new ApiException(HttpStatus.CONFLICT, "checkpoint changed", e.getMessage());
            }
            LOG.info("stored the cosignature of {} ({}) on checkpoint {} of {}", who, c.info().person(), size, ledger.id());
            ctx.contentType(NOTE_TYPE).result(stored.bytes());
            return;
        }
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "bad cosignature", "the cosignature by " + who
                + " does not verify over the checkpoint of size " + size + " of " + ledger.origin()
                + (q.containsKey("size") ? "" : " (the latest; if it cosigns an earlier checkpoint, name it with ?size=)")
                + ": " + failure.getMessage(), FindingCode.I03.name(), List.of());
    }

    private record Candidate(NoteKey key, org.custody.ledger.EnrolledKey info) {}

    /** The body as one line of UTF-8 text, its one final newline optional. */
    private static String line(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the body is not UTF-8 text");
        }
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw ApiException.badRequest("the body is empty; send one cosignature line '— <key name> <base64>'");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw ApiException.badRequest("the body has more than one line; send exactly one cosignature line");
        }
        return text;
    }

    // ------------------------------------------------------------------------------------------ export

    /**
     * Streams the {@code custody-bundle/v1} export of the ledger file straight to the response: read in one
     * transaction, written through a small buffer, so memory does not grow with the ledger. A failure after the
     * first bytes were sent cannot change the status; the client then gets a bundle without its {@code end} line,
     * which every reader refuses.
     */
    void export(Context ctx, Caller caller) throws IOException {
        noQuery(ctx);
        ctx.contentType(BUNDLE_TYPE);
        ctx.header("Content-Disposition", "attachment; filename=\"" + ledger.id().value() + ".bundle\"");
        ctx.header("Cache-Control", "no-store");
        OutputStream out = ctx.res().getOutputStream();
        try {
            Bundle.Exported done = Bundle.export(ledger.file(), out);
            out.flush();
            LOG.info("exported {} entries, {} tiles and {} checkpoints of {}", done.entries(), done.tiles(), done.checkpoints(), ledger.id());
        } catch (UncheckedIOException e) {
            LOG.info("export of {} stopped: the client went away ({})", ledger.id(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ parameters

    private static void noQuery(Context ctx) {
        query(ctx);
    }

    /** The query parameters, each at most once and all of them among {@code allowed}. */
    private static Map<String, String> query(Context ctx, String... allowed) {
        Set<String> known = Set.of(allowed);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw ApiException.badRequest("unknown query parameter '" + shorten(e.getKey()) + "'"
                        + (allowed.length == 0 ? "; this resource takes none" : "; expected " + String.join(", ", allowed)));
            }
            if (e.getValue().size() != 1) {
                throw ApiException.badRequest("query parameter " + e.getKey() + " is given " + e.getValue().size() + " times");
            }
            out.put(e.getKey(), e.getValue().get(0));
        }
        return out;
    }

    /** A tree size or index: decimal, no sign, no leading zero, below 2^63. */
    static long number(String name, String value) {
        if (value == null) {
            throw ApiException.badRequest(name + " is required (a whole number of 0 or more)");
        }
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')
                || (value.length() > 1 && value.charAt(0) == '0')) {
            throw ApiException.badRequest(name + " must be a whole number of 0 or more without sign or leading zeros, got '"
                    + shorten(value) + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " is 2^63 or more: '" + value + "'");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
