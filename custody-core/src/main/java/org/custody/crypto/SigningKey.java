package org.custody.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
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
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.BigIntegers;
import org.custody.failure.MalformedInputException;

/**
 * A key able to sign: either a private key held in this process (load one from a passphrase-protected file with
 * {@link KeyFiles}) or a key that stays on a hardware token ({@link #onDevice}). Its {@code toString} never shows key
 * material.
 *
 * <p>{@link #destroy()} (or {@link #close()}) wipes a key held in memory: the one long-lived copy of the private key,
 * a byte array owned by this object, is overwritten with zeros, and the key refuses to sign from then on. What it
 * cannot wipe: copies that Bouncy Castle and the JVM make while a key file is decrypted or a signature is computed
 * (ASN.1 objects, the SHA-512 expansion of an Ed25519 seed, the SM2 scalar as an immutable {@link BigInteger}) are
 * short-lived garbage left to the collector, and the garbage collector may have copied any array before it was
 * wiped. A token key is never in this process; destroying it closes its session on the token.
 */
public final class SigningKey implements Destroyable, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PRIVATE_BYTES = 32;

    /** A private key that stays on a device (a PKCS#11 token): it signs on request and never hands out its key. */
    public interface Device {
        /** The signature of {@code message} by the device's key, in the algorithm's raw encoding. */
        byte[] sign(byte[] message);

        /** Ends this process's use of the key (e.g. closes the token session); called once, by {@link SigningKey#destroy()}. */
        void close();
    }

    private final PublicKey publicKey;
    /** The Ed25519 seed or the SM2 scalar (32 bytes, big-endian); {@code null} for a device key. Zeroed by destroy. */
    private final byte[] secret;
    private final Device device;
    private volatile boolean destroyed;

    private SigningKey(PublicKey publicKey, byte[] secret, Device device) {
        this.publicKey = publicKey;
        this.secret = secret;
        this.device = device;
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

    /**
     * A key that stays on {@code device}, whose public key is {@code publicKey}. Each signature the device returns is
     * checked against the public key before it is handed out, so a device that signs with another key, or returns
     * garbage, is caught here.
     */
    public static SigningKey onDevice(PublicKey publicKey, Device device) {
        if (publicKey == null || device == null) {
            throw new IllegalArgumentException("a device key needs its public key and its device");
        }
        return new SigningKey(publicKey, null, device);
    }

    /** Wraps a Bouncy Castle private key (Ed25519 or SM2 on sm2p256v1), deriving its public key. */
    static SigningKey fromPrivate(AsymmetricKeyParameter key) {
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return new SigningKey(PublicKey.of(SignatureAlgorithm.ED25519, ed.generatePublicKey().getEncoded()), ed.getEncoded(), null);
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            if (!ec.getParameters().getCurve().equals(Sm2Curve.DOMAIN.getCurve())) {
                throw new MalformedInputException("EC private key is not on the SM2 curve sm2p256v1");
            }
            ECPublicKeyParameters pub = new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(Sm2Curve.DOMAIN.getG(), ec.getD()).normalize(), Sm2Curve.DOMAIN);
            return new SigningKey(PublicKey.of(SignatureAlgorithm.SM2, pub.getQ().getEncoded(false)),
                    BigIntegers.asUnsignedByteArray(PRIVATE_BYTES, ec.getD()), null);
        }
        throw new MalformedInputException("unsupported private key type " + key.getClass().getSimpleName()
                + "; expected Ed25519 or SM2");
    }

    /** A fresh Bouncy Castle copy of the private key, for writing a key file; the caller drops it at once. */
    synchronized AsymmetricKeyParameter privateParameters() {
        byte[] held = liveSecret();
        if (publicKey.algorithm() == SignatureAlgorithm.ED25519) {
            return new Ed25519PrivateKeyParameters(held, 0);
        }
        return new ECPrivateKeyParameters(new BigInteger(1, held), Sm2Curve.DOMAIN);
    }

    /** The array that holds the private key (not a copy), so that tests can see it zeroed; {@code null} on a device. */
    byte[] heldSecret() {
        return secret;
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

    /** True if this key is on a device (a hardware token) rather than in memory. */
    public boolean onDevice() {
        return device != null;
    }

    /**
     * Signs {@code message}.
     *
     * @throws IllegalStateException if the key was destroyed, or a device's signature does not verify
     */
    public Signature sign(byte[] message) {
        if (device != null) {
            return signOnDevice(message);
        }
        synchronized (this) {
            byte[] held = liveSecret();
            if (publicKey.algorithm() == SignatureAlgorithm.ED25519) {
                byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                Ed25519.sign(held, 0, publicKey.encoded(), 0, message, 0, message.length, sig, 0);
                return Signature.of(id(), sig);
            }
            try {
                SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
                signer.init(true, new ParametersWithID(new ParametersWithRandom(
                        new ECPrivateKeyParameters(new BigInteger(1, held), Sm2Curve.DOMAIN), RANDOM), Sm2Curve.USER_ID));
                signer.update(message, 0, message.length);
                return Signature.of(id(), signer.generateSignature());
            } catch (CryptoException e) {
                throw new IllegalStateException("signing failed", e);
            }
        }
    }

    private Signature signOnDevice(byte[] message) {
        byte[] raw;
        synchronized (this) {
            requireLive();
            raw = device.sign(message);
        }
        if (raw == null || raw.length != publicKey.algorithm().signatureLength()) {
            throw new IllegalStateException("the token returned a " + (raw == null ? "missing" : raw.length + "-byte")
                    + " signature; an " + publicKey.algorithm().wire() + " signature is " + publicKey.algorithm().signatureLength()
                    + " bytes (令牌返回的签名长度不符)");
        }
        Signature signature = Signature.of(id(), raw);
        try {
            publicKey.verify(message, signature);
        } catch (BadSignatureException e) {
            throw new IllegalStateException("the token's signature does not verify under key " + id()
                    + ": the token signed with another key or failed (令牌签名无法用其公钥验证)", e);
        }
        return signature;
    }

    private byte[] liveSecret() {
        requireLive();
        return secret;
    }

    private void requireLive() {
        if (destroyed) {
            throw new IllegalStateException("key " + id() + " was wiped (signed out or timed out); unlock it again"
                    + " (密钥已清除，请重新解锁)");
        }
    }

    /**
     * Wipes the private key held in memory (its array is zeroed) or closes the token session; the key refuses to sign
     * from then on. Idempotent.
     */
    @Override
    public void destroy() {
        synchronized (this) {
            if (destroyed) {
                return;
            }
            destroyed = true;
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
        if (device != null) {
            device.close();
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "SigningKey[" + publicKey + (device != null ? ", on a token" : "") + (destroyed ? ", wiped" : "") + "]";
    }
}
