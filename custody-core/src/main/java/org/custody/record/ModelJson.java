package org.custody.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.custody.failure.MalformedInputException;
import org.custody.model.Bag;
import org.custody.model.ExamSession;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.Policy;
import org.custody.model.RegisteredPlace;

/**
 * The JSON form of the model values records carry (a person, a policy, a timetable session, a registered place, a bag,
 * a paper set, an attachment), member for member as inside a record (docs/formats.md §3), for derived state that a store keeps beside
 * the entries (the custody rules' state, §7). Decoding is as strict as a record's.
 */
public final class ModelJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ModelJson() {}

    public static ObjectNode person(Person person) {
        return RecordCodec.person(person);
    }

    public static Person person(JsonNode node, String path) {
        return read(node, path, RecordCodec::person);
    }

    /** The policy's members as a policy record states them (without the record's own members). */
    public static ObjectNode policy(Policy policy) {
        ObjectNode o = JSON.objectNode();
        RecordCodec.putPolicy(o, policy);
        return o;
    }

    public static Policy policy(JsonNode node, String path) {
        return read(node, path, r -> {
            Policy policy = RecordCodec.policy(r);
            r.done();
            return policy;
        });
    }

    public static ObjectNode session(ExamSession session) {
        ObjectNode o = JSON.objectNode();
        o.put("session", session.session());
        if (session.subject() != null) {
            o.put("subject", session.subject());
        }
        o.put("startsAt", session.startsAt().toString());
        o.put("endsAt", session.endsAt().toString());
        return o;
    }

    public static ExamSession session(JsonNode node, String path) {
        return read(node, path, RecordCodec::session);
    }

    public static ObjectNode place(RegisteredPlace place) {
        return RecordCodec.registeredPlace(place);
    }

    public static RegisteredPlace place(JsonNode node, String path) {
        return read(node, path, RecordCodec::registeredPlace);
    }

    public static ObjectNode bag(Bag bag) {
        return RecordCodec.bag(bag);
    }

    public static Bag bag(JsonNode node, String path) {
        return read(node, path, RecordCodec::bag);
    }

    public static ObjectNode set(PaperSet set) {
        ObjectNode o = JSON.objectNode();
        o.put("exam", set.exam());
        o.put("session", set.session());
        o.put("subject", set.subject());
        o.put("set", set.set());
        return o;
    }

    public static PaperSet set(JsonNode node, String path) {
        return read(node, path, RecordCodec::paperSet);
    }

    /** An attachment as a handoff's or incident's {@code attachments} lists it (docs/formats.md §3.3). */
    public static ObjectNode attachment(Attachment attachment) {
        return RecordCodec.attachment(attachment);
    }

    public static Attachment attachment(JsonNode node, String path) {
        return read(node, path, RecordCodec::attachment);
    }

    private static <T> T read(JsonNode node, String path, java.util.function.Function<JsonReader, T> reader) {
        try {
            return reader.apply(JsonReader.of(node, path));
        } catch (MalformedRecordException e) {
            throw e;
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new MalformedRecordException(path, e.getMessage(), e);
        }
    }
}
