package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.custody.files.OwnerOnly;

/**
 * The handoff a station is drafting, kept on disk beside the ledger ({@code LEDGER.station-PLACE.json}, owner-only like
 * every file Custody writes) so that a crash, a power cut or an idle lock loses no scanning: at restart the station
 * offers it again, and checks every label anew. It holds what was scanned and typed, never a key or a signature:
 * signatures are made again after a restart, on the draft as it then stands. The one exception is a handoff signed by
 * every party that a server did not acknowledge: it is kept whole in {@code BASE.station-PLACE.signed.json}
 * ({@link #keepSigned}), never a key, and sent again until the server answers.
 */
final class StationDraftFile {
    static final String SCHEMA = "custody-station-draft/v1";
    static final String SIGNED_SCHEMA = "custody-station-signed/v1";

    /** What is kept: the lines scanned (bags taken), and the fields of the handoff filled in so far (any may be null). */
    record Kept(String place, List<String> scans, String step, String from, String to, List<String> witnesses,
                Map<String, Integer> counts, Map<String, String> seals, String sealState, String note, String into) {
        Kept {
            scans = List.copyOf(scans);
            witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
            counts = counts == null ? Map.of() : Map.copyOf(counts);
            seals = seals == null ? Map.of() : Map.copyOf(seals);
        }

        static Kept scansOnly(String place, List<String> scans) {
            return new Kept(place, scans, null, null, null, List.of(), Map.of(), Map.of(), null, null, null);
        }
    }

    private final Path file;
    private final Path lockFile;
    private final Path signedFile;
    private java.nio.channels.FileChannel channel;
    private java.nio.channels.FileLock lock;

    /**
     * The draft of the station at {@code place} over {@code ledgerFile}: {@code LEDGER.station-PLACE.json} (for a server's
     * ledger, {@code ledgerFile} is a name in the station's folder that stands for the server and exam).
     */
    StationDraftFile(Path ledgerFile, String place) {
        Path abs = ledgerFile.toAbsolutePath();
        String name = abs.getFileName() + ".station-" + place.replaceAll("[^A-Za-z0-9._-]", "_");
        this.file = abs.resolveSibling(name + ".json");
        this.lockFile = abs.resolveSibling(name + ".lock");
        this.signedFile = abs.resolveSibling(name + ".signed.json");
    }

