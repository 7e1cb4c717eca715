package org.custody.timestamp;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test PKI made at test time: a root CA and a time-stamping authority certified by it (EC P-256, the TSA's
 * certificate with the critical extended key usage timeStamping), and a second TSA certified by the same root but
 * without that usage. Valid 2020 to 2120.
 */
public final class TestPki {
    /** A TSA's key and certificate, with the chain above it (the root last). */
    public record Tsa(PrivateKey key, X509Certificate certificate, X509Certificate root) {}

    private static final Date FROM = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
    private static final Date TO = Date.from(Instant.parse("2120-01-01T00:00:00Z"));

    private final X509Certificate root;
    private final Tsa tsa;
    private final Tsa notTimestamping;

    private TestPki(X509Certificate root, Tsa tsa, Tsa notTimestamping) {
        this.root = root;
        this.tsa = tsa;
        this.notTimestamping = notTimestamping;
    }

    /** A new PKI whose names start with {@code name}. */
    public static TestPki generate(String name) {
        try {
            KeyPair rootKeys = keys();
            X500Name rootName = new X500Name("CN=" + name + " Root CA,O=Custody tests");
            X509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE, FROM, TO, rootName,
                    rootKeys.getPublic());
            rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate root = sign(rb, rootKeys.getPrivate());
            return new TestPki(root, tsa(name + " TSA", 2, rootName, rootKeys.getPrivate(), root, true),
                    tsa(name + " TSA without timeStamping", 3, rootName, rootKeys.getPrivate(), root, false));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tsa tsa(String name, long serial, X500Name issuer, PrivateKey issuerKey, X509Certificate root,
                           boolean timestamping) throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPair keys = keys();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial), FROM, TO,
                new X500Name("CN=" + name + ",O=Custody tests"), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(timestamping
                ? KeyPurposeId.id_kp_timeStamping : KeyPurposeId.id_kp_codeSigning));
        return new Tsa(keys.getPrivate(), sign(b, issuerKey), root);
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    public X509Certificate root() {
        return root;
    }

    public Tsa tsa() {
        return tsa;
    }

    /** A TSA whose certificate lacks the timeStamping usage. */
    public Tsa notTimestamping() {
        return notTimestamping;
    }

    /** {@code objects} (certificates, keys) in PEM. */
    public static String pem(List<?> objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the root certificate in PEM to {@code file}, as an inspector's {@code --tsa-cert} file. */
    public Path writeRoot(Path file) throws IOException {
        return Files.writeString(file, pem(List.of(root)));
    }
}
