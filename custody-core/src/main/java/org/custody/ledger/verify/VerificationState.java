package org.custody.ledger.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.gate.KeyState;
import org.custody.ledger.gate.LedgerState;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.rules.RuleEngine;

/**
 * What a verifier knows after the first {@link #size()} entries of a ledger (docs/formats.md §14,
 * {@code custody-verify-state/v1}): their Merkle root and last hash, the enrolled keys, the checkpoint keys, every
 * bag's last entry, the latest append time and the custody rules' state, all as the verification derived them from
 * the entries. Written by a verification that found the entries intact ({@link LedgerVerifier.Options#keepingState}),
 * kept by the inspector, and read by the next one to verify only the entries after them
 * ({@link LedgerVerifier.Options#since}). It is the inspector's own record, trusted as far as the file is theirs: its
 * {@link #digest()} (SHA-256 of its lines) is printed by every verification that writes or reads it, to be noted
 * where the inspector keeps their findings.
 */
public final class VerificationState {
    /** The first line's {@code schema}. */
    public static final String SCHEMA = "custody-verify-state/v1";
    /** Longest line read: a rule state row is a few hundred bytes. */
    private static final int MAX_LINE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A key enrolled for a checkpoint signer: the position that first enrolled it, and that first revoked it, or -1. */
    record CheckpointKey(PublicKey key, long enrolled, long revoked) {}

    private final LedgerId ledger;
    private final Suite suite;
    private final long size;
    private final Hash head;
    private final Hash root;
    private final Instant appended;
    private final long appendedSeq;
    private final List<KeyState> keys;
    private final Map<KeyId, CheckpointKey> checkpointKeys;
    private final Map<BagId, LedgerState.BagHead> bagHeads;
    private final List<RuleEngine.Row> rules;
    private Hash digest;

    VerificationState(LedgerId ledger, Suite suite, long size, Hash head, Hash root, Instant appended, long appendedSeq,
                      List<KeyState> keys, Map<KeyId, CheckpointKey> checkpointKeys, Map<BagId, LedgerState.BagHead> bagHeads,
                      List<RuleEngine.Row> rules) {
        this.ledger = ledger;
        this.suite = suite;
        this.size = size;
        this.head = head;
        this.root = root;
        this.appended = appended;
        this.appendedSeq = appendedSeq;
        this.keys = List.copyOf(keys);
        this.checkpointKeys = Map.copyOf(checkpointKeys);
        this.bagHeads = Map.copyOf(bagHeads);
        this.rules = List.copyOf(rules);
    }

    /** The ledger it is of. */
    public LedgerId ledger() {
        return ledger;
    }

    /** How many entries it covers: the next verification checks the entries from this position on. */
    public long size() {
        return size;
    }

    /** The hash of entry {@code size - 1}. */
    public Hash head() {
        return head;
    }

    /** The Merkle root of the first {@code size} entries. */
    public Hash root() {
        return root;
    }

