package org.custody.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.IncidentType;
import org.custody.model.Labelled;
import org.custody.model.LedgerId;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.Place;
import org.custody.model.PlaceKind;
import org.custody.model.RegisteredPlace;
import org.custody.model.RecordId;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;

/**
 * The JSON form of records (docs/formats.md). Encoding is total; decoding is strict: unknown fields,
 * nulls, empty arrays, non-canonical times, hex or base64, and unsorted sets are rejected.
 */
public final class RecordCodec {
    /** Version of the record format, written as {@code "v": 1}. */
    public static final int VERSION = 1;
    /** Domain-separation label prefixed to the canonical record bytes that people sign. */
    public static final String SIGNED_LABEL = "custody/record/v1\n";

    /** The latest time a record may carry (Record.requireTime), parsed once. */
    static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59Z");

    private static final byte[] SIGNED_LABEL_BYTES = SIGNED_LABEL.getBytes(StandardCharsets.US_ASCII);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RecordCodec() {}

    /** The canonical JSON bytes of {@code record}. */
    public static byte[] canonicalBytes(Record record) {
        return Canonical.bytes(toJson(record));
    }

    /** The bytes every party signs: {@link #SIGNED_LABEL} followed by the canonical record. */
    public static byte[] signedBytes(Record record) {
        return withLabel(canonicalBytes(record));
    }

    static byte[] withLabel(byte[] canonicalRecord) {
        byte[] out = new byte[SIGNED_LABEL_BYTES.length + canonicalRecord.length];
        System.arraycopy(SIGNED_LABEL_BYTES, 0, out, 0, SIGNED_LABEL_BYTES.length);
        System.arraycopy(canonicalRecord, 0, out, SIGNED_LABEL_BYTES.length, canonicalRecord.length);
        return out;
    }

    /** Decodes canonical record bytes, strictly. */
    public static Record decode(byte[] canonical) {
        return fromJson(Canonical.parseCanonical(canonical), "");
    }

    // ---------------------------------------------------------------- encoding

    static ObjectNode toJson(Record record) {
        ObjectNode o = JSON.objectNode();
        o.put("v", VERSION);
        o.put("type", record.type());
        o.put("id", record.id().value());
        o.put("ledger", record.ledger().value());
        o.put("at", record.at().toString());
        if (record instanceof Genesis g) {
            o.put("suite", g.suite().wire());
            ArrayNode founders = o.putArray("founders");
            for (Founder f : g.founders()) {
                ObjectNode fo = founders.addObject();
                fo.set("person", person(f.person()));
                fo.set("key", key(f.key()));
            }
        } else if (record instanceof Enrolment e) {
            o.set("person", person(e.person()));
            o.set("key", key(e.key()));
            o.put("sponsor", e.sponsor().value());
        } else if (record instanceof Revocation r) {
            o.put("key", r.key().hex());
            o.put("effective", r.effective().toString());
            o.put("reason", r.reason());
            o.set("by", people(r.by()));
        } else if (record instanceof Registration r) {
            if (!r.bags().isEmpty()) {
                ArrayNode bags = o.putArray("bags");
                r.bags().forEach(b -> bags.add(bag(b)));
            }
            if (!r.places().isEmpty()) { // added 2026-12 without a version step: a registration of bags keeps its bytes
                ArrayNode places = o.putArray("places");
                r.places().forEach(p -> places.add(registeredPlace(p)));
            }
            o.set("by", people(r.by()));
        } else if (record instanceof Handoff h) {
            o.put("step", h.step().wire());
            if (h.from() != null) o.put("from", h.from().value());
            o.put("to", h.to().value());
            if (!h.witnesses().isEmpty()) o.set("witnesses", people(h.witnesses()));
            o.set("place", place(h.place()));
            o.set("bags", moves(h.bags()));
            putOpt(o, "note", h.note());
            putAttachments(o, h.attachments());
        } else if (record instanceof Incident i) {
            o.put("incident", i.incident().wire());
            if (!i.bags().isEmpty()) o.set("bags", moves(i.bags()));
            o.set("by", people(i.by()));
            if (i.place() != null) o.set("place", place(i.place()));
            if (i.set() != null) {
                ObjectNode s = o.putObject("set");
                s.put("exam", i.set().exam());
                s.put("session", i.set().session());
                s.put("subject", i.set().subject());
                s.put("set", i.set().set());
            }
            if (i.refers() != null) o.put("refers", i.refers().hex());
            o.put("note", i.note());
            putAttachments(o, i.attachments());
        } else if (record instanceof PolicyRecord p) {
            putPolicy(o, p.policy());
            o.set("by", people(p.by()));
        } else if (record instanceof ScheduleRecord s) {
            o.put("exam", s.exam());
            ArrayNode sessions = o.putArray("sessions");
            for (ExamSession session : s.sessions()) {
                ObjectNode so = sessions.addObject();
                so.put("session", session.session());
                putOpt(so, "subject", session.subject());
                so.put("startsAt", session.startsAt().toString());
                so.put("endsAt", session.endsAt().toString());
            }
            o.set("by", people(s.by()));
        }
        return o;
    }

