package org.custody.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HexFormat;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.junit.jupiter.api.Test;

/** Leaf and node hashing against published values: RFC 6962 test data (SHA-256) and SM3 computed by OpenSSL. */
class TreeHasherTest {
    private static final TreeHasher SHA = TreeHasher.of(HashAlgorithm.SHA_256);
    private static final TreeHasher SM3 = TreeHasher.of(HashAlgorithm.SM3);

    private static byte[] unhex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void emptyRoot_sha256_isHashOfNothing() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", SHA.emptyRoot().hex());
    }

    @Test
    void emptyRoot_sm3_isHashOfNothing() {
        assertEquals("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b", SM3.emptyRoot().hex());
    }

    @Test
    void leafHash_emptyLeafSha256_matchesRfc6962TestData() {
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", SHA.leafHash(new byte[0]).hex());
    }

    @Test
    void nodeHash_twoLeavesSha256_matchesRfc6962TestData() {
        Hash root = SHA.nodeHash(SHA.leafHash(new byte[0]), SHA.leafHash(unhex("00")));
        assertEquals("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", root.hex());
    }

    @Test
    void leafAndNodeHash_sm3_matchOpenSsl() {
        Hash leaf0 = SM3.leafHash(new byte[0]);
        assertEquals("2daef60e7a0b8f5e024c81cd2ab3109f2b4f155cf83adeb2ae5532f74a157fdf", leaf0.hex());
        assertEquals("0b990fe0c7ad70f1bf1a1262f2c7908ea48146b14253a6db99f2917ab1f5cc4d",
                SM3.nodeHash(leaf0, SM3.leafHash(unhex("00"))).hex());
    }

    @Test
    void leafHash_sameBytes_differsFromPlainHashAndNodeHash() {
        byte[] data = unhex("00".repeat(64));
        Hash left = Hash.of(unhex("00".repeat(32)));
        assertNotEquals(HashAlgorithm.SHA_256.digest(data), SHA.leafHash(data));
        assertNotEquals(SHA.nodeHash(left, left), SHA.leafHash(data));
    }
}
