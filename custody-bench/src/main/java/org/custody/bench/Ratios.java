package org.custody.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JMH JSON result ({@code -rf json}) of one run and prints, as a Markdown table, the issue's
 * targets as ratios against the bound measured in that same run: batched append and streaming
 * verification, in signatures checked per second, over raw Ed25519 verification on 2 threads.
 */
public final class Ratios {
    private static final double TARGET = 0.80;

    private Ratios() {}

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Map<String, Double> score = new LinkedHashMap<>();
        for (JsonNode r : results) {
            String name = r.get("benchmark").asText().replace("org.custody.bench.", "");
            JsonNode params = r.get("params");
            if (params != null && params.has("size")) {
                name += "[" + params.get("size").asText() + "]";
                score.put(name + ":entries", r.get("secondaryMetrics").get("entries").get("score").asDouble());
            }
            score.put(name, r.get("primaryMetric").get("score").asDouble());
        }
        Double bound = score.get("SignatureBench.ed25519Bc2");
        if (bound == null) {
            throw new IllegalArgumentException("the run has no SignatureBench.ed25519Bc2, the bound");
        }
        System.out.printf("Bound: raw Ed25519 verify on 2 threads = %,.0f signatures/s = %,.0f three-signature handoffs/s%n%n",
                bound, bound / 3);
        System.out.println("| measured | rate | signatures/s | ratio to bound | target | met |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (String append : new String[] {"AppendBench.durableOne", "AppendBench.batch100", "AppendBench.batch1000",
                "AppendBench.batch1000Checkpointed", "AppendBench.batch1000Pipelined",
                "AppendBench.batch1000PipelinedCheckpointed"}) {
            Double rate = score.get(append);
            if (rate != null) {
                row(append, rate, "handoffs/s", rate * 3, bound, !append.endsWith("durableOne"));
            }
        }
        for (Map.Entry<String, Double> e : score.entrySet()) {
            if (e.getKey().endsWith(":entries")) {
                long size = Long.parseLong(e.getKey().replaceAll(".*\\[(\\d+)].*", "$1"));
                // genesis: 6 signatures, registration: 2, every handoff: 3
                double signaturesPerEntry = (6 + 2 + 3.0 * (size - 2)) / size;
                row(e.getKey().replace(":entries", ""), e.getValue(), "entries/s", e.getValue() * signaturesPerEntry, bound, true);
            }
        }
    }

    private static void row(String name, double rate, String unit, double signatures, double bound, boolean targeted) {
        double ratio = signatures / bound;
        System.out.printf("| %s | %,.0f %s | %,.0f | %.0f %% | %s | %s |%n", name, rate, unit, signatures, 100 * ratio,
                targeted ? ">= 80 %" : "none (one fsync per handoff)", targeted ? (ratio >= TARGET ? "yes" : "**no**") : "-");
    }
}
