package org.custody.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's Prometheus metrics, in a registry of its own (so several servers in one JVM do not mix). Every series
 * about one ledger carries its id in the label {@code ledger}; requests that reached no ledger have {@code ledger=""}.
 * A scrape can be limited to the ledgers a caller may see ({@link #scrape(Predicate)}).
 */
final class Metrics {
    private static final Pattern LEDGER_LABEL = Pattern.compile("[{,]ledger=\"([^\"]*)\"");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter appended;
    private final Histogram batchSize;
    private final Histogram commitSeconds;
    private final Map<String, LongSupplier> openDrafts = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> ledgerSizes = new ConcurrentHashMap<>();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    Metrics() {
        requests = Counter.builder().name("custody_http_requests_total").help("HTTP requests by route and status")
                .labelNames("method", "route", "status", "ledger").register(registry);
        latency = Histogram.builder().name("custody_http_request_duration_seconds").help("HTTP request latency by route")
                .labelNames("method", "route", "ledger").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10).register(registry);
        appended = Counter.builder().name("custody_records_appended_total").help("records stored in the ledger by type and outcome")
                .labelNames("ledger", "type", "outcome").register(registry);
        batchSize = Histogram.builder().name("custody_commit_batch_records").help("records per group commit").classicOnly()
                .labelNames("ledger").classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        commitSeconds = Histogram.builder().name("custody_commit_duration_seconds").help("time of one group commit").classicOnly()
                .labelNames("ledger").classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1).register(registry);
        GaugeWithCallback.builder().name("custody_drafts_open").help("drafts waiting for signatures").labelNames("ledger")
                .callback(cb -> new java.util.TreeMap<>(openDrafts).forEach((id, n) -> cb.call(n.getAsLong(), id)))
                .register(registry);
        GaugeWithCallback.builder().name("custody_ledger_entries").help("entries in the ledger").labelNames("ledger")
                .callback(cb -> new java.util.TreeMap<>(ledgerSizes).forEach((id, n) -> cb.call(n.getAsLong(), id)))
                .register(registry);
    }

    /** The metrics of the ledger {@code id}: its open drafts and size are read at each scrape. */
    OfLedger ledger(String id, LongSupplier drafts, LongSupplier size) {
        openDrafts.put(id, drafts);
        ledgerSizes.put(id, size);
        return new OfLedger(id);
    }

    /** What one ledger's committer, records and drafts count, under its {@code ledger} label. */
    final class OfLedger {
        private final String id;

        private OfLedger(String id) {
            this.id = id;
        }

        /** {@code outcome}: stored, already_present or refused. */
        void record(String type, String outcome) {
            appended.labelValues(id, type, outcome).inc();
        }

        void batch(int records, long nanos) {
            batchSize.labelValues(id).observe(records);
            commitSeconds.labelValues(id).observe(nanos / 1e9);
        }
    }

    /** One request; {@code ledger} is the id of the ledger it reached, or empty. */
    void request(String method, String route, int status, String ledger, long nanos) {
        requests.labelValues(method, route, Integer.toString(status), ledger).inc();
        latency.labelValues(method, route, ledger).observe(nanos / 1e9);
    }

    String contentType() {
        return writer.getContentType();
    }

    /** Every series. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write metrics to memory", e);
        }
        return out.toByteArray();
    }

    /**
     * The series whose {@code ledger} label {@code shown} admits (the empty label: series of no ledger), with every
     * {@code # HELP} and {@code # TYPE} line; so a caller scoped to some exams learns nothing of the others.
     */
    byte[] scrape(Predicate<String> shown) {
        String all = new String(scrape(), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(all.length());
        for (String line : all.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("#")) {
                Matcher m = LEDGER_LABEL.matcher(line);
                String ledger = m.find() ? m.group(1) : "";
                if (!shown.test(ledger)) {
                    continue;
                }
            }
            out.append(line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
