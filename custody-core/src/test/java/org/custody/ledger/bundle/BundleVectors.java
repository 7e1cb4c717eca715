package org.custody.ledger.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.checkpoint.Witness;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerCheckpointTest;
import org.custody.ledger.LedgerTreeTest;
import org.custody.testing.Cast;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;

/**
 * The golden bundle vectors under {@code src/test/resources/bundle/}: a deterministic ledger (Ed25519 signatures
 * are deterministic; every key is drawn from a seeded generator; the witness's clock is fixed), its export, and
 * negative cases made from it, named after the defect. {@code main} rewrites them.
 */
final class BundleVectors {
    static final String FOLDER = "/bundle/";
    static final String VALID = "ledger.bundle";
    static final String EVIDENCE = "bag-evidence.txt";
    static final String EVIDENCE_KEYS = "bag-evidence-keys.txt";
    /** The bag of the evidence vector: the first bag (by id) of the golden ledger with at least three entries. */
    static final int EVIDENCE_MIN_ENTRIES = 3;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2021-06-02T00:00:00Z"), ZoneOffset.UTC);

    private BundleVectors() {}

    /** Builds the deterministic ledger of the vectors in {@code file}: 40 entries, two checkpoints, one cosigned. */
    static void build(Path file, Path witnessState) {
        Suite suite = Suite.ED25519_SHA256;
        SigningKey logKey = SigningKey.generate(suite.signature(), Cast.seeded(4242));
        SigningKey inspector = SigningKey.generate(suite.signature(), Cast.seeded(4343));
        Chains.Chain chain = Chains.build(suite, LedgerTreeTest.ops(30));
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
            ledger.append(LedgerCheckpointTest.enrolCheckpointKey(suite, logKey, "enrol-log-1"));
            ledger.signCheckpoint(logKey);
            try (Witness w = Witness.create(witnessState, "inspector.example/P003", inspector,
                    ledger.checkpointKeys(ledger.head().size()), CLOCK)) {
                ledger.cosignLatest(w);
                ledger.appendAll(LedgerCheckpointTest.registrations(suite, "LATE", 8));
                ledger.signCheckpoint(logKey);
                ledger.cosignLatest(w);
            }
        }
    }

    /** The bytes of the valid bundle, exported from a fresh build. */
    static byte[] export() {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("golden.db");
            build(file, scratch.file("witness.state"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Bundle.export(file, out);
            return out.toByteArray();
        }
    }

    /** The evidence vector and the verifier keys that vouch for its checkpoint, one per line. */
    record EvidenceVector(String text, String keys, String bag) {}

    static EvidenceVector evidence() {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("golden.db");
            build(file, scratch.file("witness.state"));
            Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, LedgerTreeTest.ops(30));
            org.custody.model.BagId bag = chain.bagEntries().entrySet().stream()
                    .filter(e -> e.getValue().size() >= EVIDENCE_MIN_ENTRIES).map(Map.Entry::getKey)
                    .sorted(java.util.Comparator.comparing(org.custody.model.BagId::value)).findFirst().orElseThrow();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Evidence.export(file, bag, out);
            StringBuilder keys = new StringBuilder();
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                ledger.checkpointKeys(ledger.head().size()).forEach(k -> keys.append(k).append('\n'));
            }
            SigningKey inspector = SigningKey.generate(Suite.ED25519_SHA256.signature(), Cast.seeded(4343));
            keys.append(org.custody.checkpoint.NoteKey.of("inspector.example/P003",
                    org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519, inspector.publicKey())).append('\n');
            return new EvidenceVector(out.toString(StandardCharsets.UTF_8), keys.toString(), bag.value());
        }
    }

    /** Negative cases: file name (after the defect) to its bytes, and the line the reader must name. */
    record Negative(byte[] bytes, long line) {}

    static Map<String, Negative> negatives(byte[] valid) {
        String text = new String(valid, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the final newline
        int n = lines.size();
        int firstTile = indexOfPrefix(lines, "t ");
        int firstCheckpoint = indexOfPrefix(lines, "c ");
        Map<String, Negative> out = new LinkedHashMap<>();
        out.put("wrong-magic.bundle", neg(replace(lines, 0, "custody-bundle/v2"), 1));
        out.put("truncated-before-end.bundle", neg(lines.subList(0, n - 1), n));
        out.put("missing-final-newline.bundle", new Negative(text.substring(0, text.length() - 1).getBytes(StandardCharsets.UTF_8), n));
        out.put("trailing-data.bundle", neg(append(lines, "e 99 {}"), n + 1));
        out.put("entry-count-mismatch.bundle", neg(replace(lines, n - 1, lines.get(n - 1).replaceFirst("^end \\d+", "end 7")), n));
        out.put("entries-out-of-order.bundle", neg(swap(lines, 3, 4), 5));
        out.put("seq-with-leading-zero.bundle", neg(replace(lines, 2, lines.get(2).replaceFirst("^e 0 ", "e 00 ")), 3));
        out.put("tile-noncanonical-base64.bundle", neg(replace(lines, firstTile, lines.get(firstTile).replaceFirst("=$", "")), firstTile + 1));
        out.put("checkpoint-root-not-hex.bundle", neg(replace(lines, firstCheckpoint,
                lines.get(firstCheckpoint).replaceFirst("^c (\\d+) [0-9a-f]", "c $1 X")), firstCheckpoint + 1));
        out.put("head-line-missing.bundle", neg(remove(lines, indexOfPrefix(lines, "head ")), indexOfPrefix(lines, "head ") + 1));
        // time-stamp token lines (formats.md §11, schema 6): counted on the end line only when there are any
        String size = lines.get(firstCheckpoint).split(" ")[1];
        List<String> stamped = insert(lines, n - 1, "s " + size + " MAA=");
        out.put("timestamp-not-counted-on-end-line.bundle", neg(stamped, n + 1));
        out.put("end-line-counts-zero-timestamps.bundle", neg(replace(lines, n - 1, lines.get(n - 1) + " 0"), n));
        List<String> twice = insert(insert(lines, n - 1, "s " + size + " MAA="), n - 1, "s " + size + " MAA=");
        out.put("timestamps-repeated.bundle", neg(replace(twice, n + 1, lines.get(n - 1) + " 2"), n + 1));
        return out;
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalStateException("no line starts with " + prefix);
    }

    private static Negative neg(List<String> lines, long line) {
        return new Negative((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), line);
    }

    private static List<String> replace(List<String> lines, int i, String line) {
        List<String> out = new ArrayList<>(lines);
        out.set(i, line);
        return out;
    }

    private static List<String> append(List<String> lines, String line) {
        List<String> out = new ArrayList<>(lines);
        out.add(line);
        return out;
    }

    private static List<String> insert(List<String> lines, int i, String line) {
        List<String> out = new ArrayList<>(lines);
        out.add(i, line);
        return out;
    }

    private static List<String> remove(List<String> lines, int i) {
        List<String> out = new ArrayList<>(lines);
        out.remove(i);
        return out;
    }

    private static List<String> swap(List<String> lines, int i, int j) {
        List<String> out = new ArrayList<>(lines);
        out.set(i, lines.get(j));
        out.set(j, lines.get(i));
        return out;
    }

    /** Rewrites the vectors: {@code main <custody-core/src/test/resources/bundle>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        byte[] valid = export();
        Files.write(dir.resolve(VALID), valid);
        StringBuilder index = new StringBuilder();
        for (Map.Entry<String, Negative> e : negatives(valid).entrySet()) {
            Files.write(dir.resolve("negative-" + e.getKey()), e.getValue().bytes());
            index.append("negative-").append(e.getKey()).append(' ').append(e.getValue().line()).append('\n');
        }
        Files.writeString(dir.resolve("negatives.txt"), index.toString());
        EvidenceVector evidence = evidence();
        Files.writeString(dir.resolve(EVIDENCE), evidence.text());
        Files.writeString(dir.resolve(EVIDENCE_KEYS), evidence.keys());
    }
}
