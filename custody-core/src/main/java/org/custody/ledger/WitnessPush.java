package org.custody.ledger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.custody.checkpoint.AddCheckpoint;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;

/**
 * The log side of C2SP tlog-witness: sends a ledger's latest checkpoint to a witness's {@code add-checkpoint} with a
 * consistency proof from the size the witness cosigned last, and stores the witness's cosignature with the checkpoint
 * once it verifies under the witness key the ledger's operator configured. The witness's last size is learnt from its
 * "409 Conflict" answer (the first request of a run says {@code old 0}), as the protocol provides.
 */
public final class WitnessPush {
    /** A witness: its submission prefix ({@code <prefix>/add-checkpoint}) and its cosignature verifier key. */
    public record Endpoint(URI prefix, NoteKey key) {
        public Endpoint {
            Objects.requireNonNull(prefix, "prefix");
            if (!"http".equals(prefix.getScheme()) && !"https".equals(prefix.getScheme())) {
                throw new MalformedInputException("a witness's submission prefix is an http(s) URL, got " + prefix);
            }
            if (!key.type().isCosignature()) {
                throw new MalformedInputException("witness key " + key + " is not a cosignature key (type 0x04 or 0x06)");
            }
        }

        URI addCheckpoint() {
            String p = prefix.toString();
            return URI.create((p.endsWith("/") ? p.substring(0, p.length() - 1) : p) + "/add-checkpoint");
        }
    }

    /** A witness that did not cosign: unreachable, refused, or answered something that is not its cosignature. */
    public static final class PushException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        PushException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The witness's HTTP status, or 0 if there was no answer. */
        public int status() {
            return status;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Ledger ledger;
    private final HttpClient http;
    private final Map<Endpoint, Long> known = new ConcurrentHashMap<>();

    public WitnessPush(Ledger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Has {@code witness} cosign the ledger's latest checkpoint and stores the cosignature.
     *
     * @return the stored checkpoint with the witness's cosignature
     * @throws IllegalStateException if the ledger has no checkpoint yet
     * @throws PushException if the witness did not cosign (its status and answer said), or cosigned a larger size than
     *     this ledger's latest checkpoint (the ledger was rolled back or forked, I09)
     */
    public SignedNote push(Endpoint witness) {
        SignedNote latest = ledger.latestCheckpoint().orElseThrow(() -> new IllegalStateException(
                "no checkpoint of " + ledger.id() + " to send to witnesses: make one first"));
        long size = Checkpoint.parse(latest.text()).size();
        long old = known.getOrDefault(witness, 0L);
        for (int attempt = 0; ; attempt++) {
            if (old > size) {
                throw new PushException(409, "witness " + witness.key().name() + " cosigned a checkpoint of " + old
                        + " entries, more than this ledger's latest (" + size + "): the ledger was rolled back or forked (I09)"
                        + " / 见证节点已签署更大的检查点，账本可能被回滚或分叉", null);
            }
            List<Hash> proof = old == 0 || old == size ? List.of() : ledger.consistencyProof(old, size).hashes();
            HttpResponse<byte[]> response = send(witness, new AddCheckpoint(old, proof, latest.bytes()));
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() == 409 && attempt == 0
                    && response.headers().firstValue("Content-Type").orElse("").startsWith("text/x.tlog.size")) {
                old = witnessSize(witness, body);
                continue;
            }
            if (response.statusCode() != 200) {
                throw new PushException(response.statusCode(), "witness " + witness.key().name() + " at " + witness.prefix()
                        + " refused the checkpoint of " + size + " entries (HTTP " + response.statusCode() + "): "
                        + body.strip() + " / 见证节点拒绝签署", null);
            }
            try {
                SignedNote cosigned = SignedNote.parse((latest.text() + "\n" + body).getBytes(StandardCharsets.UTF_8));
                SignedNote stored = ledger.addCosignature(cosigned, witness.key());
                known.put(witness, size);
                return stored;
            } catch (NoteVerificationException | MalformedInputException e) {
                throw new PushException(200, "witness " + witness.key().name() + " answered no valid cosignature by "
                        + witness.key() + ": " + e.getMessage() + " / 见证签名无效", e);
            }
        }
    }

    private static long witnessSize(Endpoint witness, String body) {
        String s = body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9') || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new PushException(409, "witness " + witness.key().name() + " answered 409 without a size: '" + s + "'", null);
        }
        return Long.parseLong(s);
    }

    private HttpResponse<byte[]> send(Endpoint witness, AddCheckpoint request) {
        HttpRequest req = HttpRequest.newBuilder(witness.addCheckpoint()).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.bytes())).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PushException(0, "witness " + witness.key().name() + " at " + witness.prefix() + " cannot be reached: "
                    + e.getMessage() + " / 无法连接见证节点", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushException(0, "interrupted while asking witness " + witness.key().name(), e);
        }
    }
}
