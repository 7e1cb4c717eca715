package org.custody.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.custody.failure.MalformedInputException;

/**
 * A private key held in memory, able to sign. Load one from a passphrase-protected file with {@link KeyFiles}.
 * Its {@code toString} never shows key material.
 */
public final class SigningKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AsymmetricKeyParameter privateKey;
    private final PublicKey publicKey;

    private SigningKey(AsymmetricKeyParameter privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new random key for {@code algorithm}. */
    public static SigningKey generate(SignatureAlgorithm algorithm) {
        return generate(algorithm, RANDOM);
    }

    /** A new key drawn from {@code random} (a seeded random gives reproducible test keys). */
    public static SigningKey generate(SignatureAlgorithm algorithm, SecureRandom random) {
        if (algorithm == SignatureAlgorithm.ED25519) {
            return fromPrivate(new Ed25519PrivateKeyParameters(random));
        }
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(Sm2Curve.DOMAIN, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return fromPrivate(pair.getPrivate());
    }

    /** Wraps a Bouncy Castle private key (Ed25519 or SM2 on sm2p256v1), deriving its public key. */
    static SigningKey fromPrivate(AsymmetricKeyParameter key) {
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return new SigningKey(ed, PublicKey.of(SignatureAlgorithm.ED25519, ed.generatePublicKey().getEncoded()));
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            if (!ec.getParameters().getCurve().equals(Sm2Curve.DOMAIN.getCurve())) {
                throw new MalformedInputException("EC private key is not on the SM2 curve sm2p256v1");
            }
            ECPrivateKeyParameters normalised = new ECPrivateKeyParameters(ec.getD(), Sm2Curve.DOMAIN);
            ECPublicKeyParameters pub = new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(Sm2Curve.DOMAIN.getG(), ec.getD()).normalize(), Sm2Curve.DOMAIN);
            return new SigningKey(normalised, PublicKey.of(SignatureAlgorithm.SM2, pub.getQ().getEncoded(false)));
        }
        throw new MalformedInputException("unsupported private key type " + key.getClass().getSimpleName()
                + "; expected Ed25519 or SM2");
    }

    AsymmetricKeyParameter privateParameters() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public KeyId id() {
        return publicKey.id();
    }

    public SignatureAlgorithm algorithm() {
        return publicKey.algorithm();
    }

    /** Signs {@code message}. */
    public Signature sign(byte[] message) {
        try {
            if (privateKey instanceof Ed25519PrivateKeyParameters) {
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, privateKey);
                signer.update(message, 0, message.length);
                return Signature.of(id(), signer.generateSignature());
            }
            SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
            signer.init(true, new ParametersWithID(new ParametersWithRandom(privateKey, RANDOM), Sm2Curve.USER_ID));
            signer.update(message, 0, message.length);
            return Signature.of(id(), signer.generateSignature());
        } catch (CryptoException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey + "]";
    }
}
