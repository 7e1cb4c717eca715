package org.custody.crypto;

import org.custody.failure.MalformedInputException;

/** The algorithms of a ledger, fixed in its first entry: a signature algorithm and the hash that goes with it. */
public enum Suite {
    /** Ed25519 signatures, SHA-256 hashes: the default. */
    ED25519_SHA256("ed25519-sha256", SignatureAlgorithm.ED25519),
    /** SM2 signatures, SM3 hashes: for deployments that must use national algorithms. */
    SM2_SM3("sm2-sm3", SignatureAlgorithm.SM2);

    private final String wire;
    private final SignatureAlgorithm signature;

    Suite(String wire, SignatureAlgorithm signature) {
        this.wire = wire;
        this.signature = signature;
    }

    public String wire() {
        return wire;
    }

    public SignatureAlgorithm signature() {
        return signature;
    }

    public HashAlgorithm hash() {
        return signature.hash();
    }

    public static Suite fromWire(String wire) {
        for (Suite s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new MalformedInputException("unknown suite '" + wire + "'; expected ed25519-sha256 or sm2-sm3");
    }

    public static Suite of(SignatureAlgorithm algorithm) {
        return algorithm == SignatureAlgorithm.ED25519 ? ED25519_SHA256 : SM2_SM3;
    }
}