    /** The members of {@code policy} as a policy record (and the rules' stored state) writes them. */
    static void putPolicy(ObjectNode o, Policy policy) {
        o.put("exam", policy.exam());
        o.put("mode", policy.mode().wire());
        o.put("minSigners", policy.minSigners());
        o.put("distributionStaff", policy.distributionStaff());
        o.put("openingLeadMinutes", policy.openingLead().toMinutes());
        o.put("returnWithinMinutes", policy.returnWithin().toMinutes());
        o.put("inspectionIntervalMinutes", policy.inspectionInterval().toMinutes());
        o.put("zone", policy.zone().getId());
        o.put("answerSheetsScanned", policy.answerSheetsScanned());
        // optional members are written only when stated: a policy without them keeps its bytes
        if (policy.futureTolerance() != null) o.put("futureToleranceMinutes", policy.futureTolerance().toMinutes());
        if (policy.recordWithin() != null) o.put("recordWithinMinutes", policy.recordWithin().toMinutes());
        if (policy.stationIdle() != null) o.put("stationIdleMinutes", policy.stationIdle().toMinutes());
        if (!policy.governance().isEmpty()) { // written only when stated: a policy without keeps its bytes
            ObjectNode g = o.putObject("governance");
            policy.governance().forEach((action, quorum) -> {
                ArrayNode groups = g.putArray(action);
                for (org.custody.model.Quorum.Group group : quorum.groups()) {
                    ObjectNode go = groups.addObject();
                    go.put("count", group.count());
                    ArrayNode roles = go.putArray("roles");
                    group.roles().stream().map(Role::wire).sorted().forEach(roles::add);
                }
            });
        }
    }

