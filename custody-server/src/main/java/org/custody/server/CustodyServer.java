package org.custody.server;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Custody HTTP service over one or more ledgers (one per exam; each under {@code /api/v1/ledgers/{ledger}}): a JSON API under {@code /api/v1} (see {@code /openapi.json}),
 * drafts that several people co-sign from their own devices, fully signed records posted in one request,
 * queries, and Prometheus metrics at {@code /metrics}. Callers authenticate with bearer tokens whose
 * hashes are in the token file; errors are RFC 9457 problem+json.
 *
 * <p>{@link #create} builds the server unstarted (nothing listens, no thread runs); {@link #start()} listens and
 * starts its threads; {@link #close} stops it. A start that fails (the port is in use: {@link PortInUseException})
 * closes everything the server had opened and leaves no file of its own behind.
 */
public final class CustodyServer implements AutoCloseable {
    static final String API = AppFactory.API;
    private static final Logger LOG = LoggerFactory.getLogger(CustodyServer.class);

    /** JVM options with which the load target is met (docs/server.md, "Starting it"); {@code bin/custody} passes them by default. */
    static final String RECOMMENDED_JAVA_OPTS = "-XX:+UseParallelGC -Xmn128m -XX:InitialRAMPercentage=25 -XX:MetaspaceSize=64m";

    /** What {@link AppFactory} built: the app and its ledgers, wired, nothing started. */
    record Parts(Exams exams, ServerConfig config, Tokens tokens, SigningKey checkpointKey, List<Route> routes, Javalin javalin) {}

    private enum State { NEW, LISTENING, CLOSED }

    private final Parts parts;
    private State state = State.NEW;
    private ScheduledExecutorService sweeper;

    CustodyServer(Parts parts) {
        this.parts = parts;
    }

    /** Opens the configured ledgers and builds the server over them, unstarted; the server closes them on {@link #close}. */
    public static CustodyServer create(ServerConfig config) {
        return AppFactory.create(config);
    }

    /** Builds a server over an open ledger, unstarted (tests, tools); the caller closes the ledger after {@link #close}. */
    static CustodyServer create(Ledger ledger, ServerConfig config, Clock clock) {
        return AppFactory.create(List.of(ledger), false, config, clock);
    }

    /** Builds a server over several open ledgers, one per exam, unstarted (tests); the caller closes them after {@link #close}. */
    static CustodyServer create(List<Ledger> ledgers, ServerConfig config, Clock clock) {
        return AppFactory.create(ledgers, false, config, clock);
    }

    /** Opens the configured ledgers and serves them until {@link #close}; a failed start leaves nothing open. */
    public static CustodyServer start(ServerConfig config) {
        logCollector();
        return create(config).start();
    }

    /** Serves an open ledger (tests, tools); the caller closes the ledger after {@link #close}. */
    static CustodyServer start(Ledger ledger, ServerConfig config, Clock clock) {
        return create(ledger, config, clock).start();
    }

    /** Serves several open ledgers, one per exam (tests); the caller closes them after {@link #close}. */
    static CustodyServer start(List<Ledger> ledgers, ServerConfig config, Clock clock) {
        return create(ledgers, config, clock).start();
    }

    /**
     * Starts the committer, takes back the drafts kept in the ledger's store, listens on the configured address, and
     * then starts the draft sweeper and (with a checkpoint key) the checkpointer, which checkpoints while no other
     * instance on the ledger does. If it cannot listen, the server is closed (threads stopped, an owned ledger closed)
     * and the failure thrown: {@link PortInUseException} when the port is taken.
     */
    public synchronized CustodyServer start() {
        if (state != State.NEW) {
            throw new IllegalStateException("the server was started or closed already");
        }
        ServerConfig config = parts.config();
        try {
            for (Exam exam : parts.exams().all()) {
                exam.start();
            }
            parts.javalin().start(config.host(), config.port());
        } catch (JavalinBindException e) {
            close();
            throw listenFailure(config.host(), config.port(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        state = State.LISTENING;
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "custody-draft-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, Math.min(10_000, config.draftTtl().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        SigningKey key = parts.checkpointKey();
        List<String> ids = parts.exams().all().stream().map(e -> e.id).toList();
        for (Exam exam : parts.exams().all()) {
            if (key != null) {
                exam.startCheckpointer(key, config, LOG);
            }
        }
        LOG.info("custody server for {} {} listening on {}:{} ({} tokens)", ids.size() == 1 ? "ledger" : "ledgers",
                String.join(", ", ids), config.host(), port(), parts.tokens().size());
        if (parts.exams().several()) {
            List<String> unscoped = parts.tokens().callers().stream().filter(c -> !c.scoped()).map(Caller::name).toList();
            if (!unscoped.isEmpty()) {
                LOG.warn("tokens {} name no exam (exams=...), so with several ledgers they may use none of them (docs/server.md)",
                        unscoped);
            }
        }
        return this;
    }

    /** A failure to bind: {@link PortInUseException} when the port is taken, else a clear usage error. */
    static RuntimeException listenFailure(String host, int port, JavalinBindException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException b && b.getMessage() != null && b.getMessage().contains("in use")) {
                return new PortInUseException(host, port, e);
            }
        }
        return new IllegalArgumentException("无法在 " + host + ":" + port + " 上监听，服务未启动 / cannot listen on "
                + host + ":" + port + " (" + e.getMessage() + "); the server did not start. Check --host and --port.", e);
    }

    /**
     * Names the garbage collector in the log, with a hint when it is not the parallel one: under load, G1's young
     * pauses here took 30-65 ms every few seconds and held the 99th percentile above 50 ms (docs/benchmarks.md).
     */
    private static void logCollector() {
        List<String> collectors = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList();
        if (collectors.contains("PS Scavenge")) {
            LOG.info("garbage collectors: {}", collectors);
        } else {
            LOG.info("garbage collectors: {}; for short pauses under load start the JVM with {} (docs/server.md)",
                    collectors, RECOMMENDED_JAVA_OPTS);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return parts.javalin().port();
    }

    /** What the server serves, one exam per ledger. */
    List<Exam> exams() {
        return parts.exams().all();
    }

    /** The route table, as registered (each {@code GET} route also answers {@code HEAD}). */
    List<Route> routes() {
        return parts.routes();
    }

    private void sweep() {
        try {
            for (Exam exam : parts.exams().all()) {
                exam.drafts.sweep();
            }
        } catch (RuntimeException e) {
            LOG.warn("draft sweep failed: {}", e.toString());
        }
    }

    /** Registers a shutdown hook that stops this server (SIGTERM, Ctrl-C) and waits for it. */
    public void awaitShutdown() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping: finishing the records in hand");
            close();
            stopped.countDown();
        }, "custody-shutdown"));
        stopped.await();
    }

    /** The key this server signs checkpoints with, or {@code null}; wiped by {@link #close}. */
    SigningKey checkpointKey() {
        return parts.checkpointKey();
    }

    /** Stops listening, stores the records in hand, wipes the checkpoint key, and closes an owned ledger. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        for (Exam exam : parts.exams().all()) {
            exam.stopCheckpointer();
        }
        if (parts.checkpointKey() != null) {
            parts.checkpointKey().destroy(); // no checkpointer signs any more: the key's bytes are wiped
        }
        parts.javalin().stop();
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        for (Exam exam : parts.exams().all()) {
            exam.close();
        }
    }

    /**
     * {@code java -jar custody-server.jar --ledger FILE [--port N] [--host H] [--tokens FILE] [--config FILE] ...}
     * serves a ledger; {@code java -jar custody-server.jar new-token --roles R --name NAME [--sites S]} makes a token.
     */
    public static void main(String[] args) {
        System.exit(Launcher.run(args, System.getenv(), System.out, System.err));
    }
}
