package org.custody.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.LongSupplier;

/** The server's Prometheus metrics, in a registry of its own (so several servers in one JVM do not mix). */
final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter appended;
    private final Histogram batchSize;
    private final Histogram commitSeconds;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    Metrics(LongSupplier openDrafts, LongSupplier ledgerSize) {
        requests = Counter.builder().name("custody_http_requests_total").help("HTTP requests by route and status")
                .labelNames("method", "route", "status").register(registry);
        latency = Histogram.builder().name("custody_http_request_duration_seconds").help("HTTP request latency by route")
                .labelNames("method", "route").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10).register(registry);
        appended = Counter.builder().name("custody_records_appended_total").help("records stored in the ledger by type and outcome")
                .labelNames("type", "outcome").register(registry);
        batchSize = Histogram.builder().name("custody_commit_batch_records").help("records per group commit").classicOnly()
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        commitSeconds = Histogram.builder().name("custody_commit_duration_seconds").help("time of one group commit").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1).register(registry);
        GaugeWithCallback.builder().name("custody_drafts_open").help("drafts waiting for signatures")
                .callback(cb -> cb.call(openDrafts.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("custody_ledger_entries").help("entries in the ledger")
                .callback(cb -> cb.call(ledgerSize.getAsLong())).register(registry);
    }

    void request(String method, String route, int status, long nanos) {
        requests.labelValues(method, route, Integer.toString(status)).inc();
        latency.labelValues(method, route).observe(nanos / 1e9);
    }

    /** {@code outcome}: stored, already_present or refused. */
    void record(String type, String outcome) {
        appended.labelValues(type, outcome).inc();
    }

    void batch(int records, long nanos) {
        batchSize.observe(records);
        commitSeconds.observe(nanos / 1e9);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write metrics to memory", e);
        }
        return out.toByteArray();
    }
}
