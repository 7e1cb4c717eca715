package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.EnrolledKey;
import org.custody.model.BagId;
import org.custody.model.Labelled;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Canonical;
import org.custody.record.Entry;
import org.custody.record.MalformedRecordException;
import org.custody.record.Record;
import org.custody.record.RecordCodec;

/**
 * Reads the server's JSON answers (docs/server.md) into the core's values. Pure: no I/O. Anything that does not
 * fit is an {@link IllegalArgumentException} naming the field; callers turn it into a {@link ServerError}.
 */
final class ServerJson {
    private ServerJson() {}

    /** Findings in the {@code custody-audit-report/v1} finding shape (formats.md section 8). */
    static List<Finding> findings(JsonNode array) {
        List<Finding> out = new ArrayList<>();
        for (JsonNode f : array) {
            String code = text(f, "code", true);
            FindingCode c;
            try {
                c = FindingCode.valueOf(code);
            } catch (IllegalArgumentException e) {
                throw new MalformedInputException("unknown finding code '" + code + "'", e);
            }
            JsonNode message = f.path("message");
            String entry = text(f, "entry", false);
            String at = text(f, "at", false);
            List<BagId> bags = new ArrayList<>();
            f.path("bags").forEach(b -> bags.add(BagId.of(b.asText())));
            List<PersonId> people = new ArrayList<>();
            f.path("people").forEach(p -> people.add(PersonId.of(p.asText())));
            out.add(new Finding(c, f.path("seq").asLong(), entry == null ? null : Hash.fromHex(entry),
                    at == null ? null : Instant.parse(at), bags, people, text(message, "en", true), text(message, "zh", false),
                    text(f, "expected", false), text(f, "actual", false)));
        }
        return out;
    }

    /** The ledger's people and their keys, from {@code GET /api/v1/people}. */
    record People(Map<PersonId, Person> people, List<EnrolledKey> keys) {}

    static People people(JsonNode body) {
        Map<PersonId, Person> people = new LinkedHashMap<>();
        List<EnrolledKey> keys = new ArrayList<>();
        for (JsonNode p : body.path("people")) {
            PersonId id = PersonId.of(text(p, "id", true));
            Set<Role> roles = EnumSet.noneOf(Role.class);
            p.path("roles").forEach(r -> roles.add(Labelled.fromWire(Role.class, r.asText())));
            people.put(id, new Person(id, text(p, "name", true), roles, text(p, "site", false), text(p, "organisation", false),
                    List.of()));
            for (JsonNode k : p.path("keys")) {
                PublicKey key = PublicKey.fromBase64(SignatureAlgorithm.fromWire(text(k, "alg", true)), text(k, "public", true));
                if (!key.id().hex().equals(text(k, "id", true))) {
                    throw new MalformedInputException("key " + text(k, "id", true) + " of " + id + " is not the id of its public key");
                }
                String revoked = text(k, "revokedFrom", false);
                keys.add(new EnrolledKey(id, key, k.path("enrolledSeq").asLong(), revoked == null ? null : Instant.parse(revoked)));
            }
        }
        return new People(people, keys);
    }

    /** Entries as the server serves them (the stored canonical JSON of each), checked to be canonical. */
    static List<Entry> entries(JsonNode array) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : array) {
            out.add(Entry.decode(Canonical.bytes(e)));
        }
        return out;
    }

    /** A record as the server shows it (its canonical JSON). */
    static Record record(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new MalformedRecordException("record", "the draft has no record");
        }
        return RecordCodec.decode(Canonical.bytes(node));
    }

    static String text(JsonNode o, String field, boolean required) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new MalformedInputException("'" + field + "' is missing");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new MalformedInputException("'" + field + "' is not text");
        }
        return n.asText();
    }
}
