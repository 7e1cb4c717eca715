package org.custody.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * Load tool (not a test; never run in CI): drives the real server over loopback HTTP with fully signed
 * three-signature Ed25519 handoffs posted at a fixed rate (open loop), and prints the achieved rate and
 * latency percentiles. Latency runs from each request's scheduled send time to its response, so a
 * stalled server is not hidden by a client that waits for it (no coordinated omission).
 *
 * <p>It creates a fresh ledger (three people, one bag per handoff, registered up front), starts the
 * server in this JVM on a loopback port, signs every handoff before the clock starts (signing happens on
 * people's devices, not on the server), then posts them. At the end it verifies the ledger.
 *
 * <pre>
 * ./mvnw -B -o -q -pl custody-server -am test-compile
 * java -cp custody-server/target/test-classes:custody-server/target/classes:"custody-server/target/lib/*" \
 *      org.custody.server.LoadTool --rate 1000 --seconds 30 --warmup 5
 * </pre>
 * ({@code target/lib} is filled by {@code ./mvnw -pl custody-server -am package -DskipTests}.)
 */
public final class LoadTool {
    private static final LedgerId LEDGER = LedgerId.of("LOAD");
    private static final Instant T0 = Instant.parse("2021-06-01T00:00:00Z");
    private static final int MAX_IN_FLIGHT = 128;

    private LoadTool() {}

    public static void main(String[] args) throws Exception {
        int rate = 1000;
        int seconds = 30;
        int warmup = 5;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: LoadTool [--rate N/s] [--seconds N] [--warmup N] [--dir DIR]");
                    System.exit(2);
                }
            }
        }
        dir = dir == null ? Files.createTempDirectory("custody-load") : Files.createDirectories(dir);
        Path file = dir.resolve("load-" + System.currentTimeMillis() + ".db");
        int total = rate * (seconds + warmup);

        // the first real step of each bag's life: printed under the print supervisor, with a printer and the
        // officer as witnesses (three signatures, rule-clean, as in the samples' life cycle)
        SigningKey officerKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey inspectorKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey supervisorKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey printerKey = SigningKey.generate(SignatureAlgorithm.ED25519);
        Person officer = Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        Person inspector = Person.of("P003", "杨丹", Role.DISCIPLINE_INSPECTOR);
        Person supervisor = Person.of("P010", "吴怡晓", Role.PRINT_SUPERVISOR);
        Person printer = Person.of("P011", "周立", Role.PRINTER_STAFF);
        System.out.printf("preparing %s: %d bags, one three-signature handoff each%n", file, total);
        Ledger ledger = Ledger.create(file, SignedRecord.unsigned(new Genesis(RecordId.of("genesis"), LEDGER, T0, Suite.ED25519_SHA256,
                List.of(new Founder(officer, officerKey.publicKey()), new Founder(inspector, inspectorKey.publicKey()))))
                .signedBy(officerKey).signedBy(inspectorKey));
        ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-P010"), LEDGER, T0, supervisor, supervisorKey.publicKey(),
                officer.id())).signedBy(officerKey).signedBy(supervisorKey));
        ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-P011"), LEDGER, T0, printer, printerKey.publicKey(),
                officer.id())).signedBy(officerKey).signedBy(printerKey));
        List<Hash> registered = new ArrayList<>();
        for (int from = 0; from < total; from += 1000) {
            List<Bag> bags = new ArrayList<>();
            for (int i = from; i < Math.min(total, from + 1000); i++) {
                bags.add(Bag.papers(bag(i), BagKind.QUESTION_PAPER, "LOAD", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL));
            }
            Appended a = ledger.append(SignedRecord.unsigned(new Registration(RecordId.of("register-" + from), LEDGER, T0.plusSeconds(1),
                    bags, List.of(officer.id(), inspector.id()))).signedBy(officerKey).signedBy(inspectorKey));
            for (int i = 0; i < bags.size(); i++) {
                registered.add(a.hash());
            }
        }
        List<byte[]> bodies = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            Handoff h = new Handoff(RecordId.of("h-" + i), LEDGER, T0.plusSeconds(60 + i), Step.PRINT, null, supervisor.id(),
                    List.of(printer.id(), officer.id()), Place.of("PRINTER", "保密印刷厂"),
                    List.of(BagMove.of(bag(i), registered.get(i)).withCount(30)), null);
            bodies.add(body(SignedRecord.unsigned(h).signedBy(supervisorKey).signedBy(printerKey).signedBy(officerKey)));
        }
        String token = Tokens.newToken();
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, Tokens.line(token, EnumSet.of(ApiRole.OFFICER, ApiRole.INSPECTOR), "load", Set.of("K01")) + "\n");
        ServerConfig config = new ServerConfig(file, "127.0.0.1", 0, tokens, Duration.ofMinutes(15), 1L << 20, 10_000, false);
        try (CustodyServer server = CustodyServer.start(ledger, config, Clock.systemUTC())) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/records");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(4)).build();
            System.out.printf("warm-up: %d s at %d/s%n", warmup, rate);
            run(http, uri, token, bodies.subList(0, rate * warmup), rate);
            System.out.printf("measuring: %d s at %d/s (load average before: %s)%n", seconds, rate, loadAverage());
            long cpu = processCpuNanos();
            Result r = run(http, uri, token, bodies.subList(rate * warmup, total), rate);
            cpu = processCpuNanos() - cpu;
            System.out.printf("load average after: %s%n", loadAverage());
            r.print();
            System.out.printf("CPU (server and client in this JVM): %.2f ms per handoff, %.0f %% of %d cores%n",
                    cpu / 1e6 / r.sent(), 100.0 * cpu / r.wallNanos() / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());
            System.out.println(commitStats(http, server.port(), token));
        }
        AuditReport report = ledger.verify();
        System.out.printf("ledger: %d entries, intact %s, %d findings%n", report.entries(), report.intact(), report.total());
        ledger.close();
        System.exit(0);
    }

    private static BagId bag(int i) {
        return BagId.of("LOAD.K01." + i);
    }

    private static byte[] body(SignedRecord s) throws Exception {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("record", Json.MAPPER.readTree(RecordCodec.canonicalBytes(s.record())));
        ArrayNode sigs = o.putArray("signatures");
        for (Signature sig : s.signatures()) {
            sigs.addObject().put("key", sig.key().hex()).put("sig", sig.base64());
        }
        return Json.MAPPER.writeValueAsBytes(o);
    }

    record Result(int sent, long errors, long wallNanos, long[] latencies, List<String> errorSamples) {
        void print() {
            long[] l = latencies.clone();
            Arrays.sort(l);
            System.out.printf("sent %d, errors %d, achieved %.0f handoffs/s%n", sent, errors, sent / (wallNanos / 1e9));
            System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                    pct(l, 50), pct(l, 90), pct(l, 99), pct(l, 99.9), l.length == 0 ? 0 : l[l.length - 1] / 1e6);
            errorSamples.stream().limit(5).forEach(e -> System.out.println("  error: " + e));
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    /** Posts {@code bodies} at {@code rate} per second, each at its scheduled time; waits for every answer. */
    private static Result run(HttpClient http, URI uri, String token, List<byte[]> bodies, int rate) throws Exception {
        int n = bodies.size();
        long[] latencies = new long[n];
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>(n);
        // at most this many requests (and so connections) in flight; a request waiting for a slot still
        // counts its latency from its scheduled time
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquireUninterruptibly();
            int index = i;
            HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
            pending.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
                latencies[index] = System.nanoTime() - due;
                slots.release();
                if (err != null || resp.statusCode() != 201) {
                    errors.incrementAndGet();
                    if (samples.size() < 5) {
                        samples.add(err != null ? err.toString() : resp.statusCode() + " " + resp.body());
                    }
                }
                return null;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long wall = System.nanoTime() - start;
        return new Result(n, errors.get(), wall, latencies, new ArrayList<>(samples));
    }

    private static String commitStats(HttpClient http, int port, String token) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = value(metrics, "custody_commit_batch_records_sum");
        double count = value(metrics, "custody_commit_batch_records_count");
        double secs = value(metrics, "custody_commit_duration_seconds_sum");
        return String.format("group commits: %.0f, mean %.1f records per commit, mean commit %.1f ms", count, sum / count,
                secs / count * 1000);
    }

    private static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
