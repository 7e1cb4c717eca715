package org.custody.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;
import org.custody.testing.Golden;

/**
 * Writes the label vectors ({@code src/test/resources/label/vectors.json}, see the README there). Run it only when the
 * label format changes on purpose, then review the diff and commit it (from {@code custody-core}):
 *
 * <pre>
 * ../mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.custody.label.LabelVectorsGenerator
 * </pre>
 *
 * <p>The labels bind bags of the golden ledgers ({@code golden/ledger-*.json}); the check cases are checked against
 * those ledgers' entries. Nothing is random: running it twice writes the same file.
 */
public final class LabelVectorsGenerator {
    static final String RESOURCE = "/label/vectors.json";
    static final String ED25519_LEDGER = "ed25519-sha256";
    static final String SM2_LEDGER = "sm2-sm3";
    static final BagId PAPERS = BagId.of("K01.01.S1.ENG.A");
    static final BagId BOX = BagId.of("BOX-07");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private LabelVectorsGenerator() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/label");
        Files.createDirectories(out);
        Files.write(out.resolve("vectors.json"), Golden.render(generate()));
    }

    /** A golden ledger's entries, decoded from the committed file. */
    static List<Entry> entries(String suite) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : Golden.load(Golden.ledgerFile(suite)).get("entries")) {
            out.add(Entry.decode(e.get("entry").asText().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    static HashAlgorithm hash(String suite) {
        return suite.equals(ED25519_LEDGER) ? HashAlgorithm.SHA_256 : HashAlgorithm.SM3;
    }

    static LedgerId ledger(List<Entry> entries) {
        return entries.get(0).record().ledger();
    }

    /** The vector file. */
    static JsonNode generate() {
        ObjectNode root = JSON.objectNode();
        root.put("description", "Custody bag labels, format version 1 (docs/formats.md, 'Bag labels'): payloads binding bags "
                + "of the golden ledgers to their seal entries, check cases against those ledgers, and payloads that must be "
                + "refused, each named after its defect.");
        root.put("prefix", Label.PREFIX);
        root.put("hashLabel", LabelTag.HASH_LABEL);
        root.put("tagBytes", LabelTag.BYTES);
        root.put("maxLength", Label.MAX_LENGTH);

        ArrayNode labels = root.putArray("labels");
        for (String suite : List.of(ED25519_LEDGER, SM2_LEDGER)) {
            List<Entry> entries = entries(suite);
            for (BagId bag : List.of(PAPERS, BOX)) {
                labels.add(label(suite, entries, bag));
            }
        }

        List<Entry> sha = entries(ED25519_LEDGER);
        LedgerId id = ledger(sha);
        Label good = LabelCheck.issue(HashAlgorithm.SHA_256, id, PAPERS, history(sha, PAPERS));
        Label box = LabelCheck.issue(HashAlgorithm.SHA_256, id, BOX, history(sha, BOX));
        Entry handoff = sha.get(3);
        ArrayNode checks = root.putArray("checks");
        check(checks, "ok-question-paper-bag", ED25519_LEDGER, good);
        check(checks, "ok-transport-box", ED25519_LEDGER, box);
        check(checks, "ok-sm2-ledger", SM2_LEDGER, LabelCheck.issue(HashAlgorithm.SM3, id, PAPERS, history(entries(SM2_LEDGER), PAPERS)));
        check(checks, "swapped-bag-id", ED25519_LEDGER, new Label(id, BOX, good.seq(), good.tag()));
        check(checks, "tag-one-character-changed", ED25519_LEDGER, new Label(id, PAPERS, good.seq(),
                new LabelTag(flip(good.tag().text(), 5))));
        check(checks, "bound-to-a-later-handoff", ED25519_LEDGER, Label.bind(HashAlgorithm.SHA_256, id, PAPERS, handoff.seq(),
                handoff.hash(HashAlgorithm.SHA_256)));
        check(checks, "tag-with-the-other-hash-function", ED25519_LEDGER, Label.bind(HashAlgorithm.SM3, id, PAPERS, good.seq(),
                sha.get((int) good.seq()).hash(HashAlgorithm.SHA_256)));
        check(checks, "sm2-ledger-label-on-ed25519-ledger", ED25519_LEDGER, LabelCheck.issue(HashAlgorithm.SM3, id, PAPERS,
                history(entries(SM2_LEDGER), PAPERS)));
        check(checks, "unknown-bag", ED25519_LEDGER, new Label(id, BagId.of("K01.01.S1.ENG.B"), good.seq(), good.tag()));
        check(checks, "other-ledger", ED25519_LEDGER, new Label(LedgerId.of("HN-ZSB-2020"), PAPERS, good.seq(), good.tag()));

        String p = good.payload();
        String tag = good.tag().text();
        String head = Label.PREFIX + id + "/" + PAPERS + "/";
        ArrayNode malformed = root.putArray("malformed");
        malformed(malformed, "empty", "", "payload");
        malformed(malformed, "too-long", Label.PREFIX + "L".repeat(64) + "/" + "B".repeat(64) + "/"
                + "9".repeat(16) + "/" + tag + "X", "payload");
        malformed(malformed, "trailing-line-end", p + "\r\n", "payload");
        malformed(malformed, "leading-space", " " + p, "payload");
        malformed(malformed, "full-width-slash", p.replaceFirst("/", "\uff0f"), "payload");
        malformed(malformed, "prefix-missing", p.substring(Label.PREFIX.length()), "prefix");
        malformed(malformed, "prefix-lower-case-caps-lock", swapCase(p), "prefix");
        malformed(malformed, "prefix-other-version", p.replace("CUSTODY1/", "CUSTODY2/"), "prefix");
        malformed(malformed, "not-a-label-url", "https://example.org/bag/K01.01.S1.ENG.A", "prefix");
        malformed(malformed, "fields-too-few", head + good.seq(), "payload");
        malformed(malformed, "fields-too-many", p + "/X", "payload");
        malformed(malformed, "ledger-empty", Label.PREFIX + "/" + PAPERS + "/" + good.seq() + "/" + tag, "ledger");
        malformed(malformed, "ledger-invalid-character", p.replace(id.value(), "HN_ZSB#2021"), "ledger");
        malformed(malformed, "bag-starts-with-dot", p.replace(PAPERS.value(), ".K01.01"), "bag");
        malformed(malformed, "bag-too-long", p.replace(PAPERS.value(), "K".repeat(65)), "bag");
        malformed(malformed, "seq-zero", head + "0/" + tag, "seq");
        malformed(malformed, "seq-leading-zero", head + "02/" + tag, "seq");
        malformed(malformed, "seq-negative", head + "-2/" + tag, "seq");
        malformed(malformed, "seq-not-decimal", head + "0x2/" + tag, "seq");
        malformed(malformed, "seq-past-largest", head + "9007199254740992/" + tag, "seq");
        malformed(malformed, "tag-short", head + good.seq() + "/" + tag.substring(1), "tag");
        malformed(malformed, "tag-long", head + good.seq() + "/" + tag + "A", "tag");
        malformed(malformed, "tag-lower-case", head + good.seq() + "/" + tag.toLowerCase(java.util.Locale.ROOT), "tag");
        malformed(malformed, "tag-not-base32-digit-1", head + good.seq() + "/1" + tag.substring(1), "tag");
        malformed(malformed, "tag-base32-padding", head + good.seq() + "/" + tag.substring(0, 28) + "====", "tag");
        return root;
    }

    static List<Entry> history(List<Entry> entries, BagId bag) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.record().moves().stream().anyMatch(m -> m.bag().equals(bag))
                    || e.record() instanceof org.custody.record.Registration r && r.bags().stream().anyMatch(b -> b.id().equals(bag))) {
                out.add(e);
            }
        }
        return out;
    }

    private static ObjectNode label(String suite, List<Entry> entries, BagId bag) {
        HashAlgorithm hash = hash(suite);
        LedgerId id = ledger(entries);
        Entry seal = LabelCheck.sealEntry(bag, history(entries, bag)).orElseThrow();
        Hash entryHash = seal.hash(hash);
        byte[] input = LabelTag.input(id, bag, seal.seq(), entryHash);
        Label label = LabelCheck.issue(hash, id, bag, history(entries, bag));
        ObjectNode n = JSON.objectNode();
        n.put("ledgerFile", "golden/" + Golden.ledgerFile(suite));
        n.put("hash", hash.wire());
        n.put("ledger", id.value());
        n.put("bag", bag.value());
        n.put("seq", seal.seq());
        n.put("entryHash", entryHash.hex());
        n.put("tagInput", new String(input, StandardCharsets.US_ASCII));
        n.put("digest", hash.digest(input).hex());
        n.put("tag", label.tag().text());
        n.put("payload", label.payload());
        return n;
    }

    private static void check(ArrayNode checks, String name, String suite, Label label) {
        List<Entry> entries = entries(suite);
        LabelVerdict v = LabelCheck.check(label, ledger(entries), hash(suite), history(entries, label.bag()));
        ObjectNode n = checks.addObject();
        n.put("name", name);
        n.put("ledgerFile", "golden/" + Golden.ledgerFile(suite));
        n.put("payload", label.payload());
        n.put("status", v.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        if (v.finding() != null) {
            n.put("code", v.finding().code().name());
        }
        if (v.expected() != null && !v.ok()) {
            n.put("expected", v.expected().payload());
        }
    }

    private static void malformed(ArrayNode out, String name, String payload, String field) {
        ObjectNode n = out.addObject();
        n.put("name", name);
        n.put("payload", payload);
        n.put("field", field);
    }

    private static String flip(String tag, int at) {
        char c = tag.charAt(at);
        return tag.substring(0, at) + (c == 'A' ? 'B' : 'A') + tag.substring(at + 1);
    }

    private static String swapCase(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return b.toString();
    }
}
