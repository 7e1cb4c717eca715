package org.custody.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.model.BagId;
import org.custody.model.ExamSession;
import org.custody.model.Labelled;
import org.custody.model.PaperSet;
import org.custody.model.PersonId;
import org.custody.model.Step;
import org.custody.record.ModelJson;

/**
 * The custody state as rows a store keeps (docs/formats.md §7): one row per bag, person, key owner, stated policy,
 * timetable session, registered place, withdrawn set, exam, vault and container, and the latest record time. A row's
 * value is a compact JSON object whose members come in a fixed order, so the same state always gives the same bytes:
 * a verifier recomputes every row from the entries and compares bytes.
 */
final class StateCodec {
    static final String BAG = "bag";
    static final String PERSON = "person";
    static final String KEY_OWNER = "key-owner";
    static final String POLICY = "policy";
    static final String SESSION = "session";
    static final String PLACE = "place";
    static final String WITHDRAWN = "withdrawn";
    static final String EXAM = "exam";
    static final String VAULT = "vault";
    static final String CONTAINER = "container";
    static final String LEDGER = "ledger";
    /** The key of the ledger row: the latest record time seen. */
    static final String LATEST = "latest";

    /** The kinds read whole when a stored state is opened (all but bags, which are read one by one). */
    static final java.util.List<String> EAGER = java.util.List.of(PERSON, KEY_OWNER, POLICY, SESSION, PLACE, WITHDRAWN,
            EXAM, VAULT, CONTAINER, LEDGER);
    /** Every kind, in the order a whole state is written. */
    static final java.util.List<String> KINDS = java.util.List.of(BAG, PERSON, KEY_OWNER, POLICY, SESSION, PLACE,
            WITHDRAWN, EXAM, VAULT, CONTAINER, LEDGER);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final byte[] EMPTY = {'{', '}'};

    private StateCodec() {}

    /** The row of {@code kind} and {@code key} as the state holds it now, or empty if it holds none. */
    static Optional<RuleEngine.Row> row(CustodyState state, String kind, String key) {
        if (kind.equals(BAG)) { // the one kind with a group: its container
            BagState bag = bagOrNull(state, key);
            return bag == null ? Optional.empty() : Optional.of(new RuleEngine.Row(kind, key,
                    bag.container == null ? null : bag.container.value(), bagBytes(bag), RuleEngine.position(bag)));
        }
        byte[] value = value(state, kind, key);
        return value == null ? Optional.empty() : Optional.of(new RuleEngine.Row(kind, key, null, value));
    }