    /**
     * Claims the draft for this station while it runs, by an exclusive lock on {@code LEDGER.station-PLACE.lock}: a
     * second station at the same place over the same ledger would overwrite the first one's draft, so it is refused.
     */
    void claim() {
        try {
            channel = OwnerOnly.open(lockFile, java.util.EnumSet.of(java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE));
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                channel = null;
                throw new UserError("another station at this place is running on this ledger (" + lockFile + " is locked);"
                        + " use that one, or start this one with its own --place (本地点已有工作站在使用该账本)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /** Lets another station take the draft over (the lock file stays: removing it would race with the next claim). */
    void release() {
        try {
            if (lock != null) lock.release();
            if (channel != null) channel.close();
        } catch (IOException e) {
            // the lock goes with the channel, or with the process
        } finally {
            lock = null;
            channel = null;
        }
    }

    Path file() {
        return file;
    }

    /** Writes {@code kept}, replacing the file atomically (the old draft or the new, never a mix). */
    void save(Kept kept) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("place", kept.place());
        ArrayNode scans = root.putArray("scans");
        kept.scans().forEach(scans::add);
        if (kept.step() != null) root.put("step", kept.step());
        if (kept.from() != null) root.put("from", kept.from());
        if (kept.to() != null) root.put("to", kept.to());
        ArrayNode witnesses = root.putArray("witnesses");
        kept.witnesses().forEach(witnesses::add);
        ObjectNode counts = root.putObject("counts");
        kept.counts().forEach(counts::put);
        ObjectNode seals = root.putObject("seals");
        kept.seals().forEach(seals::put);
        if (kept.sealState() != null) root.put("sealState", kept.sealState());
        if (kept.note() != null) root.put("note", kept.note());
        if (kept.into() != null) root.put("into", kept.into());
        try {
            OwnerOnly.replace(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the draft in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The kept draft, if there is one; a file others may change is refused, as a key file is. */
    Optional<Kept> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Passphrases.refuseIfExposed(file, "station draft file", "工作站草稿文件");
            JsonNode root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (root == null || !SCHEMA.equals(root.path("schema").asText())) {
                throw new UserError("the station draft " + file + " is not a " + SCHEMA + " file; move it away and start again"
                        + " (草稿文件格式不符，请移走后重新开始)");
            }
            List<String> scans = new ArrayList<>();
            root.path("scans").forEach(n -> scans.add(n.asText()));
            List<String> witnesses = new ArrayList<>();
            root.path("witnesses").forEach(n -> witnesses.add(n.asText()));
            Map<String, Integer> counts = new LinkedHashMap<>();
            root.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
            Map<String, String> seals = new LinkedHashMap<>();
            root.path("seals").properties().forEach(e -> seals.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new Kept(text(root, "place"), scans, text(root, "step"), text(root, "from"), text(root, "to"),
                    witnesses, counts, seals, text(root, "sealState"), text(root, "note"), text(root, "into")));
        } catch (IOException e) {
            throw new UserError("cannot read the station draft " + file + ": " + e.getMessage() + " (无法读取草稿文件)");
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    Path signedFile() {
        return signedFile;
    }

    /**
     * Keeps {@code signed}, a record signed by every party that was not delivered, as the body of {@code POST /records}
     * with a schema: {@code {"schema", "record", "signatures": [{"key", "sig"}]}}, replacing the file atomically.
     */
    void keepSigned(org.custody.record.SignedRecord signed) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SIGNED_SCHEMA);
        try {
            root.set("record", mapper.readTree(signed.canonicalRecord()));
            ArrayNode sigs = root.putArray("signatures");
            signed.signatures().forEach(x -> sigs.addObject().put("key", x.key().hex()).put("sig", x.base64()));
            OwnerOnly.replace(signedFile, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the signed handoff in " + signedFile + ": " + e.getMessage()
                    + " (无法保存已签名的交接)", e);
        }
    }

    /** The signed record kept by {@link #keepSigned}, if any; a file others may change is refused, as a key file is. */
    Optional<org.custody.record.SignedRecord> loadSigned() {
        if (!Files.exists(signedFile)) {
            return Optional.empty();
        }
        try {
            Passphrases.refuseIfExposed(signedFile, "station signed-handoff file", "工作站已签名交接文件");
            JsonNode root = new ObjectMapper().readTree(Files.readString(signedFile, StandardCharsets.UTF_8));
            if (root == null || !SIGNED_SCHEMA.equals(root.path("schema").asText())) {
                throw new IllegalArgumentException("not a " + SIGNED_SCHEMA + " file");
            }
            List<org.custody.crypto.Signature> sigs = new ArrayList<>();
            for (JsonNode x : root.path("signatures")) {
                sigs.add(org.custody.crypto.Signature.fromBase64(org.custody.crypto.KeyId.of(x.path("key").asText()),
                        x.path("sig").asText()));
            }
            return Optional.of(org.custody.record.SignedRecord.decodeUnsigned(org.custody.record.Canonical.bytes(root.get("record")))
                    .withAll(sigs));
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError("cannot read the signed handoff " + signedFile + ": " + e.getMessage() + "; keep the file and"
                    + " ask the administrator to post it (无法读取已签名的交接文件，请保留该文件并联系管理员)");
        }
    }

    /** Removes the kept signed record: the ledger stored it, or refused it for good. */
    void discardSigned() {
        try {
            Files.deleteIfExists(signedFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + signedFile + ": " + e.getMessage(), e);
        }
    }

    /** Removes the kept draft: the handoff was recorded, or the officers threw the draft away. */
    void discard() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the draft " + file + ": " + e.getMessage(), e);
        }
    }
}
