package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.custody.audit.AuditReport;
import org.custody.crypto.Hash;
import org.custody.crypto.Signature;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.RecordCodec;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;

/**
 * Load tool (not a test; never run in CI): measures a running server's signed handoffs per second and
 * their latency over loopback HTTP. {@code custody-server/run-load.sh} runs its three steps with a server
 * in a process of its own (docs/benchmarks.md):
 *
 * <ol>
 * <li>{@code prepare --dir DIR --count N}: a fresh ledger {@code DIR/load.db} (four people, N bags
 *     registered), a token file, and N fully signed handoffs in {@code DIR/handoffs.jsonl}, one request body
 *     a line: each bag's print step, signed by the print supervisor, a printer and the officer (three
 *     Ed25519 signatures, rule-clean). Signing happens here, before any clock starts: people sign on their
 *     own devices, so the tool measures the server, not the signing.</li>
 * <li>{@code run --url URL --dir DIR [--rate 1000] [--seconds 30] [--warmup 10] [--server-pid PID]}: posts
 *     them to {@code POST /api/v1/records} open loop, each at its scheduled time ({@link LoadSchedule}): during
 *     the warm-up the rate rises from 0 to {@code --rate} over its first half and holds, then the measured
 *     seconds follow at {@code --rate} on the same schedule. Latency runs from the scheduled time to the answer,
 *     so a server that falls behind is not hidden by a client that waits for it. Prints the achieved rate,
 *     errors, latency percentiles, the seconds with answers over 50 ms, and with the server's pid its CPU time
 *     per handoff from {@code /proc}. {@code run-load.sh} passes {@code --warmup 90}.</li>
 * <li>{@code verify --dir DIR}: verifies the ledger after the server has stopped.</li>
 * </ol>
 */
public final class LoadTool {
    static final String TARGET = "p99 < 50 ms at 1,000 signed handoffs/s, 0 errors";
    private static final LedgerId LEDGER = LedgerId.of("LOAD");
    private static final Instant T0 = Instant.parse("2021-06-01T00:00:00Z");
    private static final String LEDGER_FILE = "load.db";
    private static final String TOKENS_FILE = "tokens";
    private static final String TOKEN_FILE = "token";
    private static final String REQUESTS_FILE = "handoffs.jsonl";
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
    private static final String USAGE = """
            usage: LoadTool prepare --dir DIR --count N
                   LoadTool run --url http://127.0.0.1:PORT --dir DIR [--rate 1000] [--seconds 30] [--warmup 10]
                                [--server-pid PID] [--max-in-flight 256]
                   LoadTool verify --dir DIR""";

    private LoadTool() {}

    public static void main(String[] args) throws Exception {
        // on 2 cores the common pool has one thread, and CompletableFuture then starts a thread for every async
        // step; the JDK's HTTP client takes one such step per answer (a thread per request, measured)
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
        if (args.length == 0) {
            usage("a command is required");
        }
        Map<String, String> o = Launcher.options(args, 1);
        int status;
        try {
            status = switch (args[0]) {
                case "prepare" -> prepare(Path.of(need(o, "dir")), Integer.parseInt(need(o, "count")));
                case "run" -> run(o);
                case "verify" -> verify(Path.of(need(o, "dir")));
                default -> usage("unknown command " + args[0]);
            };
        } catch (NumberFormatException e) {
            status = usage("a number was expected: " + e.getMessage());
        }
        System.exit(status);
    }

