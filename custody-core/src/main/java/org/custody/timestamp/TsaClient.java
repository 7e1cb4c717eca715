package org.custody.timestamp;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.custody.failure.MalformedInputException;

/**
 * Asks a time-stamping authority for an RFC 3161 token over a checkpoint's note text: an HTTP POST of a
 * {@code TimeStampReq} ({@code application/timestamp-query}) with the SHA-256 of the text as message imprint, a fresh
 * 64-bit nonce and {@code certReq} set, over the JDK's HTTP client. The reply must grant a token for exactly that
 * request (status, imprint, nonce, signer certificate included: Bouncy Castle's {@code TimeStampResponse.validate});
 * whether the TSA is trusted is a reader's question ({@link TimestampVerifier}).
 */
public final class TsaClient {
    /** Largest reply read. */
    static final int MAX_REPLY = TimestampToken.MAX_BYTES + 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI uri;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    private TsaClient(URI uri) {
        this.uri = uri;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the TSA at {@code url}.
     *
     * @throws MalformedInputException if the URL is not an absolute http or https URL
     */
    public static TsaClient of(String url) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url, "url"));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException("the TSA URL " + url + " is not a URL: " + e.getMessage()
                    + " (时间戳服务地址无效)", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new MalformedInputException("the TSA URL " + url + " must be an http:// or https:// URL with a host"
                    + " (时间戳服务地址须为 http:// 或 https://)");
        }
        return new TsaClient(uri);
    }

    /** Where the TSA is. */
    public URI uri() {
        return uri;
    }

    /**
     * A token over {@code text} (its SHA-256 is the message imprint).
     *
     * @throws TimestampUnavailableException if the TSA cannot be reached, refuses, or answers with anything but a
     *                                       token for this request
     */
    public TimestampToken stamp(byte[] text) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, TimestampVerifier.imprint(text),
                new BigInteger(64, random));
        byte[] reply;
        try {
            HttpRequest post = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Content-Type", "application/timestamp-query")
                    .header("Accept", "application/timestamp-reply")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build();
            HttpResponse<InputStream> response = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw unavailable("HTTP status " + response.statusCode(), null);
                }
                reply = body.readNBytes(MAX_REPLY + 1);
            }
        } catch (IOException e) {
            throw unavailable(e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", e);
        }
        if (reply.length > MAX_REPLY) {
            throw unavailable("a reply of more than " + MAX_REPLY + " bytes", null);
        }
        try {
            TimeStampResponse response = new TimeStampResponse(reply);
            response.validate(request);
            return TimestampToken.parse(response.getTimeStampToken().getEncoded());
        } catch (TSPException | IOException | RuntimeException e) {
            throw unavailable("a reply that is not a token for this request: " + e.getMessage(), e);
        }
    }

    private TimestampUnavailableException unavailable(String what, Throwable cause) {
        return new TimestampUnavailableException("the time-stamping authority at " + uri + " gave no timestamp (" + what
                + ") (时间戳服务未返回时间戳)", cause);
    }
}
