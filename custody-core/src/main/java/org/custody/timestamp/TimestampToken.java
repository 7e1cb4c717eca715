package org.custody.timestamp;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;
import org.custody.failure.MalformedInputException;

/**
 * An RFC 3161 time-stamp token as stored beside a checkpoint: the DER bytes of a CMS {@code ContentInfo} holding
 * {@code SignedData} whose content is a {@code TSTInfo}. Parsing checks the structure only (one ASN.1 object, nothing
 * after it, at most {@value #MAX_BYTES} bytes); whether it vouches for anything is {@link TimestampVerifier}'s to say.
 */
public final class TimestampToken {
    /** Largest token accepted: a signer certificate chain and a signature fit many times over. */
    public static final int MAX_BYTES = 65_536;

    private final byte[] bytes;
    private final TimeStampToken token;

    private TimestampToken(byte[] bytes, TimeStampToken token) {
        this.bytes = bytes;
        this.token = token;
    }

    /**
     * Parses a token.
     *
     * @throws MalformedInputException if the bytes are not one time-stamp token
     */
    public static TimestampToken parse(byte[] der) {
        if (der.length == 0 || der.length > MAX_BYTES) {
            throw new MalformedInputException("a time-stamp token is 1 to " + MAX_BYTES + " bytes, got " + der.length);
        }
        byte[] copy = der.clone();
        try {
            ContentInfo info = ContentInfo.getInstance(ASN1Primitive.fromByteArray(copy));
            return new TimestampToken(copy, new TimeStampToken(new CMSSignedData(info)));
        } catch (IOException | CMSException | TSPException | RuntimeException e) {
            throw new MalformedInputException("not an RFC 3161 time-stamp token: " + e.getMessage(), e);
        }
    }

    /** The token's bytes, as stored and exported. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The time the TSA says it made the token ({@code genTime}), not yet vouched for. */
    public Instant genTime() {
        return token.getTimeStampInfo().getGenTime().toInstant();
    }

    /**
     * Checks that the token's message imprint is the SHA-256 of {@code text} (the first of the verifier's checks, and
     * what a ledger checks before it stores a token: the token is about that checkpoint, whoever made it).
     *
     * @throws TimestampVerificationException ({@code IMPRINT_MISMATCH}) if it is not
     */
    public void checkImprint(byte[] text) {
        var info = token.getTimeStampInfo();
        if (!info.getMessageImprintAlgOID().equals(NISTObjectIdentifiers.id_sha256)
                || !MessageDigest.isEqual(info.getMessageImprintDigest(), TimestampVerifier.imprint(text))) {
            throw TimestampVerifier.fail(TimestampVerificationException.Reason.IMPRINT_MISMATCH, "the token's message"
                    + " imprint (" + info.getMessageImprintAlgOID() + ") is not the SHA-256 of the checkpoint's note text", null);
        }
    }

    /** Bouncy Castle's view of the token, for this package's verifier. */
    TimeStampToken token() {
        return token;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestampToken t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The token in base64. */
    @Override
    public String toString() {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
