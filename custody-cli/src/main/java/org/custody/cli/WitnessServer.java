package org.custody.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.custody.checkpoint.AddCheckpoint;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.Witness;
import org.custody.checkpoint.WitnessConflictException;
import org.custody.checkpoint.WitnessRefusedException;
import org.custody.checkpoint.WitnessStateException;
import org.custody.failure.MalformedInputException;

/**
 * A C2SP tlog-witness over HTTP (the JDK's server): {@code POST <prefix>/add-checkpoint} answered by a {@link Witness}
 * (200 with the cosignature line, 400 malformed, 403 no trusted signature, 404 unknown log, 409 with the witness's
 * size as {@code text/x.tlog.size}, 422 the consistency proof fails). Requests are not authenticated, as the protocol
 * says: the log's signature on the checkpoint is what is checked. One line per answer goes to the log writer.
 */
final class WitnessServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Witness witness;
    private final PrintWriter log;

    private WitnessServer(HttpServer server, ExecutorService executor, Witness witness, PrintWriter log) {
        this.server = server;
        this.executor = executor;
        this.witness = witness;
        this.log = log;
    }

    /** Starts answering at {@code address} under {@code prefix} ("" or a path starting with "/"). */
    static WitnessServer start(Witness witness, InetSocketAddress address, String prefix, PrintWriter log) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "custody-witness-http");
            t.setDaemon(true);
            return t;
        });
        WitnessServer w = new WitnessServer(server, executor, witness, log);
        server.createContext(prefix + "/add-checkpoint", w::handle);
        server.setExecutor(executor);
        server.start();
        return w;
    }

    /** The address it listens on (the port chosen if 0 was asked). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                answer(exchange, 405, "text/plain; charset=utf-8", "add-checkpoint is a POST\n");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(AddCheckpoint.MAX_BYTES + 1);
            }
            if (body.length > AddCheckpoint.MAX_BYTES) {
                answer(exchange, 413, "text/plain; charset=utf-8", "the request is larger than " + AddCheckpoint.MAX_BYTES + " bytes\n");
                return;
            }
            respond(exchange, body);
        }
    }

    private void respond(HttpExchange exchange, byte[] body) throws IOException {
        String origin = "?";
        try {
            AddCheckpoint request = AddCheckpoint.parse(body);
            origin = Checkpoint.parse(SignedNote.parse(request.checkpoint()).text()).origin();
            if (!witness.follows(origin)) {
                refuse(exchange, 404, origin, "this witness follows no log with origin " + origin);
                return;
            }
            NoteSignature line = witness.addCheckpoint(request);
            log("cosigned", origin, 200, Checkpoint.parse(SignedNote.parse(request.checkpoint()).text()).size() + " entries");
            answer(exchange, 200, "text/plain; charset=utf-8", line.line() + "\n");
        } catch (WitnessConflictException e) {
            log("refused", origin, 409, e.getMessage());
            answer(exchange, 409, "text/x.tlog.size", e.knownSize() + "\n");
        } catch (NoteVerificationException e) {
            refuse(exchange, 403, origin, e.getMessage());
        } catch (WitnessRefusedException e) {
            refuse(exchange, 422, origin, e.getMessage());
        } catch (WitnessStateException e) {
            refuse(exchange, 500, origin, "the witness state could not be recorded; nothing was cosigned");
        } catch (MalformedInputException e) {
            refuse(exchange, 400, origin, e.getMessage());
        }
    }

    private void refuse(HttpExchange exchange, int status, String origin, String why) throws IOException {
        log("refused", origin, status, why);
        answer(exchange, status, "text/plain; charset=utf-8", why + "\n");
    }

    private void log(String what, String origin, int status, String detail) {
        synchronized (log) {
            log.println(what + " " + origin + " (" + status + "): " + detail);
            log.flush();
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops answering (requests in progress get up to a second) and releases the witness's state file. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        witness.close();
    }
}
