package org.custody.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.util.encoders.Base32;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Re-checks the committed label vectors ({@code src/test/resources/label/vectors.json}) with the current code, reading
 * the file rather than the generator; each test collects every failing case before asserting.
 */
class LabelGoldenVectorsTest {
    /** Defects that must keep a malformed vector (the list may grow, never shrink). */
    private static final List<String> REQUIRED_MALFORMED = List.of("empty", "too-long", "trailing-line-end",
            "prefix-missing", "prefix-lower-case-caps-lock", "prefix-other-version", "fields-too-few", "fields-too-many",
            "ledger-invalid-character", "bag-too-long", "seq-zero", "seq-leading-zero", "seq-past-largest", "tag-short",
            "tag-lower-case", "tag-not-base32-digit-1");
    private static final List<String> REQUIRED_CHECKS = List.of("ok-question-paper-bag", "swapped-bag-id",
            "tag-one-character-changed", "bound-to-a-later-handoff", "unknown-bag", "other-ledger");

    private static JsonNode vectors() {
        try (InputStream in = LabelGoldenVectorsTest.class.getResourceAsStream(LabelVectorsGenerator.RESOURCE)) {
            assertTrue(in != null, LabelVectorsGenerator.RESOURCE + " is not on the test classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] committed() {
        try (InputStream in = LabelGoldenVectorsTest.class.getResourceAsStream(LabelVectorsGenerator.RESOURCE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String suiteOf(JsonNode v) {
        String file = v.get("ledgerFile").asText();
        return file.substring("golden/ledger-".length(), file.length() - ".json".length());
    }

    @Test
    void generate_now_writesTheCommittedFileByteForByte() {
        assertEquals(new String(committed(), StandardCharsets.UTF_8),
                new String(Golden.render(LabelVectorsGenerator.generate()), StandardCharsets.UTF_8),
                "vectors.json differs from what the generator writes now: a format change? (see the README)");
    }

    @Test
    void labels_committed_reproduceTagInputDigestTagAndPayload() {
        JsonNode file = vectors();
        assertEquals(Label.PREFIX, file.get("prefix").asText());
        assertEquals(LabelTag.HASH_LABEL, file.get("hashLabel").asText());
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode v : file.get("labels")) {
            count++;
            String suite = suiteOf(v);
            HashAlgorithm hash = LabelVectorsGenerator.hash(suite);
            List<Entry> entries = LabelVectorsGenerator.entries(suite);
            LedgerId ledger = LedgerId.of(v.get("ledger").asText());
            BagId bag = BagId.of(v.get("bag").asText());
            long seq = v.get("seq").asLong();
            String name = suite + " " + bag;
            Hash entryHash = entries.get((int) seq).hash(hash);
            if (!entryHash.hex().equals(v.get("entryHash").asText())) failures.add(name + ": entry hash");
            byte[] input = v.get("tagInput").asText().getBytes(StandardCharsets.US_ASCII);
            if (!Arrays.equals(input, LabelTag.input(ledger, bag, seq, entryHash))) failures.add(name + ": tag input");
            byte[] digest = hash.digest(input).bytes();
            if (!Golden.hex(digest).equals(v.get("digest").asText())) failures.add(name + ": digest");
            String tag = Base32.toBase32String(Arrays.copyOf(digest, LabelTag.BYTES));
            if (!tag.equals(v.get("tag").asText())) failures.add(name + ": tag is not base32 of the first 20 digest bytes");
            String payload = Label.PREFIX + ledger + "/" + bag + "/" + seq + "/" + tag;
            if (!payload.equals(v.get("payload").asText())) failures.add(name + ": payload");
            Label parsed = Label.parse(v.get("payload").asText());
            if (!parsed.equals(Label.bind(hash, ledger, bag, seq, entryHash))) failures.add(name + ": parse differs from bind");
            if (!parsed.payload().equals(payload)) failures.add(name + ": payload does not round-trip");
            if (!LabelCheck.check(parsed, ledger, hash, LabelVectorsGenerator.history(entries, bag)).ok()) {
                failures.add(name + ": does not check out against its ledger");
            }
        }
        assertEquals(4, count);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void checks_committed_giveTheirStatusAndCode() {
        List<String> failures = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode v : vectors().get("checks")) {
            String name = v.get("name").asText();
            names.add(name);
            String suite = suiteOf(v);
            List<Entry> entries = LabelVectorsGenerator.entries(suite);
            Label label = Label.parse(v.get("payload").asText());
            LabelVerdict verdict = LabelCheck.check(label, LabelVectorsGenerator.ledger(entries), LabelVectorsGenerator.hash(suite),
                    LabelVectorsGenerator.history(entries, label.bag()));
            String status = verdict.status().name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!status.equals(v.get("status").asText())) failures.add(name + ": status " + status);
            String code = verdict.finding() == null ? null : verdict.finding().code().name();
            String want = v.has("code") ? v.get("code").asText() : null;
            if (!java.util.Objects.equals(code, want)) failures.add(name + ": code " + code + ", expected " + want);
            if (v.has("expected") && (verdict.expected() == null || !verdict.expected().payload().equals(v.get("expected").asText()))) {
                failures.add(name + ": expected label " + verdict.expected());
            }
        }
        assertTrue(names.containsAll(REQUIRED_CHECKS), "missing check cases: " + REQUIRED_CHECKS);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void malformed_committed_areRefusedNamingTheirField() {
        List<String> failures = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode v : vectors().get("malformed")) {
            String name = v.get("name").asText();
            names.add(name);
            try {
                Label l = Label.parse(v.get("payload").asText());
                failures.add(name + ": accepted as " + l);
            } catch (MalformedLabelException e) {
                if (!e.field().equals(v.get("field").asText())) {
                    failures.add(name + ": refused in field " + e.field() + " (" + e.getMessage() + ")");
                }
            }
        }
        assertTrue(names.containsAll(REQUIRED_MALFORMED), "missing malformed cases: " + REQUIRED_MALFORMED);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