    /** The bag whose id is {@code key}, or null if there is none or {@code key} is not a bag id. */
    private static BagState bagOrNull(CustodyState state, String key) {
        try {
            return state.bags.get(BagId.of(key));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] value(CustodyState state, String kind, String key) {
        try {
            return switch (kind) {
                case PERSON -> Optional.ofNullable(state.people.get(PersonId.of(key))).map(p -> bytes(ModelJson.person(p))).orElse(null);
                case KEY_OWNER -> Optional.ofNullable(state.keyOwners.get(KeyId.of(key)))
                        .map(p -> bytes(NODES.objectNode().put("person", p.value()))).orElse(null);
                case POLICY -> Optional.ofNullable(state.policies.get(key)).map(p -> bytes(ModelJson.policy(p))).orElse(null);
                case SESSION -> {
                    ExamSession session = state.sessions.get(sessionKey(key));
                    yield session == null ? null : bytes(ModelJson.session(session));
                }
                case PLACE -> Optional.ofNullable(state.places.get(key)).map(p -> bytes(ModelJson.place(p))).orElse(null);
                case WITHDRAWN -> {
                    PaperSet set = set(key);
                    yield set != null && state.withdrawn.contains(set) ? bytes(ModelJson.set(set)) : null;
                }
                case EXAM -> state.exams.contains(key) ? EMPTY : null;
                case VAULT -> Optional.ofNullable(state.vaults.get(key)).map(v -> bytes(vault(v))).orElse(null);
                case CONTAINER -> state.bags.containers.contains(BagId.of(key)) ? EMPTY : null;
                case LEDGER -> key.equals(LATEST) ? bytes(NODES.objectNode().put("latest", state.latest.toString())) : null;
                default -> null;
            };
        } catch (RuntimeException e) {
            return null; // a key that names nothing this state could hold (not a bag id, a key id...)
        }
    }

    /** Every key of {@code kind} the state holds (it must all be in memory), in no particular order. */
    static void keys(CustodyState state, String kind, java.util.function.Consumer<String> each) {
        switch (kind) {
            case BAG -> state.bags.inMemory().forEach(b -> each.accept(b.bag.id().value()));
            case PERSON -> state.people.keySet().forEach(p -> each.accept(p.value()));
            case KEY_OWNER -> state.keyOwners.keySet().forEach(k -> each.accept(k.hex()));
            case POLICY -> state.policies.keySet().forEach(each);
            case SESSION -> state.sessions.keySet().forEach(k -> each.accept(sessionRowKey(k)));
            case PLACE -> state.places.keySet().forEach(each);
            case WITHDRAWN -> state.withdrawn.forEach(s -> each.accept(setKey(s)));
            case EXAM -> state.exams.forEach(each);
            case VAULT -> state.vaults.keySet().forEach(each);
            case CONTAINER -> state.bags.containers.forEach(c -> each.accept(c.value()));
            case LEDGER -> each.accept(LATEST);
            default -> throw new IllegalArgumentException(kind);
        }
    }

    /** Reads every row of the kinds kept whole ({@link #EAGER}) into {@code state}. */
    static void load(CustodyState state, RuleEngine.StateRows rows) {
        rows.rows(PERSON, (key, value) -> state.people.put(PersonId.of(key), ModelJson.person(tree(value), PERSON + " " + key)));
        rows.rows(KEY_OWNER, (key, value) -> state.keyOwners.put(KeyId.of(key), PersonId.of(tree(value).path("person").asText())));
        rows.rows(POLICY, (key, value) -> state.policies.put(key, ModelJson.policy(tree(value), POLICY + " " + key)));
        rows.rows(SESSION, (key, value) -> state.sessions.put(sessionKey(key), ModelJson.session(tree(value), SESSION + " " + key)));
        rows.rows(PLACE, (key, value) -> state.places.put(key, ModelJson.place(tree(value), PLACE + " " + key)));
        rows.rows(WITHDRAWN, (key, value) -> state.withdrawn.add(ModelJson.set(tree(value), WITHDRAWN + " " + key)));
        rows.rows(EXAM, (key, value) -> state.exams.add(key));
        rows.rows(VAULT, (key, value) -> state.vaults.put(key, vault(key, tree(value))));
        rows.rows(CONTAINER, (key, value) -> state.bags.containers.add(BagId.of(key)));
        rows.rows(LEDGER, (key, value) -> {
            if (key.equals(LATEST)) {
                state.latest = Instant.parse(tree(value).path("latest").asText());
            }
        });
    }

    // ---------------------------------------------------------------- bags

    /**
     * A bag's row (formats.md §7.1), written straight to bytes rather than through a tree: a bag row is written for
     * every bag each append moves, and a tree would cost the appending thread twice as much.
     */
    static byte[] bagBytes(BagState b) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("bag");
            g.writeStartObject();
            org.custody.model.Bag bag = b.bag;
            g.writeStringField("id", bag.id().value());
            g.writeStringField("kind", bag.kind().wire());
            g.writeStringField("exam", bag.exam());
            text(g, "site", bag.site());
            text(g, "room", bag.room());
            text(g, "session", bag.session());
            text(g, "subject", bag.subject());
            text(g, "set", bag.set());
            number(g, "copies", bag.copies());
            text(g, "secrecy", bag.secrecy() == null ? null : bag.secrecy().wire());
            number(g, "invigilators", bag.invigilators());
            g.writeEndObject();
            g.writeNumberField("lastSeq", b.lastSeq);
            text(g, "lastHash", b.lastHash == null ? null : b.lastHash.hex());
            time(g, "lastEntryAt", b.lastEntryAt);
            text(g, "holder", b.holder == null ? null : b.holder.value());
            text(g, "lastStep", b.lastStep == null ? null : b.lastStep.wire());
            time(g, "lastAt", b.lastAt);
            text(g, "container", b.container == null ? null : b.container.value());
            number(g, "sealedCount", b.sealedCount);
            number(g, "lastCount", b.lastCount);
            text(g, "vault", b.vault);
            flag(g, "archived", b.archived);
            time(g, "collectedAt", b.collectedAt);
            time(g, "gradingOutAt", b.gradingOutAt);
            flag(g, "returnedToVault", b.returnedToVault);
            flag(g, "spareApproved", b.spareApproved);
            flag(g, "destroyed", b.destroyed);
            text(g, "sealNumber", b.sealNumber);
            flag(g, "resealing", b.resealing);
            flag(g, "atSite", b.atSite);
            if (!b.stepCounts.isEmpty()) {
                g.writeFieldName("counts");
                g.writeStartObject();
                for (java.util.Map.Entry<Step, BagCounts.Counted> c : b.stepCounts.entrySet()) {
                    g.writeFieldName(c.getKey().wire());
                    g.writeStartObject();
                    g.writeNumberField("copies", c.getValue().copies());
                    g.writeNumberField("seq", c.getValue().seq());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            number(g, "attendance", b.attendance);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a bag's row in memory", e);
        }
        return out.toByteArray();
    }

    private static void text(com.fasterxml.jackson.core.JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void time(com.fasterxml.jackson.core.JsonGenerator g, String field, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value.toString());
        }
    }

