package org.custody.timestamp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;
import org.custody.failure.MalformedInputException;

/**
 * Checks RFC 3161 tokens against the TSA certificates a reader trusts, failing closed. For a token and the text it
 * should cover, in this order: the message imprint is SHA-256 and equals the SHA-256 of the text; the signer's
 * certificate (from the token, or among the trusted ones) chains to a trusted certificate, valid at the token's
 * {@code genTime} (PKIX, no revocation checking: the reader gives the certificates it trusts); it carries the
 * {@code timeStamping} extended key usage, marked critical (RFC 3161 §2.3); and the CMS signature and the signer
 * certificate reference verify. Every certificate given is a trust anchor.
 */
public final class TimestampVerifier {
    /** id-kp-timeStamping (RFC 3161 §2.3). */
    static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";

    private final List<X509Certificate> anchors;
    private final Set<TrustAnchor> trustAnchors = new HashSet<>();

    private TimestampVerifier(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
        anchors.forEach(a -> trustAnchors.add(new TrustAnchor(a, null)));
    }

    /**
     * A verifier trusting {@code anchors}.
     *
     * @throws MalformedInputException if none is given
     */
    public static TimestampVerifier of(List<X509Certificate> anchors) {
        if (anchors.isEmpty()) {
            throw new MalformedInputException("no TSA certificate to trust: give at least one (未提供时间戳服务证书)");
        }
        return new TimestampVerifier(anchors);
    }

    /**
     * A verifier trusting every certificate in the PEM (or DER) file {@code file}: a TSA's root, or its chain.
     *
     * @throws MalformedInputException if the file cannot be read or holds no X.509 certificate
     */
    public static TimestampVerifier readPem(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
        } catch (IOException | CertificateException e) {
            throw new MalformedInputException("cannot read TSA certificates from " + file + ": " + e.getMessage()
                    + " (无法读取时间戳服务证书)", e);
        }
        if (certificates.isEmpty()) {
            throw new MalformedInputException(file + " holds no X.509 certificate in PEM (BEGIN CERTIFICATE) or DER"
                    + " (文件中没有证书)");
        }
        return of(certificates);
    }

    /** The SHA-256 of {@code text}: the message imprint of a checkpoint's token. */
    static byte[] imprint(byte[] text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Verifies that {@code token} is a trusted TSA's timestamp of {@code text}.
     *
     * @throws TimestampVerificationException naming the failed check
     */
    public VerifiedTimestamp verify(TimestampToken token, byte[] text) {
        token.checkImprint(text);
        TimeStampToken t = token.token();
        var info = t.getTimeStampInfo();
        X509Certificate signer = signer(t);
        Date at = info.getGenTime();
        chain(signer, t, at);
        try {
            List<String> usage = signer.getExtendedKeyUsage();
            if (usage == null || !usage.contains(TIME_STAMPING) || signer.getCriticalExtensionOIDs() == null
                    || !signer.getCriticalExtensionOIDs().contains("2.5.29.37")) {
                throw fail(TimestampVerificationException.Reason.NOT_TIMESTAMPING, "the TSA certificate "
                        + signer.getSubjectX500Principal() + " has no critical extended key usage timeStamping", null);
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw fail(TimestampVerificationException.Reason.NOT_TIMESTAMPING, "the TSA certificate's extended key usage"
                    + " cannot be read: " + e.getMessage(), e);
        }
        try {
            t.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
        } catch (TSPException | OperatorCreationException | RuntimeException e) {
            throw fail(TimestampVerificationException.Reason.BAD_SIGNATURE, "the token's signature by "
                    + signer.getSubjectX500Principal() + " does not verify: " + e.getMessage(), e);
        }
        return new VerifiedTimestamp(at.toInstant(), accuracy(info.getGenTimeAccuracy() == null ? null
                : info.toASN1Structure().getAccuracy()), signer.getSubjectX500Principal().getName());
    }

    /** The certificate that signed the token: one the token carries, else a trusted one, matching its signer id. */
    @SuppressWarnings("unchecked")
    private X509Certificate signer(TimeStampToken t) {
        try {
            Collection<X509CertificateHolder> matches = t.getCertificates().getMatches(t.getSID());
            if (!matches.isEmpty()) {
                return new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
            }
            for (X509Certificate a : anchors) {
                if (t.getSID().match(new X509CertificateHolder(a.getEncoded()))) {
                    return a;
                }
            }
        } catch (CertificateException | IOException e) {
            throw fail(TimestampVerificationException.Reason.NO_CERTIFICATE, "the token's signer certificate cannot be"
                    + " read: " + e.getMessage(), e);
        }
        throw fail(TimestampVerificationException.Reason.NO_CERTIFICATE, "neither the token nor the trusted TSA"
                + " certificates hold the certificate that signed it (" + t.getSID().getIssuer() + ", serial "
                + t.getSID().getSerialNumber() + ")", null);
    }

    /** The signer chains to a trusted certificate, valid at {@code at}; a trusted signer needs only be valid then. */
    private void chain(X509Certificate signer, TimeStampToken t, Date at) {
        try {
            if (anchors.contains(signer)) {
                signer.checkValidity(at);
                return;
            }
            List<Object> pool = new ArrayList<>(anchors);
            for (X509CertificateHolder h : t.getCertificates().getMatches(null)) {
                pool.add(new JcaX509CertificateConverter().getCertificate(h));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trustAnchors, target);
            params.setRevocationEnabled(false);
            params.setDate(at);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (GeneralSecurityException e) {
            throw fail(TimestampVerificationException.Reason.UNTRUSTED, "the TSA certificate "
                    + signer.getSubjectX500Principal() + " does not chain to a trusted TSA certificate at " + at.toInstant()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Duration accuracy(Accuracy a) {
        if (a == null) {
            return Duration.ZERO;
        }
        long seconds = a.getSeconds() == null ? 0 : a.getSeconds().longValueExact();
        long millis = a.getMillis() == null ? 0 : a.getMillis().longValueExact();
        long micros = a.getMicros() == null ? 0 : a.getMicros().longValueExact();
        return Duration.ofSeconds(seconds).plusMillis(millis).plusNanos(micros * 1000);
    }

    static TimestampVerificationException fail(TimestampVerificationException.Reason reason, String message,
                                                       Throwable cause) {
        return new TimestampVerificationException(reason, message + " (时间戳校验失败)", cause);
    }
}
