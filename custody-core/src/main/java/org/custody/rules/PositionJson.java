package org.custody.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.custody.model.Bag;

/**
 * Where a bag stands as one compact JSON object, members in a fixed order (docs/formats.md §7.3): how the command line
 * ({@code custody bags list --format json}) and the server ({@code GET /api/v1/bags}) give the same answer.
 */
public final class PositionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PositionJson() {}

    public static byte[] bytes(BagPosition p) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        Bag bag = p.bag();
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("bag", bag.id().value());
            g.writeStringField("kind", bag.kind().wire());
            g.writeStringField("exam", bag.exam());
            field(g, "site", bag.site());
            field(g, "room", bag.room());
            field(g, "session", bag.session());
            field(g, "subject", bag.subject());
            field(g, "set", bag.set());
            if (bag.copies() != null) {
                g.writeNumberField("copies", bag.copies());
            }
            field(g, "secrecy", bag.secrecy() == null ? null : bag.secrecy().wire());
            field(g, "step", p.step() == null ? null : p.step().wire());
            field(g, "stage", p.step() == null ? null : p.step().stage().wire());
            field(g, "holder", p.holder() == null ? null : p.holder().value());
            field(g, "container", p.container() == null ? null : p.container().value());
            g.writeNumberField("lastSeq", p.lastSeq());
            g.writeArrayFieldStart("deadlines");
            for (var code : p.deadlines()) {
                g.writeString(code.name());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a bag's position in memory", e);
        }
        return out.toByteArray();
    }

    private static void field(com.fasterxml.jackson.core.JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
