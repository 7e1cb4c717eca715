package org.custody.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.util.BigIntegers;

/**
 * Test access to raw private keys, for golden vectors: keys rebuilt from committed private key bytes, and SM2
 * signatures with a chosen random source (reproducible) or a chosen user id (a wrong one, for negative cases).
 */
public final class TestKeys {
    /** Length of a raw private key: the Ed25519 seed (RFC 8032), or the SM2 scalar d, big-endian. */
    public static final int PRIVATE_LENGTH = 32;

    private TestKeys() {}

    /** The pinned SM2 signer user id every Custody ledger uses. */
    public static byte[] sm2UserId() {
        return Sm2Curve.USER_ID.clone();
    }

    /** The raw private key of {@code key} (see {@link #PRIVATE_LENGTH}). */
    public static byte[] privateKey(SigningKey key) {
        if (key.privateParameters() instanceof Ed25519PrivateKeyParameters ed) {
            return ed.getEncoded();
        }
        return BigIntegers.asUnsignedByteArray(PRIVATE_LENGTH, ((ECPrivateKeyParameters) key.privateParameters()).getD());
    }

    /** A signing key from its raw private key. */
    public static SigningKey fromPrivate(SignatureAlgorithm algorithm, byte[] raw) {
        if (raw.length != PRIVATE_LENGTH) {
            throw new IllegalArgumentException("a raw private key is " + PRIVATE_LENGTH + " bytes, got " + raw.length);
        }
        if (algorithm == SignatureAlgorithm.ED25519) {
            return SigningKey.fromPrivate(new Ed25519PrivateKeyParameters(raw, 0));
        }
        return SigningKey.fromPrivate(new ECPrivateKeyParameters(new BigInteger(1, raw), Sm2Curve.DOMAIN));
    }

    /** An SM2 signature (r || s) over {@code message} under {@code userId}, with its nonce drawn from {@code random}. */
    public static Signature signSm2(SigningKey key, byte[] message, byte[] userId, SecureRandom random) {
        if (key.algorithm() != SignatureAlgorithm.SM2) {
            throw new IllegalArgumentException("not an SM2 key: " + key);
        }
        SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
        signer.init(true, new ParametersWithID(new ParametersWithRandom(key.privateParameters(), random), userId));
        signer.update(message, 0, message.length);
        try {
            return Signature.of(key.id(), signer.generateSignature());
        } catch (CryptoException e) {
            throw new IllegalStateException("SM2 signing failed", e);
        }
    }

    /**
     * The SM2 {@code Z} value of {@code key} under {@code userId} (GM/T 0003.2 section 5.5):
     * {@code SM3(ENTL || ID || a || b || xG || yG || xA || yA)}; the signed digest is {@code SM3(Z || message)}.
     */
    public static byte[] sm2Z(PublicKey key, byte[] userId) {
        var curve = Sm2Curve.DOMAIN.getCurve();
        var g = Sm2Curve.DOMAIN.getG().normalize();
        var q = Sm2Curve.publicKey(key.encoded()).getQ().normalize();
        SM3Digest sm3 = new SM3Digest();
        int bits = userId.length * 8;
        sm3.update((byte) (bits >> 8));
        sm3.update((byte) bits);
        sm3.update(userId, 0, userId.length);
        for (byte[] part : new byte[][] {curve.getA().getEncoded(), curve.getB().getEncoded(),
                g.getAffineXCoord().getEncoded(), g.getAffineYCoord().getEncoded(),
                q.getAffineXCoord().getEncoded(), q.getAffineYCoord().getEncoded()}) {
            sm3.update(part, 0, part.length);
        }
        byte[] z = new byte[sm3.getDigestSize()];
        sm3.doFinal(z, 0);
        return z;
    }
}
