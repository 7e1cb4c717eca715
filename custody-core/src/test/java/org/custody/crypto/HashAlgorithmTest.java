package org.custody.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Digests against published examples: GB/T 32905 (SM3) and FIPS 180-2 (SHA-256). */
class HashAlgorithmTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void digest_sm3StandardExampleAbc_matchesGbt32905() {
        assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
                HashAlgorithm.SM3.digest(ascii("abc")).hex());
    }

    @Test
    void digest_sm3StandardExampleAbcdRepeated16_matchesGbt32905() {
        assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
                HashAlgorithm.SM3.digest(ascii("abcd".repeat(16))).hex());
    }

    @Test
    void digest_sm3InParts_equalsDigestOfConcatenation() {
        assertEquals(HashAlgorithm.SM3.digest(ascii("abcd".repeat(16))),
                HashAlgorithm.SM3.digest(ascii("abcd".repeat(5)), new byte[0], ascii("abcd".repeat(11))));
    }

    @Test
    void digest_sha256Abc_matchesFips180() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HashAlgorithm.SHA_256.digest(ascii("abc")).hex());
    }
}
