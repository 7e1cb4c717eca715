package org.custody.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.custody.failure.MalformedInputException;

/**
 * A public key with its algorithm: Ed25519 (32 bytes) or SM2 (65-byte uncompressed point). Validated on
 * construction; {@link #verify} throws unless the signature is valid.
 */
public final class PublicKey {
    private static final byte[] KEY_LABEL = "custody/key/v1\n".getBytes(StandardCharsets.US_ASCII);

    private final SignatureAlgorithm algorithm;
    private final byte[] encoded;
    private final CipherParameters parameters;
    private final KeyId id;

    private PublicKey(SignatureAlgorithm algorithm, byte[] encoded) {
        this.algorithm = algorithm;
        this.encoded = encoded;
        if (encoded.length != algorithm.publicKeyLength()) {
            throw new MalformedInputException("an " + algorithm.wire() + " public key is " + algorithm.publicKeyLength()
                    + " bytes, got " + encoded.length);
        }
        this.parameters = algorithm == SignatureAlgorithm.ED25519
                ? ed25519(encoded)
                : new ParametersWithID(Sm2Curve.publicKey(encoded), Sm2Curve.USER_ID);
        byte[] digest = algorithm.hash().digestBytes(KEY_LABEL, algorithm.wire().getBytes(StandardCharsets.US_ASCII),
                new byte[] {'\n'}, encoded);
        this.id = new KeyId(HexFormat.of().formatHex(digest, 0, 16));
    }

    private static Ed25519PublicKeyParameters ed25519(byte[] encoded) {
        try {
            return new Ed25519PublicKeyParameters(encoded, 0);
        } catch (IllegalArgumentException e) { // Bouncy Castle refuses a point that is not on the curve
            throw new MalformedInputException("an ed25519 public key is not a valid point: " + e.getMessage(), e);
        }
    }

    /** A public key from its raw encoding; throws {@link IllegalArgumentException} if it is not a valid key. */
    public static PublicKey of(SignatureAlgorithm algorithm, byte[] encoded) {
        return new PublicKey(algorithm, encoded.clone());
    }

    /** A public key from standard base64 of its raw encoding. */
    public static PublicKey fromBase64(SignatureAlgorithm algorithm, String base64) {
        byte[] raw = CanonicalBase64.decode("public key", base64);
        return new PublicKey(algorithm, raw);
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(encoded);
    }

    /** The key id derived from this key (see {@link KeyId}). */
    public KeyId id() {
        return id;
    }

    /**
     * Checks {@code signature} over {@code message}.
     *
     * @throws BadSignatureException if the signature is not by this key, is malformed, or is for other bytes
     */
    public void verify(byte[] message, Signature signature) {
        if (!signature.key().equals(id)) {
            throw new BadSignatureException("signature names key " + signature.key() + ", not " + id);
        }
        byte[] sig = signature.valueBytes();
        if (sig.length != algorithm.signatureLength()) {
            throw new BadSignatureException("an " + algorithm.wire() + " signature is " + algorithm.signatureLength()
                    + " bytes, got " + sig.length);
        }
        boolean valid;
        try {
            if (algorithm == SignatureAlgorithm.ED25519) {
                // what Ed25519Signer does, without copying the message into its buffer first; the key's point
                // was decoded once, when this key was made
                valid = ((Ed25519PublicKeyParameters) parameters).verify(Ed25519.Algorithm.Ed25519, null, message, 0,
                        message.length, sig, 0);
            } else {
                SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
                verifier.init(false, parameters);
                verifier.update(message, 0, message.length);
                valid = verifier.verifySignature(sig);
            }
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new BadSignatureException("signature by key " + id + " does not verify");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && algorithm == k.algorithm && Arrays.equals(encoded, k.encoded);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return algorithm.wire() + ":" + id;
    }
}