    private static String need(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            usage("--" + key + " is required");
        }
        return v;
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println(USAGE);
        System.exit(2);
        return 2;
    }

    // ------------------------------------------------------------------------------------------ prepare

    private static int prepare(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(LEDGER_FILE);
        if (Files.exists(file)) {
            usage(file + " exists; prepare a fresh directory");
        }
        long started = System.nanoTime();
        SigningKey officerKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey inspectorKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey supervisorKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey printerKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person officer = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        Person inspector = Person.of("P003", "杨丹", Role.DISCIPLINE_INSPECTOR);
        Person supervisor = Person.of("P010", "吴怡晓", Role.PRINT_SUPERVISOR);
        Person printer = Person.of("P011", "周立", Role.PRINTER_STAFF);
        List<Hash> registered = new ArrayList<>(count);
        try (Ledger ledger = Ledger.create(file, SignedRecord.unsigned(new Genesis(RecordId.of("genesis"), LEDGER, T0, Suite.ED25519_SHA256,
                List.of(new Founder(officer, officerKey.publicKey()), new Founder(inspector, inspectorKey.publicKey()))))
                .signedBy(officerKey).signedBy(inspectorKey))) {
            ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-P010"), LEDGER, T0, supervisor, supervisorKey.publicKey(),
                    officer.id())).signedBy(officerKey).signedBy(supervisorKey));
            ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-P011"), LEDGER, T0, printer, printerKey.publicKey(),
                    officer.id())).signedBy(officerKey).signedBy(printerKey));
            for (int from = 0; from < count; from += 1000) {
                List<Bag> bags = new ArrayList<>();
                for (int i = from; i < Math.min(count, from + 1000); i++) {
                    bags.add(Bag.papers(bag(i), BagKind.QUESTION_PAPER, "LOAD", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL));
                }
                Appended a = ledger.append(SignedRecord.unsigned(new Registration(RecordId.of("register-" + from), LEDGER,
                        T0.plusSeconds(1), bags, List.of(officer.id(), inspector.id()))).signedBy(officerKey).signedBy(inspectorKey));
                bags.forEach(b -> registered.add(a.hash()));
            }
        }
        // signing is spread over the cores; it is the devices' work, done before the server starts
        byte[][] bodies = IntStream.range(0, count).parallel().mapToObj(i -> {
            Handoff h = Handoff.builder(Step.PRINT).id(RecordId.of("h-" + i)).ledger(LEDGER).at(T0.plusSeconds(60 + i)).to(supervisor.id())
                    .witnesses(List.of(printer.id(), officer.id())).place(Place.of("PRINTER", "保密印刷厂"))
                    .bags(List.of(BagMove.of(bag(i), registered.get(i)).count(30))).build();
            return body(SignedRecord.unsigned(h).signedBy(supervisorKey).signedBy(printerKey).signedBy(officerKey));
        }).toArray(byte[][]::new);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(REQUESTS_FILE), StandardCharsets.UTF_8)) {
            for (byte[] b : bodies) {
                w.write(new String(b, StandardCharsets.UTF_8));
                w.write('\n');
            }
        }
        String token = Tokens.newToken();
        Files.writeString(dir.resolve(TOKENS_FILE),
                Tokens.line(token, EnumSet.of(ApiRole.OFFICER, ApiRole.INSPECTOR), "load", Set.of("K01")) + "\n");
        Path tokenFile = dir.resolve(TOKEN_FILE);
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        System.out.printf("prepared %s: %d bags and %d signed handoffs (3 Ed25519 signatures each) in %.1f s%n",
                dir, count, count, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static BagId bag(int i) {
        return BagId.of("LOAD.K01." + i);
    }

    /** {@code {"record": ..., "signatures": [...]}}, as a device posts it: the record as the canonical bytes its signers signed. */
    private static byte[] body(SignedRecord s) {
        ArrayNode sigs = Json.MAPPER.createArrayNode();
        for (Signature sig : s.signatures()) {
            sigs.addObject().put("key", sig.key().hex()).put("sig", sig.base64());
        }
        byte[] signed = s.signedBytes();
        int label = RecordCodec.SIGNED_LABEL.length();   // ASCII: one byte a character
        return ("{\"record\":" + new String(signed, label, signed.length - label, StandardCharsets.UTF_8)
                + ",\"signatures\":" + new String(Json.bytes(sigs), StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------ run

    private static int run(Map<String, String> o) throws Exception {
        Set<String> known = Set.of("url", "dir", "rate", "seconds", "warmup", "server-pid", "max-in-flight", "get");
        o.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> usage("unknown option --" + k));
        URI base = URI.create(need(o, "url").replaceAll("/+$", ""));
        Path dir = Path.of(need(o, "dir"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "30"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "10"));
        int maxInFlight = Integer.parseInt(o.getOrDefault("max-in-flight", "256"));
        if (rate < 1 || seconds < 1 || warmup < 0 || maxInFlight < 1) {
            usage("--rate, --seconds and --max-in-flight must be at least 1, and --warmup at least 0");
        }
        long pid = Long.parseLong(o.getOrDefault("server-pid", "-1"));
        String token = Files.readString(dir.resolve(TOKEN_FILE)).strip();
        // --get PATH: the same load of GET PATH instead (e.g. /api/v1/health: what the HTTP stack alone costs)
        String get = o.get("get");
        List<String> lines = get == null ? Files.readAllLines(dir.resolve(REQUESTS_FILE), StandardCharsets.UTF_8) : List.of();
        long rampNanos = warmup * 500_000_000L;   // the warm-up's first half rises to the rate, its second half keeps it
        int warmupCount = Math.toIntExact(LoadSchedule.count(rate, rampNanos, warmup * 1_000_000_000L));
        int measuredCount = Math.multiplyExact(rate, seconds);
        if (get == null && lines.size() < warmupCount + measuredCount) {
            usage(dir.resolve(REQUESTS_FILE) + " has " + lines.size() + " handoffs; " + (warmupCount + measuredCount)
                    + " are needed for " + (warmup + seconds) + " s at " + rate + "/s (prepare --count more)");
        }
        // requests are built before the clock starts; the client then only sends bytes and reads answers
        URI records = URI.create(base + "/api/v1/records");
        List<HttpRequest> requests = new ArrayList<>(warmupCount + measuredCount);
        for (int i = 0; i < warmupCount + measuredCount; i++) {
            requests.add(get != null
                    ? HttpRequest.newBuilder(URI.create(base + get)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60))
                            .GET().build()
                    : HttpRequest.newBuilder(records).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(lines.get(i).getBytes(StandardCharsets.UTF_8))).build());
        }
        int expectedStatus = get == null ? 201 : 200;
        lines = null;
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            java.lang.Thread t = new java.lang.Thread(r, "load-client");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();

        long sizeBefore = ledgerSize(http, base);
        clientCpuNanos();   // loads the management classes now, not while the clock runs
        System.out.printf("warm-up: %d s against %s, rising to %d/s over the first %.1f s; then %d s measured, without a pause%n",
                warmup, base, rate, warmup / 2.0, seconds);
        // one schedule for both phases: the measured phase begins where the warm-up ends, with the server in its
        // steady state, and the readings it is judged by are taken when its first request is due
        // the readings are taken on a thread of their own, so that the sender is not late for the first measured request
        CompletableFuture<Readings> readings = new CompletableFuture<>();
        Phase[] phases = send(http, requests, rate, rampNanos, warmupCount, () -> new java.lang.Thread(() -> {
            try {
                readings.complete(new Readings(ProcCpu.read(pid), clientCpuNanos(), loadAverage(), metrics(http, base, token)));
            } catch (Throwable e) {
                readings.completeExceptionally(e);
            }
        }, "load-readings").start(), maxInFlight, expectedStatus);
        Readings before;
        try {
            before = readings.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the latencies stand without them; the CPU, machine and commit figures are reported as not measured
            System.out.println("warning: the readings at the start of the measured phase failed: " + e);
            before = null;
        }
        Phase warm = phases[0];
        Phase measured = phases[1];
        long clientCpu = before == null ? -1 : clientCpuNanos() - before.clientCpuNanos();
        ProcCpu.Reading cpuAfter = ProcCpu.read(pid);
        String loadAfter = loadAverage();
        String metricsAfter = metrics(http, base, token);
        System.out.printf("warm-up: %d errors, p99 %.1f ms; over 50 ms in %d seconds%s%n", warm.errors(), warm.latencies().percentile(99) / 1e6,
                warm.slowSeconds().size(), warm.slowSeconds().isEmpty() ? "" : " (" + String.join("; ", warm.slowSeconds()) + ")");
        warm.errorSamples().forEach(e -> System.out.println("  warm-up error: " + e));
        report(get == null ? "POST /api/v1/records, " + measuredCount + " fully signed handoffs (3 Ed25519 signatures each)"
                : "GET " + get + ", " + measuredCount + " requests", get == null ? "handoff" : "request", rate, seconds, warmup, measured, pid,
                before == null ? ProcCpu.Reading.NONE : before.cpu(), cpuAfter, clientCpu,
                before == null ? "?" : before.load(), loadAfter, before == null ? "" : before.metrics(), metricsAfter);
        if (get != null) {
            return 0;
        }
        long stored = ledgerSize(http, base) - sizeBefore;
        long expected = warmupCount + measuredCount - warm.errors() - measured.errors();
        System.out.printf("stored:     %d entries added to the ledger for %d handoffs answered 201 (GET /api/v1/health)%s%n",
                stored, expected, stored == expected ? "" : ": MISMATCH");
        return stored == expected ? 0 : 1;
    }

    /** What the tool reads when the measured phase begins: the server's CPU, the client's, the load average, the server's metrics. */
    private record Readings(ProcCpu.Reading cpu, long clientCpuNanos, String load, String metrics) {}

    /** The answers of one phase: latencies from each request's scheduled time, errors, and when the last answer came. */
    record Phase(int sent, long errors, long wallNanos, long maxLateNanos, Latencies latencies, List<String> errorSamples,
                 List<String> slowSeconds) {
        double achieved() {
            return sent / (wallNanos / 1e9);
        }
    }

    /**
     * Sends {@code requests} open loop on one schedule ({@link LoadSchedule}, rising to {@code rate} over {@code rampNanos}),
     * each at its scheduled time, and waits for every answer; returns the warm-up (the requests before {@code boundary})
     * and the measured phase (the rest), and runs {@code atBoundary} on the sending thread when the first measured
     * request is due, just before it is sent. At most {@code maxInFlight} wait for an answer at once (a request waiting for a slot
     * still counts its latency from its scheduled time); any answer but {@code expected}, or none, is an error.
     */
    private static Phase[] send(HttpClient http, List<HttpRequest> requests, int rate, long rampNanos, int boundary, Runnable atBoundary,
                                int maxInFlight, int expected) throws Exception {
        int n = requests.size();
        long[] latencies = new long[n];
        long[] answered = new long[n];
        boolean[] failed = new boolean[n];
        List<ConcurrentLinkedQueue<String>> samples = List.of(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
        CompletableFuture<?>[] pending = new CompletableFuture<?>[n];
        Semaphore slots = new Semaphore(maxInFlight);
        LoadSchedule schedule = new LoadSchedule(System.nanoTime() + 1_000_000, rate, rampNanos);
        long[] maxLate = new long[2];
        for (int i = 0; i < n; i++) {
            long due = schedule.due(i);
            long wait = due - System.nanoTime();
            while (wait > 0) {
                LockSupport.parkNanos(wait);
                wait = due - System.nanoTime();
            }
            if (i == boundary) {
                atBoundary.run();
            }
            slots.acquireUninterruptibly();
            int phase = i < boundary ? 0 : 1;
            maxLate[phase] = Math.max(maxLate[phase], System.nanoTime() - due);
            int index = i;
            pending[i] = http.sendAsync(requests.get(i), HttpResponse.BodyHandlers.ofByteArray()).handle((resp, err) -> {
                answered[index] = System.nanoTime();
                latencies[index] = answered[index] - due;
                slots.release();
                if (err != null || resp.statusCode() != expected) {
                    failed[index] = true;
                    if (samples.get(phase).size() < 5) {
                        samples.get(phase).add(err != null ? err.toString() : resp.statusCode() + " " + new String(resp.body(), StandardCharsets.UTF_8));
                    }
                }
                return null;
            });
        }
        if (boundary >= n) {
            atBoundary.run();
        }
        CompletableFuture.allOf(pending).get(120, TimeUnit.SECONDS);
        return new Phase[] {
            phase(0, boundary, schedule, latencies, answered, failed, maxLate[0], new ArrayList<>(samples.get(0))),
            phase(boundary, n, schedule, latencies, answered, failed, maxLate[1], new ArrayList<>(samples.get(1)))};
    }

    /** The requests {@code from} (inclusive) to {@code to} as one phase; its wall time runs from when the first was due to the last answer. */
    private static Phase phase(int from, int to, LoadSchedule schedule, long[] latencies, long[] answered, boolean[] failed,
                               long maxLate, List<String> samples) {
        long last = from < to ? schedule.due(from) : 0;
        long errors = 0;
        for (int i = from; i < to; i++) {
            last = Math.max(last, answered[i]);
            errors += failed[i] ? 1 : 0;
        }
        long[] mine = Arrays.copyOfRange(latencies, from, to);
        long wall = from < to ? last - schedule.due(from) : 0;
        return new Phase(to - from, errors, wall, maxLate, Latencies.of(mine), samples, slowSeconds(mine, schedule, from));
    }

    /** The latency target's bound: answers slower than this are counted per second of the schedule. */
    static final long SLOW_NANOS = 50_000_000L;

    /**
     * The seconds of the schedule, counted from when request {@code from} was due, with answers slower than
     * {@link #SLOW_NANOS}, as "second: how many, slowest": whether the tail is a few stalls or spread over the run.
     * {@code latencies[k]} is request {@code from + k}'s.
     */
    static List<String> slowSeconds(long[] latencies, LoadSchedule schedule, int from) {
        TreeMap<Long, long[]> bySecond = new TreeMap<>();
        for (int k = 0; k < latencies.length; k++) {
            if (latencies[k] > SLOW_NANOS) {
                long second = (schedule.due(from + k) - schedule.due(from)) / 1_000_000_000L;
                long[] countAndMax = bySecond.computeIfAbsent(second, x -> new long[2]);
                countAndMax[0]++;
                countAndMax[1] = Math.max(countAndMax[1], latencies[k]);
            }
        }
        List<String> out = new ArrayList<>();
        bySecond.forEach((second, c) -> out.add(String.format("%d: %d, %.0f ms", second, c[0], ms(c[1]))));
        return out;
    }

    private static void report(String what, String unit, int rate, int seconds, int warmup, Phase r, long pid, ProcCpu.Reading before, ProcCpu.Reading after,
                               long clientCpu, String loadBefore, String loadAfter, String metricsBefore, String metricsAfter) {
        int cores = Runtime.getRuntime().availableProcessors();
        double wall = r.wallNanos() / 1e9;
        Latencies l = r.latencies();
        System.out.println();
        System.out.printf("custody load: %s, offered %d/s open loop for %d s after a %d s warm-up%n", what, rate, seconds, warmup);
        System.out.printf("achieved:   %.0f %ss/s (last answer %.2f s after the first send was due); errors %d%n",
                r.achieved(), unit, wall, r.errors());
        System.out.printf("latency:    p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f ms (from each request's scheduled time; "
                + "sender at most %.1f ms late)%n", ms(l.percentile(50)), ms(l.percentile(90)), ms(l.percentile(99)),
                ms(l.percentile(99.9)), ms(l.max()), ms(r.maxLateNanos()));
        r.errorSamples().forEach(e -> System.out.println("  error: " + e));
        System.out.printf("over 50 ms: in %d of %d seconds%s%n", r.slowSeconds().size(), (r.sent() + rate - 1) / rate,
                r.slowSeconds().isEmpty() ? "" : " (second: answers over 50 ms, slowest) " + String.join("; ", r.slowSeconds()));
        if (before.process() >= 0 && after.process() >= 0) {
            long ticks = after.process() - before.process();
            long system = after.processSystem() - before.processSystem();
            System.out.printf("server CPU: %.3f ms per %s (pid %d; %.3f of it in the kernel), %.0f %% of %d cores%n",
                    ticks * 1000.0 / ProcCpu.TICKS_PER_SECOND / r.sent(), unit, pid, system * 1000.0 / ProcCpu.TICKS_PER_SECOND / r.sent(),
                    100.0 * ticks / ProcCpu.TICKS_PER_SECOND / wall / cores, cores);
            Map<String, Long> groups = ProcCpu.byThreadGroup(before, after);
            StringBuilder sb = new StringBuilder("  by thread, ms per " + unit + ":");
            groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8).forEach(e ->
                    sb.append(String.format("  %s %.3f", e.getKey(), e.getValue() * 1000.0 / ProcCpu.TICKS_PER_SECOND / r.sent())));
            System.out.println(sb);
        } else {
            System.out.println(clientCpu < 0 ? "server CPU: not measured (the readings failed)" : "server CPU: not measured (give --server-pid on Linux)");
        }
        double clientShare = Math.max(0, clientCpu) / 1e9 / wall / cores;
        if (clientCpu < 0) {
            System.out.println("client CPU: not measured (the readings failed)");
        } else {
            System.out.printf("client CPU: %.3f ms per %s, %.0f %% of %d cores%n", clientCpu / 1e6 / r.sent(), unit, 100 * clientShare, cores);
        }
        if (before.machineTotal() >= 0 && after.machineTotal() > before.machineTotal()) {
            double busy = (double) (after.machineBusy() - before.machineBusy()) / (after.machineTotal() - before.machineTotal());
            double server = before.process() >= 0 ? (double) (after.process() - before.process()) / (after.machineTotal() - before.machineTotal()) : 0;
            System.out.printf("machine:    %.0f %% of the cores busy, of which other programs %.0f %%; load average %s before, %s after%n",
                    100 * busy, 100 * Math.max(0, busy - server - clientShare), loadBefore, loadAfter);
        } else {
            System.out.printf("machine:    load average %s before, %s after%n", loadBefore, loadAfter);
        }
        double commits = value(metricsAfter, "custody_commit_batch_records_count") - value(metricsBefore, "custody_commit_batch_records_count");
        double records = value(metricsAfter, "custody_commit_batch_records_sum") - value(metricsBefore, "custody_commit_batch_records_sum");
        double commitSeconds = value(metricsAfter, "custody_commit_duration_seconds_sum") - value(metricsBefore, "custody_commit_duration_seconds_sum");
        if (commits > 0) {
            System.out.printf("commits:    %.0f group commits, %.1f records and %.1f ms each on average%n", commits, records / commits,
                    commitSeconds / commits * 1000);
        }
        if (!unit.equals("handoff")) {
            return;
        }
        boolean met = rate >= 1000 && r.achieved() >= 0.99 * rate && r.errors() == 0 && l.percentile(99) < 50_000_000;
        System.out.printf("target:     %s: %s%n", TARGET, met ? "MET" : "not met");
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String metrics(HttpClient http, URI base, String token) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long ledgerSize(HttpClient http, URI base) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v1/health answered " + r.statusCode());
        }
        return Json.MAPPER.readTree(r.body()).path("size").asLong(-1);
    }

    /** The value of the series {@code name}, summed over its labels (each ledger has its own series), or NaN if none. */
    private static double value(String metrics, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    // ------------------------------------------------------------------------------------------ verify

    private static int verify(Path dir) {
        long started = System.nanoTime();
        try (Ledger ledger = Ledger.open(dir.resolve(LEDGER_FILE))) {
            AuditReport report = ledger.verify();
            System.out.printf("ledger %s: %d entries, intact %s, %d findings (verified in %.1f s)%n", dir.resolve(LEDGER_FILE),
                    report.entries(), report.intact(), report.total(), (System.nanoTime() - started) / 1e9);
            return report.intact() && report.total() == 0 ? 0 : 3;
        }
    }
}
