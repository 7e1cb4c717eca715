package org.custody.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads JMH JSON results ({@code -rf json}) and prints, as a Markdown table, the targets as ratios
 * against the bound: batched append and streaming verification, in signatures checked per second, over raw
 * Ed25519 verification on 2 threads. With one file, the bound is the one measured in that run. With
 * {@code --paired} and several files, written in turn by {@code run-paired.sh} (the bound, a benchmark, the
 * bound again, the next benchmark, ..., the bound), each benchmark is set against the mean of the two bound
 * runs beside it, so that the machine's drift over a long run does not enter its ratio.
 */
public final class Ratios {
    private static final double TARGET = 0.80;

    private Ratios() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--paired")) {
            paired(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, Double> score = scores(Path.of(args[0]));
        Double bound = score.get(BOUND);
        if (bound == null) {
            throw new IllegalArgumentException("the run has no " + BOUND + ", the bound");
        }
        System.out.printf("Bound: raw Ed25519 verify on 2 threads = %,.0f signatures/s = %,.0f three-signature handoffs/s%n%n",
                bound, bound / 3);
        header();
        rows(score, bound);
    }

    private static final String BOUND = "SignatureBench.ed25519Bc2";

    /** Files alternate: bound, benchmark, bound, ..., bound; each benchmark against the mean of its neighbours. */
    private static void paired(String[] files) throws IOException {
        if (files.length < 3 || files.length % 2 == 0) {
            throw new IllegalArgumentException("--paired takes the bound's file, then a benchmark's and the bound's again, in turn: "
                    + "an odd number of files, at least 3; got " + files.length);
        }
        double[] bounds = new double[files.length / 2 + 1];
        for (int i = 0; i < files.length; i += 2) {
            Double bound = scores(Path.of(files[i])).get(BOUND);
            if (bound == null) {
                throw new IllegalArgumentException(files[i] + " has no " + BOUND + ", the bound");
            }
            bounds[i / 2] = bound;
        }
        System.out.printf("Bound: raw Ed25519 verify on 2 threads, measured before and after each benchmark: %s signatures/s%n%n",
                java.util.Arrays.stream(bounds).mapToObj(b -> String.format("%,.0f", b)).collect(java.util.stream.Collectors.joining(", ")));
        header();
        for (int i = 1; i < files.length; i += 2) {
            rows(scores(Path.of(files[i])), (bounds[i / 2] + bounds[i / 2 + 1]) / 2);
        }
    }

    /** The primary score of every benchmark in {@code file}, and the entries/s of those with a ledger size. */
    private static Map<String, Double> scores(Path file) throws IOException {
        JsonNode results = new ObjectMapper().readTree(file.toFile());
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
        return score;
    }

    private static void header() {
        System.out.println("| measured | rate | signatures/s | bound (signatures/s) | ratio to bound | target | met |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    }

    private static void rows(Map<String, Double> score, double bound) {
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
        System.out.printf("| %s | %,.0f %s | %,.0f | %,.0f | %.0f %% | %s | %s |%n", name, rate, unit, signatures, bound, 100 * ratio,
                targeted ? ">= 80 %" : "none (one fsync per handoff)", targeted ? (ratio >= TARGET ? "yes" : "**no**") : "-");
    }
}
