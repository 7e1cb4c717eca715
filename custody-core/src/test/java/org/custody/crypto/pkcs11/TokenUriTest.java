package org.custody.crypto.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 7512 URIs as Custody reads them: strict, percent-decoded, every unread attribute and any PIN refused. */
class TokenUriTest {
    @Test
    void parse_rfc7512Example_readsTokenKeyAndModule() {
        TokenUri uri = TokenUri.parse("pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;"
                + "model=1.0;serial=42;object=my-signing-key;id=%01%ff;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so");
        assertEquals("The Software PKCS#11 Softtoken", uri.token());
        assertEquals("Snake Oil, Inc.", uri.manufacturer());
        assertEquals("1.0", uri.model());
        assertEquals("42", uri.serial());
        assertEquals("my-signing-key", uri.object());
        assertEquals("01ff", uri.idHex());
        assertArrayEquals(new byte[] {1, (byte) 0xff}, uri.id().orElseThrow());
        assertEquals("/usr/lib/softhsm/libsofthsm2.so", uri.modulePath());
        assertNull(uri.slotId());
        assertEquals("token=The Software PKCS#11 Softtoken;manufacturer=Snake Oil, Inc.;serial=42;model=1.0;object=my-signing-key;id=01ff",
                uri.describe());
    }

    @Test
    void parse_utf8LabelAndSlot_decoded() {
        TokenUri uri = TokenUri.parse("PKCS11:slot-id=7;object=%E6%9D%8E%E7%BA%A2%E7%A7%80");
        assertEquals("李红秀", uri.object());
        assertEquals(7L, uri.slotId());
        assertTrue(TokenUri.isUri("pkcs11:object=x"));
        assertFalse(TokenUri.isUri("keys/P007.key"));
    }

    @Test
    void parse_malformedOrUnreadOrSecret_refusedNamingWhy() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("keys/P007.key", "is not a PKCS#11 URI"),
                Map.entry("pkcs11:token=T", "names the key with object=LABEL or id=HEX"),
                Map.entry("pkcs11:object=a;object=b", "gives 'object' twice"),
                Map.entry("pkcs11:object=a;label=b", "has attribute 'label'"),
                Map.entry("pkcs11:object=a;library-description=x", "has attribute 'library-description'"),
                Map.entry("pkcs11:object=a?pin-value=1234", "never written in a key reference"),
                Map.entry("pkcs11:object=a?pin-source=file:/tmp/pin", "never written in a key reference"),
                Map.entry("pkcs11:object=a?module-name=softhsm2", "has attribute 'module-name'"),
                Map.entry("pkcs11:object=a;type=public", "a signing key is type=private"),
                Map.entry("pkcs11:object=a;slot-id=x", "slot-id 'x'"),
                Map.entry("pkcs11:object=a%2", "followed by two hex digits"),
                Map.entry("pkcs11:object=a%zz", "not a percent-encoded byte"),
                Map.entry("pkcs11:object=a b", "must be percent-encoded"),
                Map.entry("pkcs11:object=%ff", "object is not UTF-8"),
                Map.entry("pkcs11:object", "is not NAME=VALUE"),
                Map.entry("pkcs11:object=a;", "is not NAME=VALUE"));
        List<String> failed = new ArrayList<>();
        cases.forEach((text, expected) -> {
            TokenException e = assertThrows(TokenException.class, () -> TokenUri.parse(text), text);
            if (!e.getMessage().contains(expected) || e.wrongPin()) {
                failed.add(text + " -> " + e.getMessage());
            }
        });
        assertEquals(List.of(), failed);
    }

    @Test
    void ecPoint_derOctetStringOrBare_bothRead() {
        byte[] raw = new byte[32];
        raw[0] = 9;
        byte[] der = new byte[34];
        der[0] = 0x04;
        der[1] = 0x20;
        System.arraycopy(raw, 0, der, 2, 32);
        assertArrayEquals(raw, TokenKeys.ecPoint(der));
        assertArrayEquals(raw, TokenKeys.ecPoint(raw));
        assertThrows(TokenException.class, () -> TokenKeys.ecPoint(new byte[] {1, 2, 3}));
    }
}
