package org.custody.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.custody.failure.MalformedInputException;

/** The SM2 curve (sm2p256v1) and the pinned signer user id. */
final class Sm2Curve {
    /** GM/T 0009 default user id, pinned for every Custody ledger. */
    static final byte[] USER_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
    static final ECNamedDomainParameters DOMAIN;

    static {
        X9ECParameters x9 = GMNamedCurves.getByName("sm2p256v1");
        DOMAIN = new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, x9);
    }

    private Sm2Curve() {}

    /** Decodes an uncompressed point (65 bytes, 0x04 || X || Y) and checks it lies on the curve. */
    static ECPublicKeyParameters publicKey(byte[] encoded) {
        if (encoded.length != 65 || encoded[0] != 0x04) {
            throw new MalformedInputException("an SM2 public key is an uncompressed point of 65 bytes starting 0x04");
        }
        ECPoint point;
        try {
            point = DOMAIN.getCurve().decodePoint(encoded);
        } catch (RuntimeException e) {
            throw new MalformedInputException("SM2 public key is not a point on sm2p256v1", e);
        }
        if (point.isInfinity() || !point.isValid()) {
            throw new MalformedInputException("SM2 public key is not a valid point on sm2p256v1");
        }
        return new ECPublicKeyParameters(point, (ECDomainParameters) DOMAIN);
    }
}
