package org.custody.timestamp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A time-stamping authority for tests: Bouncy Castle's {@code TimeStampResponseGenerator} behind the JDK's HTTP server on
 * a loopback port, signing with a {@link TestPki} TSA at the time of a clock it is given. It can be made to fail (HTTP
 * 500), as a TSA that is down.
 */
public final class LocalTsa implements AutoCloseable {
    /** The TSA policy the tokens name (an arc of the test OID space). */
    public static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.3161.1");

    private final HttpServer server;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong serial = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    private LocalTsa(HttpServer server) {
        this.server = server;
    }

    /** Starts a TSA signing with {@code tsa} at {@code clock}'s time. */
    public static LocalTsa start(TestPki.Tsa tsa, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LocalTsa local = new LocalTsa(server);
        server.createContext("/tsa", exchange -> {
            try (exchange) {
                local.requests.incrementAndGet();
                if (local.failing.get() || !"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                byte[] reply;
                try (InputStream in = exchange.getRequestBody()) {
                    TimeStampRequest request = new TimeStampRequest(in.readNBytes(65_536));
                    reply = generator(tsa).generate(request, BigInteger.valueOf(local.serial.incrementAndGet()),
                            Date.from(clock.instant())).getEncoded();
                } catch (Exception e) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
                exchange.sendResponseHeaders(200, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        });
        server.start();
        return local;
    }

    /** A response generator signing with {@code tsa}, including its certificate when asked (certReq). */
    public static TimeStampResponseGenerator generator(TestPki.Tsa tsa) {
        try {
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                    .build("SHA256withECDSA", tsa.key(), tsa.certificate()),
                    new JcaDigestCalculatorProviderBuilder().build().get(
                            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                    org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)), POLICY);
            tokens.addCertificates(new JcaCertStore(List.of(tsa.certificate())));
            return new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.tsp.TSPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The TSA's URL. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/tsa";
    }

    /** Makes the TSA answer every request with HTTP 500 (or work again). */
    public void failing(boolean fail) {
        failing.set(fail);
    }

    /** Requests received so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