    private static void number(com.fasterxml.jackson.core.JsonGenerator g, String field, Integer value) throws IOException {
        if (value != null) {
            g.writeNumberField(field, value);
        }
    }

    private static void flag(com.fasterxml.jackson.core.JsonGenerator g, String field, boolean value) throws IOException {
        if (value) {
            g.writeBooleanField(field, true);
        }
    }

    static BagState bag(BagId id, byte[] value) {
        JsonNode o = tree(value);
        String where = BAG + " " + id;
        BagState b = new BagState(ModelJson.bag(o.path("bag"), where), instant(o, "lastAt"));
        if (!b.bag.id().equals(id)) {
            throw damaged(where, "it holds bag " + b.bag.id());
        }
        b.lastSeq = o.path("lastSeq").asLong();
        b.lastHash = o.has("lastHash") ? Hash.fromHex(o.get("lastHash").asText()) : null;
        b.lastEntryAt = instant(o, "lastEntryAt");
        b.holder = o.has("holder") ? PersonId.of(o.get("holder").asText()) : null;
        b.lastStep = o.has("lastStep") ? Labelled.fromWire(Step.class, o.get("lastStep").asText()) : null;
        b.container = o.has("container") ? BagId.of(o.get("container").asText()) : null;
        b.sealedCount = integer(o, "sealedCount");
        b.lastCount = integer(o, "lastCount");
        b.vault = text(o, "vault");
        b.archived = o.path("archived").asBoolean(false);
        b.collectedAt = instant(o, "collectedAt");
        b.gradingOutAt = instant(o, "gradingOutAt");
        b.returnedToVault = o.path("returnedToVault").asBoolean(false);
        b.spareApproved = o.path("spareApproved").asBoolean(false);
        b.destroyed = o.path("destroyed").asBoolean(false);
        b.sealNumber = text(o, "sealNumber");
        b.resealing = o.path("resealing").asBoolean(false);
        b.atSite = o.path("atSite").asBoolean(false);
        o.path("counts").properties().forEach(c -> b.stepCounts.put(Labelled.fromWire(Step.class, c.getKey()),
                new BagCounts.Counted(c.getValue().path("copies").asInt(), c.getValue().path("seq").asLong())));
        b.attendance = integer(o, "attendance");
        return b;
    }