    /** SHA-256 of the file's lines before its last ({@link #write} computes it; {@link #read} checks it). */
    public Hash digest() {
        if (digest == null) {
            try {
                write(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return digest;
    }

    Suite suite() {
        return suite;
    }

    Instant appended() {
        return appended;
    }

    long appendedSeq() {
        return appendedSeq;
    }

    List<KeyState> keys() {
        return keys;
    }

    Map<KeyId, CheckpointKey> checkpointKeys() {
        return checkpointKeys;
    }

    Map<BagId, LedgerState.BagHead> bagHeads() {
        return bagHeads;
    }

    List<RuleEngine.Row> rules() {
        return rules;
    }

    /** Writes it to {@code file}, readable and writable by its owner only, replacing any file there. */
    public void write(Path file) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        write(bytes);
        org.custody.files.OwnerOnly.replace(file, bytes.toByteArray());
    }

    private void write(OutputStream out) throws IOException {
        MessageDigest sha = sha256();
        Lines lines = new Lines(out, sha);
        ObjectNode header = JSON.createObjectNode().put("schema", SCHEMA).put("ledger", ledger.value()).put("suite", suite.wire())
                .put("size", size).put("head", head.hex()).put("root", root.hex()).put("rules", RuleEngine.STATE_VERSION);
        if (appended != null) {
            header.put("appended", appended.toString()).put("appendedSeq", appendedSeq);
        }
        lines.add(header);
        keys.stream().sorted(java.util.Comparator.comparingLong(KeyState::enrolledSeq).thenComparing(k -> k.key().id().hex()))
                .forEach(k -> lines.add(array("key", k.key().id().hex(), k.person().value(), k.key().algorithm().wire(),
                        java.util.Base64.getEncoder().encodeToString(k.key().encoded()), k.enrolledSeq(),
                        k.revokedFrom() == null ? null : k.revokedFrom().toString(), k.revokedFrom() == null ? -1 : k.revokedSeq())));
        checkpointKeys.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(CheckpointKey::enrolled)))
                .forEach(e -> lines.add(array("checkpointKey", e.getKey().hex(), e.getValue().enrolled(), e.getValue().revoked())));
        bagHeads.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(BagId::value)))
                .forEach(e -> lines.add(array("bag", e.getKey().value(), e.getValue().seq(), e.getValue().hash().hex())));
        rules.stream().sorted(java.util.Comparator.comparing(RuleEngine.Row::kind).thenComparing(RuleEngine.Row::key))
                .forEach(r -> lines.add(array("rule", r.kind(), r.key(), r.group(), new String(r.value(), StandardCharsets.UTF_8))));
        digest = Hash.of(sha.digest());
        out.write((JSON.writeValueAsString(array("end", lines.count, digest.hex())) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static ArrayNode array(Object... values) {
        ArrayNode a = JSON.createArrayNode();
        for (Object v : values) {
            if (v == null) {
                a.addNull();
            } else if (v instanceof Long l) {
                a.add(l);
            } else if (v instanceof Integer i) {
                a.add(i);
            } else {
                a.add(v.toString());
            }
        }
        return a;
    }

    /** Lines written and hashed as they go. */
    private static final class Lines {
        private final OutputStream out;
        private final MessageDigest sha;
        long count;

        Lines(OutputStream out, MessageDigest sha) {
            this.out = out;
            this.sha = sha;
        }

        void add(JsonNode node) {
            try {
                byte[] line = (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
                sha.update(line);
                out.write(line);
                count++;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @throws MalformedInputException naming the line, if the file is not a whole, undamaged state of this format
     * @throws IOException             if it cannot be read
     */
    public static VerificationState read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    static VerificationState read(InputStream in, String name) throws IOException {
        MessageDigest sha = sha256();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        String line;
        JsonNode header = null;
        List<KeyState> keys = new ArrayList<>();
        Map<KeyId, long[]> checkpointKeys = new LinkedHashMap<>();
        Map<BagId, LedgerState.BagHead> bags = new LinkedHashMap<>();
        List<RuleEngine.Row> rules = new ArrayList<>();
        String end = null;
        while ((line = reader.readLine()) != null) {
            number++;
            String where = name + " line " + number;
            if (end != null) {
                throw malformed(where, "text after the end line");
            }
            if (line.length() > MAX_LINE) {
                throw malformed(where, "a line longer than " + MAX_LINE + " characters");
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw malformed(where, "not JSON: " + e.getOriginalMessage());
            }
            try {
                if (number == 1) {
                    if (node == null || !node.isObject() || !SCHEMA.equals(node.path("schema").asText())) {
                        throw malformed(where, "not a verification state (the first line must name " + SCHEMA + ")");
                    }
                    header = node;
                } else if (node == null || !node.isArray() || node.size() < 1) {
                    throw malformed(where, "not a JSON array");
                } else {
                    String kind = node.get(0).asText();
                    switch (kind) {
                        case "key" -> {
                            need(node, 8, where);
                            SignatureAlgorithm alg = SignatureAlgorithm.fromWire(text(node, 3));
                            PublicKey key = PublicKey.fromBase64(alg, text(node, 4));
                            if (!key.id().hex().equals(text(node, 1))) {
                                throw malformed(where, "the key id is not the id of the public key");
                            }
                            boolean revoked = !node.get(6).isNull();
                            keys.add(new KeyState(PersonId.of(text(node, 2)), key, number(node, 5),
                                    revoked ? Instant.parse(text(node, 6)) : null, number(node, 7)));
                        }
                        case "checkpointKey" -> {
                            need(node, 4, where);
                            checkpointKeys.put(KeyId.of(text(node, 1)), new long[] {number(node, 2), number(node, 3)});
                        }
                        case "bag" -> {
                            need(node, 4, where);
                            bags.put(BagId.of(text(node, 1)), new LedgerState.BagHead(number(node, 2), Hash.fromHex(text(node, 3))));
                        }
                        case "rule" -> {
                            need(node, 5, where);
                            rules.add(new RuleEngine.Row(text(node, 1), text(node, 2), node.get(3).isNull() ? null : text(node, 3),
                                    text(node, 4).getBytes(StandardCharsets.UTF_8)));
                        }
                        case "end" -> {
                            need(node, 3, where);
                            if (number(node, 1) != number - 1) {
                                throw malformed(where, "the end line counts " + number(node, 1) + " lines, the file has " + (number - 1));
                            }
                            end = text(node, 2);
                        }
                        default -> throw malformed(where, "unknown line kind " + kind);
                    }
                }
            } catch (MalformedInputException e) {
                if (e.getMessage().startsWith(name)) {
                    throw e;
                }
                throw malformed(where, e.getMessage());
            } catch (RuntimeException e) {
                throw malformed(where, String.valueOf(e.getMessage()));
            }
            if (end == null) {
                sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        if (header == null || end == null) {
            throw malformed(name, "it ends before its end line: the file is cut short");
        }
        Hash digest = Hash.of(sha.digest());
        if (!digest.hex().equals(end)) {
            throw malformed(name, "its lines do not hash to the SHA-256 of its end line: the file was changed or damaged"
                    + " (核验状态文件已被改动或损坏)");
        }
        if (header.path("rules").asInt(-1) != RuleEngine.STATE_VERSION) {
            throw malformed(name, "it keeps the rules' state of version " + header.path("rules").asText()
                    + ", this verifier's rules are version " + RuleEngine.STATE_VERSION + ": run a full verification");
        }
        Map<KeyId, PublicKey> byId = new java.util.HashMap<>();
        keys.forEach(k -> byId.put(k.key().id(), k.key()));
        Map<KeyId, CheckpointKey> checkpoints = new LinkedHashMap<>();
        for (Map.Entry<KeyId, long[]> e : checkpointKeys.entrySet()) {
            PublicKey key = byId.get(e.getKey());
            if (key == null) {
                throw malformed(name, "checkpoint key " + e.getKey() + " is not among its keys");
            }
            checkpoints.put(e.getKey(), new CheckpointKey(key, e.getValue()[0], e.getValue()[1]));
        }
        try {
            VerificationState state = new VerificationState(LedgerId.of(header.path("ledger").asText()),
                    Suite.fromWire(header.path("suite").asText()), header.path("size").asLong(-1),
                    Hash.fromHex(header.path("head").asText()), Hash.fromHex(header.path("root").asText()),
                    header.hasNonNull("appended") ? Instant.parse(header.get("appended").asText()) : null,
                    header.path("appendedSeq").asLong(-1), keys, checkpoints, bags, rules);
            if (state.size < 1) {
                throw malformed(name + " line 1", "size must be at least 1");
            }
            state.digest = digest;
            return state;
        } catch (MalformedInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed(name + " line 1", String.valueOf(e.getMessage()));
        }
    }

    private static void need(JsonNode node, int size, String where) {
        if (node.size() != size) {
            throw malformed(where, "a " + node.get(0).asText() + " line has " + size + " values, this one " + node.size());
        }
    }

    private static String text(JsonNode node, int i) {
        if (!node.get(i).isTextual()) {
            throw new MalformedInputException("value " + i + " must be a string");
        }
        return node.get(i).asText();
    }

    private static long number(JsonNode node, int i) {
        if (!node.get(i).isIntegralNumber()) {
            throw new MalformedInputException("value " + i + " must be an integer");
        }
        return node.get(i).asLong();
    }

    private static MalformedInputException malformed(String where, String what) {
        return new MalformedInputException(where + ": " + what + " (核验状态文件无法读取)");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return SCHEMA + " of " + ledger + ", " + size + " entries, head " + head.hex() + ", digest " + digest().hex();
    }
}
