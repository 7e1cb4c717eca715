package org.custody.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.crypto.TestKeys;
import org.custody.merkle.ConsistencyProof;

/** Runs one case of {@code vectors.json} against Custody's code: the checks the README describes. */
final class CheckpointVectors {
    private CheckpointVectors() {}

    /** The vector name of a key type: {@code ed25519}, {@code sm2}, {@code cosignature-ed25519}, {@code cosignature-sm2}. */
    static String typeName(NoteKeyType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Null if Custody does what the case says, else what it did instead. {@code scratch} is a folder for witness state. */
    static String mismatch(JsonNode c, Path scratch) {
        String check = c.get("check").asText();
        if (check.equals("verify")) {
            return verify(c);
        }
        if (check.equals("witness")) {
            return witness(c, scratch);
        }
        return "unknown check " + check;
    }

    private static byte[] note(JsonNode c) {
        return c.has("hex") ? HexFormat.of().parseHex(c.get("hex").asText()) : Fixtures.utf8(c.get("note").asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String verify(JsonNode c) {
        List<NoteKey> keys = new ArrayList<>();
        c.get("keys").forEach(k -> keys.add(NoteKey.parse(k.asText())));
        boolean valid = c.get("valid").asBoolean();
        try {
            VerifiedNote note = NoteVerifier.of(keys).verify(note(c));
            Checkpoint checkpoint = note.checkpoint();
            for (JsonNode r : c.get("require")) {
                if (r.has("cosignedNotBefore")) {
                    note.requireCosignatures(r.get("n").asInt(), strings(r.get("names")),
                            Instant.ofEpochSecond(r.get("cosignedNotBefore").asLong()));
                } else {
                    note.requireSignatures(r.get("n").asInt(), strings(r.get("names")));
                }
            }
            if (!valid) {
                return "accepted, must be refused with " + c.get("expect");
            }
            JsonNode want = c.get("checkpoint");
            Checkpoint expected = new Checkpoint(want.get("origin").asText(), want.get("size").asLong(),
                    Hash.of(NoteText.canonicalBase64(want.get("root").asText())), strings(want.get("extensions")));
            return checkpoint.equals(expected) ? null : "read " + checkpoint + ", expected " + expected;
        } catch (MalformedNoteException e) {
            return refusal(c, e, "MalformedNoteException", null, e.line());
        } catch (NoteVerificationException e) {
            return refusal(c, e, "NoteVerificationException", e.reason().name(), 0);
        }
    }

    private static String refusal(JsonNode c, RuntimeException e, String exception, String reason, int line) {
        if (c.get("valid").asBoolean()) {
            return "refused, must be accepted: " + e;
        }
        JsonNode want = c.get("expect");
        if (!want.get("exception").asText().equals(exception)
                || (want.has("reason") && !want.get("reason").asText().equals(reason))
                || (want.has("line") && want.get("line").asInt() != line)
                || (want.has("message") && !e.getMessage().contains(want.get("message").asText()))) {
            return "refused with " + exception + (reason == null ? "" : " " + reason) + (line > 0 ? " at line " + line : "")
                    + ": " + e.getMessage() + "; expected " + want;
        }
        return null;
    }

    private static String witness(JsonNode c, Path scratch) {
        long time = c.has("time") ? c.get("time").asLong() : CheckpointVectorsGenerator.TIME;
        Clock clock = Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC);
        NoteKey witnessKey = NoteKey.parse(c.get("witness").asText());
        SigningKey key = TestKeys.fromPrivate(witnessKey.type().algorithm(), HexFormat.of().parseHex(c.get("witnessPrivate").asText()));
        List<NoteKey> logs = new ArrayList<>();
        c.get("logs").forEach(k -> logs.add(NoteKey.parse(k.asText())));
        Path file = scratch.resolve("witness.state");
        try {
            Files.createDirectories(scratch);
            WitnessState state = WitnessState.empty();
            if (c.has("state")) {
                JsonNode s = c.get("state");
                state = state.with(s.get("origin").asText(), new WitnessState.Entry(s.get("size").asLong(),
                        Hash.of(NoteText.canonicalBase64(s.get("root").asText())), s.get("time").asLong()));
            }
            state.write(file, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ConsistencyProof proof = null;
        if (c.has("proof")) {
            JsonNode p = c.get("proof");
            List<Hash> hashes = new ArrayList<>();
            p.get("hashes").forEach(h -> hashes.add(Hash.fromHex(h.asText())));
            proof = new ConsistencyProof(p.get("size1").asLong(), p.get("size2").asLong(), hashes);
        }
        try (Witness w = Witness.open(file, witnessKey.name(), key, logs, clock)) {
            if (!w.key().equals(witnessKey)) {
                return "the witness key is " + w.key() + ", the case names " + witnessKey;
            }
            SignedNote cosigned = w.cosign(note(c), proof);
            if (!c.get("valid").asBoolean()) {
                return "cosigned, must be refused with " + c.get("expect");
            }
            NoteVerifier.of(List.of(witnessKey)).verify(cosigned).requireCosignatures(1, List.of(witnessKey.name()),
                    Instant.ofEpochSecond(time));
            List<NoteSignature> lines = cosigned.signatures();
            String line = lines.get(lines.size() - 1).line();
            if (c.has("cosignature") && !c.get("cosignature").asText().equals(line)) {
                return "cosignature " + line + ", expected " + c.get("cosignature").asText();
            }
            return null;
        } catch (WitnessRefusedException e) {
            if (c.get("valid").asBoolean()) {
                return "refused, must cosign: " + e.getMessage();
            }
            JsonNode want = c.get("expect");
            return want.get("reason").asText().equals(e.reason().name()) && want.get("code").asText().equals(e.code().name())
                    ? null : "refused as " + e.reason() + " (" + e.code() + "), expected " + want + ": " + e.getMessage();
        } catch (MalformedNoteException | NoteVerificationException e) {
            return "the witness threw " + e;
        }
    }

    /** Deletes a folder and everything in it; nothing if null. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }
}
