package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.EnrolledKey;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.Labelled;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.PlaceKind;
import org.custody.model.RegisteredPlace;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.RecordCodec;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;

/**
 * A station's ledger on a Custody server (docs/server.md), over its HTTP API: scans are checked against each bag's
 * history as the server serves it (the core's label check, run here on entries checked to be canonical), a handoff is
 * preflighted by the server ({@code POST /drafts/preflight}) before anyone signs, each person signs the record's bytes on
 * the station (keys never leave it), and the record signed by all is posted in one request ({@code POST /records}): the
 * server's ledger gate decides, and a record posted twice is stored once. People, places and the policy are read again
 * after {@link #FRESH} at most.
 */
final class RemoteStationLedger implements StationLedger {
    /** How long people, places and the policy read from the server are used before they are read again. */
    static final Duration FRESH = Duration.ofSeconds(30);

    private final RemoteLedger server;
    private final Cached<ServerJson.People> people;
    private final Cached<List<RegisteredPlace>> places;
    private final Cached<Duration> idle;

    private final Duration fresh;

    RemoteStationLedger(Api api) {
        this(api, FRESH);
    }

    /** Over {@code api}, reading people, places and the policy again when older than {@code fresh}. */
    RemoteStationLedger(Api api, Duration fresh) {
        this.server = new RemoteLedger(api);
        this.fresh = fresh;
        this.people = new Cached<>(server::people);
        this.places = new Cached<>(this::readPlaces);
        this.idle = new Cached<>(this::readIdle);
    }

    /**
     * A value read from the server, read again when older than {@link #FRESH}; while the server cannot be reached, the
     * value last read stands (the screen keeps showing who is signed in), and only a first read fails.
     */
    private final class Cached<T> {
        private final Supplier<T> read;
        private T value;
        private long at;

        Cached(Supplier<T> read) {
            this.read = read;
        }

        synchronized T get() {
            if (value == null) {
                return fresh();
            }
            if (System.nanoTime() - at >= fresh.toNanos()) {
                try {
                    return fresh();
                } catch (ServerError e) {
                    if (e.httpStatus() != 0) {
                        throw e;
                    }
                    at = System.nanoTime(); // not asked again at every look while it is down
                }
            }
            return value;
        }

        synchronized T fresh() {
            value = read.get();
            at = System.nanoTime();
            return value;
        }
    }

    @Override
    public LedgerId id() {
        return server.id();
    }

    @Override
    public Suite suite() {
        return server.suite();
    }

    @Override
    public Map<PersonId, Person> people() {
        return people.get().people();
    }

    @Override
    public List<EnrolledKey> keysOf(PersonId person) {
        return people.fresh().keys().stream().filter(k -> k.person().equals(person)).toList();
    }

