package org.custody.crypto;

import org.custody.failure.MalformedInputException;

/** Signature algorithms a ledger may use. */
public enum SignatureAlgorithm {
    /** Ed25519 (RFC 8032), Bouncy Castle's lightweight implementation. */
    ED25519("ed25519", 32, 64),
    /** SM2 with SM3 (GM/T 0003, 0004), user id {@code 1234567812345678}, signature r||s (64 bytes). */
    SM2("sm2", 65, 64);

    private final String wire;
    private final int publicKeyLength;
    private final int signatureLength;

    SignatureAlgorithm(String wire, int publicKeyLength, int signatureLength) {
        this.wire = wire;
        this.publicKeyLength = publicKeyLength;
        this.signatureLength = signatureLength;
    }

    public String wire() {
        return wire;
    }

    public int publicKeyLength() {
        return publicKeyLength;
    }

    public int signatureLength() {
        return signatureLength;
    }

    /** The hash that goes with this algorithm in a ledger's suite. */
    public HashAlgorithm hash() {
        return this == ED25519 ? HashAlgorithm.SHA_256 : HashAlgorithm.SM3;
    }

    public static SignatureAlgorithm fromWire(String wire) {
        for (SignatureAlgorithm a : values()) {
            if (a.wire.equals(wire)) {
                return a;
            }
        }
        throw new MalformedInputException("unknown signature algorithm '" + wire + "'; expected ed25519 or sm2");
    }
}
