package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading request bodies: the one-pass split of a body into its members and one member's exact bytes. */
class JsonTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void split_memberObject_itsExactBytesAndTheOtherMembers() {
        String record = "{\"a\":[1,{\"b\":\"x}\\\"y\"}],\"c\":\"保密\"}";
        Json.Split s = Json.split(utf8("{\"signatures\":[{\"key\":\"k\"}], \"record\" : " + record + " }"), "record");
        assertNotNull(s);
        assertArrayEquals(utf8(record), s.member());
        assertEquals("{\"signatures\":[{\"key\":\"k\"}],\"record\":{}}", s.object().toString());
    }

    @Test
    void split_anythingTheStrictReaderRefuses_null() {
        String[] bodies = {
                "",
                "[1]",
                "{\"record\":{}} trailing",
                "{\"record\":{},\"record\":{}}",
                "{\"record\":{\"a\":1,\"a\":2}}",
                "{\"x\":1,\"x\":2,\"record\":{}}",
                "{\"record\":[1]}",
                "{\"record\":null}",
                "{\"other\":{}}",
                "{\"record\":{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}}",
                "{\"record\":{\"a\":1}",
        };
        for (String b : bodies) {
            assertNull(Json.split(utf8(b), "record"), b);
        }
    }

    @Test
    void split_badUtf8InsideTheMember_null() {
        byte[] body = {'{', '"', 'r', '"', ':', '{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}', '}'};
        assertNull(Json.split(body, "r"));
    }
}