    // ---------------------------------------------------------------- vaults

    private static ObjectNode vault(VaultState v) {
        ObjectNode o = NODES.objectNode();
        o.put("stored", v.stored);
        o.put("answersInKeeping", v.answersInKeeping);
        ObjectNode papers = o.putObject("papers");
        new TreeMap<>(v.papers).forEach(papers::put);
        put(o, "answersKeptUntil", v.answersKeptUntil);
        put(o, "lastCheck", v.lastCheck);
        o.put("lastCheckSeq", v.lastCheckSeq);
        put(o, "lastCheckHash", v.lastCheckHash == null ? null : v.lastCheckHash.hex());
        return o;
    }

    private static VaultState vault(String place, JsonNode o) {
        VaultState v = new VaultState(place);
        v.stored = o.path("stored").asInt();
        v.answersInKeeping = o.path("answersInKeeping").asInt();
        o.path("papers").properties().forEach(e -> v.papers.put(e.getKey(), e.getValue().asInt()));
        v.answersKeptUntil = instant(o, "answersKeptUntil");
        v.lastCheck = instant(o, "lastCheck");
        v.lastCheckSeq = o.path("lastCheckSeq").asLong();
        v.lastCheckHash = o.has("lastCheckHash") ? Hash.fromHex(o.get("lastCheckHash").asText()) : null;
        return v;
    }

    // ---------------------------------------------------------------- keys

    /** A withdrawn set's row key: the JSON array {@code [exam, session, subject, set]}. */
    static String setKey(PaperSet set) {
        ArrayNode a = NODES.arrayNode().add(set.exam()).add(set.session()).add(set.subject()).add(set.set());
        return new String(bytes(a), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static PaperSet set(String key) {
        JsonNode a = tree(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new PaperSet(a.path(0).asText(), a.path(1).asText(), a.path(2).asText(), a.path(3).asText());
    }

    /** A session's row key: the JSON array {@code [exam, session, subject]} ({@code null} for a whole session). */
    private static String sessionRowKey(String stateKey) {
        String[] parts = stateKey.split("\u0000", -1);
        ArrayNode a = NODES.arrayNode().add(parts[0]).add(parts[1]);
        if (parts[2].isEmpty()) {
            a.addNull();
        } else {
            a.add(parts[2]);
        }
        return new String(bytes(a), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String sessionKey(String rowKey) {
        JsonNode a = tree(rowKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return CustodyState.key(a.path(0).asText(), a.path(1).asText(), a.path(2).isNull() ? null : a.path(2).asText());
    }

    /** The row key of the session the state keeps under {@code stateKey} ({@link CustodyState#key}). */
    static String sessionRow(String stateKey) {
        return sessionRowKey(stateKey);
    }

    // ---------------------------------------------------------------- JSON

    private static void put(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void put(ObjectNode o, String field, Instant value) {
        if (value != null) {
            o.put(field, value.toString());
        }
    }

    private static Instant instant(JsonNode o, String field) {
        return o.has(field) ? Instant.parse(o.get(field).asText()) : null;
    }

    private static Integer integer(JsonNode o, String field) {
        return o.has(field) ? o.get(field).asInt() : null;
    }

    private static String text(JsonNode o, String field) {
        return o.has(field) ? o.get(field).asText() : null;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON tree built in memory", e);
        }
    }

    private static JsonNode tree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + e.getMessage(), e);
        }
    }

    private static IllegalStateException damaged(String where, String why) {
        return new IllegalStateException("the stored rule state of " + where + " is damaged: " + why);
    }
}