    @Override
    public Optional<Found> bag(BagId bag) {
        RemoteLedger.History history;
        try {
            history = server.history(bag);
        } catch (ServerError e) {
            if (e.httpStatus() == 404) {
                return Optional.empty();
            }
            if (e.httpStatus() == 403) {
                throw new NotYours("bag " + bag + " belongs to a site this station's token does not work at; set it aside"
                        + " (该袋不属于本工作站令牌所属考点，请单独放置)");
            }
            throw e;
        }
        for (Entry e : history.entries()) {
            if (e.record() instanceof Registration r) {
                for (Bag b : r.bags()) {
                    if (b.id().equals(bag)) {
                        return Optional.of(new Found(b, history.entries()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public List<BagId> contents(BagId container) {
        String path = Api.V1 + "/bags/" + URLEncoder.encode(container.value(), StandardCharsets.UTF_8) + "/contents";
        JsonNode body = server.api().get(path);
        return read(path, () -> {
            List<BagId> out = new ArrayList<>();
            body.path("contents").forEach(b -> out.add(BagId.of(b.asText())));
            return out;
        });
    }

    @Override
    public List<RegisteredPlace> places() {
        return places.get();
    }

    private List<RegisteredPlace> readPlaces() {
        String path = Api.V1 + "/places";
        JsonNode body = server.api().get(path);
        return read(path, () -> {
            List<RegisteredPlace> out = new ArrayList<>();
            for (JsonNode p : body.path("places")) {
                out.add(new RegisteredPlace(ServerJson.text(p, "id", true),
                        Labelled.fromWire(PlaceKind.class, ServerJson.text(p, "kind", true)), ServerJson.text(p, "name", false),
                        ServerJson.text(p, "site", false), ServerJson.text(p, "room", false)));
            }
            return List.copyOf(out);
        });
    }

    /** The sites of the places and the people this station may see: a server does not list every bag's site. */
    @Override
    public boolean isSite(String id) {
        Set<String> sites = new HashSet<>();
        places().forEach(p -> sites.add(p.site()));
        people().values().forEach(p -> sites.add(p.site()));
        return sites.contains(id);
    }

    @Override
    public Duration stationIdle() {
        return idle.get();
    }

    private Duration readIdle() {
        String path = Api.V1 + "/policy";
        JsonNode body = server.api().get(path);
        return read(path, () -> {
            long seconds = body.path("stationIdleSeconds").asLong(0);
            if (seconds <= 0) {
                throw new IllegalArgumentException("'stationIdleSeconds' is missing");
            }
            return Duration.ofSeconds(seconds);
        });
    }

    @Override
    public BagMove move(BagId bag, Hash seen) {
        return BagMove.of(bag, seen);
    }

    @Override
    public Pending draft(Handoff.Builder builder) {
        Handoff asked = builder.ledger(id()).build();
        String path = Api.V1 + "/drafts/preflight";
        JsonNode body = server.api().post(path, RemoteSigning.body(asked));
        Handoff served;
        byte[] bytes;
        List<Finding> refusals;
        List<Finding> warnings;
        try {
            served = (Handoff) ServerJson.record(body.get("record"));
            bytes = Base64.getDecoder().decode(ServerJson.text(body, "signedBytes", true));
            refusals = ServerJson.findings(body.path("refusals"));
            warnings = ServerJson.findings(body.path("warnings"));
        } catch (RuntimeException e) {
            throw new ServerError("the server's answer to " + server.api().url(path) + " cannot be read: " + e.getMessage()
                    + "; is it a Custody server of a compatible version? Nothing was signed", null);
        }
        // what the station's people sign is the record asked for, and the bytes are that record's own
        Handoff handoff = DraftCheck.toSign(served, bytes, "preflight");
        Handoff compared = DraftCheck.withoutCarried(asked, handoff);
        if (!MessageDigest.isEqual(RecordCodec.signedBytes(asked), RecordCodec.signedBytes(compared))) {
            throw new UserError("I07 the server drafts this handoff differently from the bags as scanned: another handoff of"
                    + " a bag was recorded meanwhile (by another station?). Nothing was signed; scan the bags again ('clear')"
                    + " (试卷袋已有新记录，可能由其他工作站办理；未签名，请清空后重新扫描)");
        }
        return new RemotePending(handoff, refusals, warnings);
    }

    /** A preflighted handoff, signed here party by party and posted whole. */
    private final class RemotePending implements Pending {
        private final Handoff handoff;
        private final SignedRecord unsigned;
        private final List<Finding> refusals;
        private final List<Finding> warnings;
        private final Map<PersonId, Signature> signatures = new LinkedHashMap<>();

        RemotePending(Handoff handoff, List<Finding> refusals, List<Finding> warnings) {
            this.handoff = handoff;
            this.unsigned = SignedRecord.unsigned(handoff);
            this.refusals = List.copyOf(refusals);
            this.warnings = List.copyOf(warnings);
        }

        @Override
        public Handoff handoff() {
            return handoff;
        }

        @Override
        public List<Finding> refusals() {
            return refusals;
        }

        @Override
        public List<Finding> warnings() {
            return warnings;
        }

        @Override
        public List<PersonId> missing() {
            return handoff.parties().stream().filter(p -> !signatures.containsKey(p)).toList();
        }

        @Override
        public void sign(PersonId person, SigningKey key) {
            if (!handoff.parties().contains(person)) {
                throw new UserError(person + " is not a party to this handoff; nothing was signed (不是本次交接的当事人，未签名)");
            }
            signatures.put(person, key.sign(unsigned.signedBytes()));
        }

        @Override
        public Appended append() {
            List<Signature> ordered = new ArrayList<>();
            for (PersonId p : handoff.parties()) {
                Signature s = signatures.get(p);
                if (s == null) {
                    throw new IllegalStateException(p + " has not signed");
                }
                ordered.add(s);
            }
            return submit(unsigned.withAll(ordered));
        }
    }

    /**
     * Posts {@code signed} ({@code POST /records}). An answer the server gave is final: stored, or refused with its
     * findings; no answer on the record (unreachable, too busy, or the token refused) is {@link Undelivered}, and the
     * station keeps the record to send it again.
     */
    @Override
    public Appended submit(SignedRecord signed) {
        ObjectNode body = Api.JSON.createObjectNode();
        try {
            body.set("record", Api.JSON.readTree(signed.canonicalRecord()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode sigs = body.putArray("signatures");
        signed.signatures().forEach(s -> sigs.addObject().put("key", s.key().hex()).put("sig", s.base64()));
        String path = Api.V1 + "/records";
        JsonNode answer;
        try {
            answer = server.api().post(path, body);
        } catch (ServerError e) {
            int status = e.httpStatus();
            if (status == 0 || status == 401 || status == 403 || status == 429 || status >= 500) {
                // no answer on the record itself: it is kept, and sent again when the server (or a token) answers
                throw new Undelivered(signed, e);
            }
            if (!e.findings().isEmpty()) {
                throw new AppendRefusedException(0, e.findings());
            }
            throw new UserError(e.getMessage() + " (服务器拒绝了该记录，未保存)");
        }
        return read(path, () -> new Appended(answer.path("seq").asLong(), Hash.fromHex(ServerJson.text(answer, "hash", true)),
                answer.path("alreadyPresent").asBoolean(), ServerJson.findings(answer.path("findings"))));
    }

    private <T> T read(String path, Supplier<T> read) {
        return server.parsed(path, read);
    }

    @Override
    public void close() {
        // nothing held open: each request is its own
    }
}