    /** Written only when there are some (added 2026-12 without a version step: a record without keeps its bytes). */
    private static void putAttachments(ObjectNode o, List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return;
        }
        ArrayNode a = o.putArray("attachments");
        attachments.forEach(at -> a.add(attachment(at)));
    }

    static ObjectNode attachment(Attachment at) {
        ObjectNode ao = JSON.objectNode();
        ao.put("alg", at.alg().wire());
        ao.put("digest", at.digest().hex());
        ao.put("size", at.size());
        ao.put("mediaType", at.mediaType());
        putOpt(ao, "name", at.name());
        return ao;
    }

    private static void putOpt(ObjectNode o, String field, String value) {
        if (value != null) o.put(field, value);
    }

    private static ArrayNode people(List<PersonId> people) {
        ArrayNode a = JSON.arrayNode();
        people.forEach(p -> a.add(p.value()));
        return a;
    }

    static ObjectNode person(Person p) {
        ObjectNode o = JSON.objectNode();
        o.put("id", p.id().value());
        o.put("name", p.name());
        ArrayNode roles = o.putArray("roles");
        p.roles().stream().map(Role::wire).sorted().forEach(roles::add);
        putOpt(o, "site", p.site());
        putOpt(o, "organisation", p.organisation());
        if (!p.recusals().isEmpty()) {
            ArrayNode recusals = o.putArray("recusals");
            for (Recusal r : p.recusals()) {
                recusals.addObject().put("exam", r.exam()).put("reason", r.reason());
            }
        }
        return o;
    }

    private static ObjectNode key(PublicKey k) {
        ObjectNode o = JSON.objectNode();
        o.put("alg", k.algorithm().wire());
        o.put("public", k.base64());
        return o;
    }

    private static ObjectNode place(Place p) {
        ObjectNode o = JSON.objectNode();
        o.put("id", p.id());
        putOpt(o, "name", p.name());
        return o;
    }

    static ObjectNode registeredPlace(RegisteredPlace p) {
        ObjectNode o = JSON.objectNode();
        o.put("id", p.id());
        o.put("kind", p.kind().wire());
        putOpt(o, "name", p.name());
        putOpt(o, "site", p.site());
        putOpt(o, "room", p.room());
        return o;
    }

    static RegisteredPlace registeredPlace(JsonReader r) {
        String id = r.text("id");
        PlaceKind kind = r.convert("kind", s -> Labelled.fromWire(PlaceKind.class, s), r.text("kind"));
        String name = r.optText("name");
        String site = r.optText("site");
        String room = r.optText("room");
        r.done();
        return JsonReader.Convert.at(r.here(), x -> new RegisteredPlace(id, kind, name, site, room), null);
    }

    static ObjectNode bag(Bag b) {
        ObjectNode o = JSON.objectNode();
        o.put("id", b.id().value());
        o.put("kind", b.kind().wire());
        o.put("exam", b.exam());
        putOpt(o, "site", b.site());
        putOpt(o, "room", b.room());
        putOpt(o, "session", b.session());
        putOpt(o, "subject", b.subject());
        putOpt(o, "set", b.set());
        if (b.copies() != null) o.put("copies", b.copies());
        if (b.secrecy() != null) o.put("secrecy", b.secrecy().wire());
        if (b.invigilators() != null) o.put("invigilators", b.invigilators());
        return o;
    }

    private static ArrayNode moves(List<BagMove> moves) {
        ArrayNode a = JSON.arrayNode();
        for (BagMove m : moves) {
            ObjectNode o = a.addObject();
            o.put("bag", m.bag().value());
            o.put("prev", m.prev().hex());
            if (m.count() != null) o.put("count", m.count());
            if (m.present() != null) o.put("present", m.present());
            if (m.absent() != null) o.put("absent", m.absent());
            putOpt(o, "seal", m.seal());
            if (m.sealState() != null) o.put("sealState", m.sealState().wire());
            if (m.container() != null) o.put("in", m.container().value());
        }
        return a;
    }

    // ---------------------------------------------------------------- decoding

    static Record fromJson(JsonNode node, String path) {
        JsonReader r = JsonReader.of(node, path);
        long version = r.integer("v", 0, Integer.MAX_VALUE);
        if (version != VERSION) {
            throw new MalformedRecordException(r.path("v"), "unsupported record version " + version + "; this software reads version " + VERSION);
        }
        String type = r.text("type");
        RecordId id = r.convert("id", RecordId::of, r.text("id"));
        LedgerId ledger = r.convert("ledger", LedgerId::of, r.text("ledger"));
        Instant at = instant(r, "at");
        Record record;
        try {
            record = switch (type) {
                case "genesis" -> {
                    Suite suite = r.convert("suite", Suite::fromWire, r.text("suite"));
                    List<Founder> founders = r.array("founders", Record.MAX_PEOPLE, e -> {
                        JsonReader f = e.object();
                        Founder founder = new Founder(person(f.object("person")), key(f.object("key")));
                        f.done();
                        return founder;
                    });
                    yield new Genesis(id, ledger, at, suite, founders);
                }
                case "enrol" -> new Enrolment(id, ledger, at, person(r.object("person")), key(r.object("key")),
                        r.convert("sponsor", PersonId::of, r.text("sponsor")));
                case "revoke" -> new Revocation(id, ledger, at, r.convert("key", KeyId::of, r.text("key")),
                        instant(r, "effective"), r.text("reason"), people(r, "by", false));
                case "register" -> new Registration(id, ledger, at,
                        r.optArray("bags", Record.MAX_BAGS, e -> bag(e.object())), people(r, "by", false),
                        r.optArray("places", Registration.MAX_PLACES, e -> registeredPlace(e.object())));
                case "handoff" -> new Handoff(id, ledger, at,
                        r.convert("step", s -> Labelled.fromWire(Step.class, s), r.text("step")),
                        optPerson(r, "from"), r.convert("to", PersonId::of, r.text("to")),
                        people(r, "witnesses", true), place(r.object("place")),
                        r.array("bags", Record.MAX_BAGS, e -> move(e.object())), r.optText("note"), attachments(r));
                case "incident" -> new Incident(id, ledger, at,
                        r.convert("incident", s -> Labelled.fromWire(IncidentType.class, s), r.text("incident")),
                        r.optArray("bags", Record.MAX_BAGS, e -> move(e.object())), people(r, "by", false),
                        r.has("place") ? place(r.object("place")) : null,
                        r.has("set") ? paperSet(r.object("set")) : null,
                        r.has("refers") ? r.convert("refers", Hash::fromHex, r.text("refers")) : null,
                        r.text("note"), attachments(r));
                case "policy" -> new PolicyRecord(id, ledger, at, policy(r), people(r, "by", false));
                case "schedule" -> new ScheduleRecord(id, ledger, at, r.text("exam"),
                        r.array("sessions", ScheduleRecord.MAX_SESSIONS, e -> session(e.object())), people(r, "by", false));
                default -> throw new MalformedRecordException(r.path("type"), "unknown record type '" + type
                        + "'; expected genesis, enrol, revoke, register, handoff, incident, policy or schedule");
            };
        } catch (MalformedRecordException e) {
            throw e;
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new MalformedRecordException(path, e.getMessage(), e);
        }
        r.done();
        return record;
    }

    static Policy policy(JsonReader r) {
        String exam = r.text("exam");
        Policy.Mode mode = r.convert("mode", s -> Labelled.fromWire(Policy.Mode.class, s), r.text("mode"));
        int minSigners = (int) r.integer("minSigners", 0, 1000);
        int staff = (int) r.integer("distributionStaff", 0, 1000);
        Duration lead = Duration.ofMinutes(r.integer("openingLeadMinutes", 0, 100_000));
        Duration within = Duration.ofMinutes(r.integer("returnWithinMinutes", 0, 100_000));
        Duration interval = Duration.ofMinutes(r.integer("inspectionIntervalMinutes", 0, 100_000));
        ZoneId zone = r.convert("zone", Policies::zone, r.text("zone"));
        boolean scanned = r.bool("answerSheetsScanned");
        java.util.Map<String, org.custody.model.Quorum> governance = new java.util.TreeMap<>();
        JsonReader g = r.optObject("governance");
        if (g != null && g.names().isEmpty()) {
            throw new MalformedRecordException(r.path("governance"), "empty object: omit the field instead");
        }
        if (g != null) {
            for (String action : g.names()) {
                List<org.custody.model.Quorum.Group> groups = g.array(action, 8, e -> {
                    JsonReader gr = e.object();
                    int count = (int) gr.integer("count", 1, 16);
                    List<String> roleNames = gr.array("roles", 16, JsonReader.Element::text);
                    if (!new TreeSet<>(roleNames).stream().toList().equals(roleNames)) {
                        throw new MalformedRecordException(gr.path("roles"), "roles must be listed once each, in ascending order");
                    }
                    List<Role> roles = roleNames.stream().map(w -> gr.convert("roles", x -> Labelled.fromWire(Role.class, x), w)).toList();
                    gr.done();
                    return JsonReader.Convert.at(e.path(), x -> new org.custody.model.Quorum.Group(java.util.Set.copyOf(roles), count), null);
                });
                governance.put(action, JsonReader.Convert.at(g.here() + "." + action, x -> new org.custody.model.Quorum(groups), null));
            }
            g.done();
        }
        Duration ahead = r.has("futureToleranceMinutes") ? Duration.ofMinutes(r.integer("futureToleranceMinutes", 0, 100_000)) : null;
        Duration recordWithin = r.has("recordWithinMinutes") ? Duration.ofMinutes(r.integer("recordWithinMinutes", 0, 100_000)) : null;
        Duration stationIdle = r.has("stationIdleMinutes") ? Duration.ofMinutes(r.integer("stationIdleMinutes", 0, 100_000)) : null;
        return JsonReader.Convert.at(r.here(), x -> new Policy(exam, mode, minSigners, staff, lead, within, interval, zone,
                scanned, governance, ahead, recordWithin, stationIdle), null);
    }

    static ExamSession session(JsonReader r) {
        String session = r.text("session");
        String subject = r.optText("subject");
        Instant starts = instant(r, "startsAt");
        Instant ends = instant(r, "endsAt");
        r.done();
        return JsonReader.Convert.at(r.here(), x -> new ExamSession(session, subject, starts, ends), null);
    }

    /** Zone ids written by Custody are region ids such as {@code Asia/Shanghai}, exactly as given. */
    static final class Policies {
        private Policies() {}

        static ZoneId zone(String id) {
            ZoneId zone;
            try {
                zone = ZoneId.of(id);
            } catch (java.time.DateTimeException e) {
                throw new MalformedInputException("unknown time zone '" + id + "'", e);
            }
            if (!zone.getId().equals(id)) {
                throw new MalformedInputException("time zone '" + id + "' is not in canonical form; expected " + zone.getId());
            }
            return zone;
        }
    }

    static Instant instant(JsonReader r, String field) {
        String raw = r.text(field);
        Instant fast = canonicalInstant(raw);
        if (fast != null) {
            return fast;
        }
        Instant at = r.convert(field, Instant::parse, raw);
        if (!at.toString().equals(raw)) {
            throw new MalformedRecordException(r.path(field), "time '" + raw + "' is not in canonical form; expected " + at);
        }
        return at;
    }

    /**
     * The instant {@code s} names if it is written exactly as {@link Instant#toString} writes it in one of the
     * two forms records use, {@code yyyy-MM-ddTHH:mm:ssZ} or {@code yyyy-MM-ddTHH:mm:ss.SSSZ} with a non-zero
     * fraction; otherwise {@code null}, and the slow way ({@code Instant.parse}, then {@code toString}) decides
     * and names what is wrong. Saves a parse and a format per time on the hot path.
     */
    static Instant canonicalInstant(String s) {
        int n = s.length();
        if ((n != 20 && n != 24) || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = 0;
        if (n == 24) {
            if (s.charAt(19) != '.') {
                return null;
            }
            millis = digits(s, 20, 3);
            if (millis == 0) {
                return null; // toString leaves a zero fraction out
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || millis < 0
                || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
    }

    /** The value of {@code count} ASCII digits of {@code s} from {@code from}, or -1 if any is not one. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static PersonId optPerson(JsonReader r, String field) {
        String raw = r.optText(field);
        return raw == null ? null : r.convert(field, PersonId::of, raw);
    }

    private static List<PersonId> people(JsonReader r, String field, boolean optional) {
        return optional
                ? r.optArray(field, Record.MAX_PEOPLE, e -> JsonReader.Convert.at(e.path(), PersonId::of, e.text()))
                : r.array(field, Record.MAX_PEOPLE, e -> JsonReader.Convert.at(e.path(), PersonId::of, e.text()));
    }

    static Person person(JsonReader r) {
        PersonId id = r.convert("id", PersonId::of, r.text("id"));
        String name = r.text("name");
        List<String> roleNames = r.array("roles", Role.values().length, JsonReader.Element::text);
        Set<Role> roles = roleNames.stream()
                .map(n -> JsonReader.Convert.at(r.path("roles"), s -> Labelled.fromWire(Role.class, s), n))
                .collect(Collectors.toSet());
        List<String> sorted = new TreeSet<>(roleNames).stream().toList();
        if (!sorted.equals(roleNames)) {
            throw new MalformedRecordException(r.path("roles"), "roles must be listed once each, in ascending order");
        }
        String site = r.optText("site");
        String organisation = r.optText("organisation");
        List<Recusal> recusals = r.optArray("recusals", 64, e -> {
            JsonReader o = e.object();
            Recusal recusal = JsonReader.Convert.at(e.path(), x -> new Recusal(o.text("exam"), o.text("reason")), null);
            o.done();
            return recusal;
        });
        r.done();
        return JsonReader.Convert.at(r.here(), x -> new Person(id, name, roles, site, organisation, recusals), null);
    }

    private static PublicKey key(JsonReader r) {
        SignatureAlgorithm alg = r.convert("alg", SignatureAlgorithm::fromWire, r.text("alg"));
        PublicKey key = r.convert("public", s -> PublicKey.fromBase64(alg, s), r.text("public"));
        r.done();
        return key;
    }

    private static Place place(JsonReader r) {
        String id = r.text("id");
        String name = r.optText("name");
        r.done();
        return JsonReader.Convert.at(r.path("id"), x -> new Place(id, name), null);
    }

    static PaperSet paperSet(JsonReader r) {
        PaperSet set = JsonReader.Convert.at(r.here(),
                x -> new PaperSet(r.text("exam"), r.text("session"), r.text("subject"), r.text("set")), null);
        r.done();
        return set;
    }

    static Bag bag(JsonReader r) {
        BagId id = r.convert("id", BagId::of, r.text("id"));
        BagKind kind = r.convert("kind", s -> Labelled.fromWire(BagKind.class, s), r.text("kind"));
        String exam = r.text("exam");
        String site = r.optText("site");
        String room = r.optText("room");
        String session = r.optText("session");
        String subject = r.optText("subject");
        String set = r.optText("set");
        Integer copies = r.optInt("copies", Bag.MAX_COPIES);
        String secrecyRaw = r.optText("secrecy");
        Secrecy secrecy = secrecyRaw == null ? null : r.convert("secrecy", s -> Labelled.fromWire(Secrecy.class, s), secrecyRaw);
        Integer invigilators = r.optInt("invigilators", 16);
        r.done();
        return JsonReader.Convert.at(r.path("id"),
                x -> new Bag(id, kind, exam, site, room, session, subject, set, copies, secrecy, invigilators), null);
    }

    /** The optional {@code attachments} array; a file listed twice is named at its second listing. */
    private static List<Attachment> attachments(JsonReader r) {
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        return r.optArray("attachments", Attachment.MAX_PER_RECORD, e -> {
            JsonReader a = e.object();
            Attachment attachment = attachment(a);
            if (!seen.add(attachment.key())) {
                throw new MalformedRecordException(a.path("digest"), "the same file (" + attachment.alg().wire() + " "
                        + attachment.digest().hex() + ") is listed twice; list each file once");
            }
            return attachment;
        });
    }

    static Attachment attachment(JsonReader a) {
        HashAlgorithm alg = a.convert("alg", HashAlgorithm::fromWire, a.text("alg"));
        Hash digest = a.convert("digest", Hash::fromHex, a.text("digest"));
        long size = a.integer("size", 0, Attachment.MAX_SIZE);
        String mediaType = a.text("mediaType");
        String name = a.optText("name");
        a.done();
        return JsonReader.Convert.at(a.here(), x -> new Attachment(alg, digest, size, mediaType, name), null);
    }

    private static BagMove move(JsonReader r) {
        BagId bag = r.convert("bag", BagId::of, r.text("bag"));
        Hash prev = r.convert("prev", Hash::fromHex, r.text("prev"));
        Integer count = r.optInt("count", Bag.MAX_COPIES);
        Integer present = r.optInt("present", Bag.MAX_COPIES);
        Integer absent = r.optInt("absent", Bag.MAX_COPIES);
        String seal = r.optText("seal");
        String stateRaw = r.optText("sealState");
        SealState state = stateRaw == null ? null : r.convert("sealState", s -> Labelled.fromWire(SealState.class, s), stateRaw);
        String in = r.optText("in");
        BagId container = in == null ? null : r.convert("in", BagId::of, in);
        r.done();
        return JsonReader.Convert.at(r.path("bag"),
                x -> new BagMove(bag, prev, count, present, absent, seal, state, container), null);
    }
}
