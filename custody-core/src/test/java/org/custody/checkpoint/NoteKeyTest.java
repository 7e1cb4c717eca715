package org.custody.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class NoteKeyTest {
    private static final String PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    private static PublicKey publicKey(NoteKeyType type) {
        return Fixtures.key(type.algorithm(), "key-test").publicKey();
    }

    @ParameterizedTest
    @EnumSource(NoteKeyType.class)
    void toString_anyType_parsesBackToTheSameKey(NoteKeyType type) {
        NoteKey key = NoteKey.of("custody.example/k", type, publicKey(type));
        NoteKey parsed = NoteKey.parse(key.toString());
        assertEquals(key, parsed);
        assertEquals(key.id(), parsed.id());
        assertEquals(type, parsed.type());
    }

    @ParameterizedTest
    @EnumSource(NoteKeyType.class)
    void id_anyType_isSha256OfNameNewlineTypeAndKey(NoteKeyType type) {
        PublicKey pk = publicKey(type);
        byte[] digest = HashAlgorithm.SHA_256.digest(Fixtures.utf8("n\n"), type.identifier(), pk.encoded()).bytes();
        assertEquals(HexFormat.of().formatHex(digest, 0, 4), NoteKey.of("n", type, pk).id());
    }

    @Test
    void id_sameKeyDifferentTypeOrName_differs() {
        PublicKey pk = publicKey(NoteKeyType.ED25519);
        NoteKey plain = NoteKey.of("n", NoteKeyType.ED25519, pk);
        assertNotEquals(plain.id(), NoteKey.of("n", NoteKeyType.COSIGNATURE_ED25519, pk).id());
        assertNotEquals(plain.id(), NoteKey.of("m", NoteKeyType.ED25519, pk).id());
    }

    @Test
    void toString_sm2Key_startsWithTheEscapeByteAndCustodyLabel() {
        NoteKey key = NoteKey.of("custody.example/sm2", NoteKeyType.SM2, publicKey(NoteKeyType.SM2));
        byte[] material = Base64.getDecoder().decode(key.toString().split("\\+", 3)[2]);
        assertEquals(0xff, material[0] & 0xff);
        assertEquals("custody/note-sm2/v1\n", new String(material, 1, 20, StandardCharsets.US_ASCII));
        assertEquals(1 + 20 + 65, material.length);
        assertEquals(0x04, material[21]);
    }

    @Test
    void of_algorithmOfAnotherType_throws() {
        assertThrows(MalformedInputException.class,
                () -> NoteKey.of("n", NoteKeyType.SM2, publicKey(NoteKeyType.ED25519)));
        assertThrows(MalformedInputException.class,
                () -> NoteKey.of("n", NoteKeyType.COSIGNATURE_ED25519, publicKey(NoteKeyType.SM2)));
    }

    @Test
    void of_invalidNames_throw() {
        PublicKey pk = publicKey(NoteKeyType.ED25519);
        for (String name : new String[] {"", "a b", "a+b", "a\u00a0b", "a\u2028b", "a\tb", "a\u0085b", "x".repeat(256)}) {
            assertThrows(MalformedInputException.class, () -> NoteKey.of(name, NoteKeyType.ED25519, pk), name);
        }
    }

    static Stream<Arguments> badKeys() {
        byte[] material = Base64.getDecoder().decode(PETER.split("\\+", 3)[2]);
        byte[] ecdsaType = material.clone();
        ecdsaType[0] = 0x02;
        byte[] unknownEscape = new byte[material.length + 10];
        unknownEscape[0] = (byte) 0xff;
        byte[] shortKey = Arrays.copyOf(material, 32);
        return Stream.of(
                Arguments.of("no-plus", "PeterNeumann"),
                Arguments.of("one-plus", "PeterNeumann+c74f20a3"),
                Arguments.of("empty-name", "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
                Arguments.of("name-with-space", PETER.replace("PeterNeumann", "Peter Neumann")),
                Arguments.of("id-uppercase", PETER.replace("c74f20a3", "C74F20A3")),
                Arguments.of("id-seven-digits", PETER.replace("c74f20a3", "c74f20a")),
                Arguments.of("id-nine-digits", PETER.replace("c74f20a3", "c74f20a30")),
                Arguments.of("id-not-hex", PETER.replace("c74f20a3", "c74f20ag")),
                Arguments.of("id-wrong", PETER.replace("c74f20a3", "c74f20a4")),
                Arguments.of("name-changed", PETER.replace("PeterNeumann", "PeterNeumanm")),
                Arguments.of("base64-extra-padding", PETER + "="),
                Arguments.of("base64-spare-bits", PETER.substring(0, PETER.length() - 1) + "X"),
                Arguments.of("base64-invalid", PETER + "!"),
                Arguments.of("empty-material", "PeterNeumann+c74f20a3+"),
                Arguments.of("type-ecdsa", "PeterNeumann+c74f20a3+" + Base64.getEncoder().encodeToString(ecdsaType)),
                Arguments.of("type-unknown-escape", "a+00000000+" + Base64.getEncoder().encodeToString(unknownEscape)),
                Arguments.of("key-too-short", "PeterNeumann+c74f20a3+" + Base64.getEncoder().encodeToString(shortKey)),
                Arguments.of("too-long", "a".repeat(1025)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeys")
    void parse_defect_throwsMalformed(String defect, String vkey) {
        MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> NoteKey.parse(vkey));
        assertTrue(e.getMessage().contains("verifier key"), e.getMessage());
    }

    @Test
    void parse_sm2PointNotOnCurve_throwsMalformed() {
        NoteKey key = NoteKey.of("n", NoteKeyType.SM2, publicKey(NoteKeyType.SM2));
        byte[] material = Base64.getDecoder().decode(key.toString().split("\\+", 3)[2]);
        material[material.length - 1] ^= 1;
        byte[] typeId = NoteKeyType.SM2.identifier();
        byte[] raw = Arrays.copyOfRange(material, typeId.length, material.length);
        int id = NoteKey.keyId("n", typeId, raw);
        String vkey = "n+" + NoteKey.hex(id) + "+" + Base64.getEncoder().encodeToString(material);
        assertThrows(MalformedNoteException.class, () -> NoteKey.parse(vkey));
    }

    @Test
    void of_typeForAlgorithm_matches() {
        assertEquals(NoteKeyType.SM2, NoteKeyType.of(SignatureAlgorithm.SM2, false));
        assertEquals(NoteKeyType.COSIGNATURE_ED25519, NoteKeyType.of(SignatureAlgorithm.ED25519, true));
    }
}
