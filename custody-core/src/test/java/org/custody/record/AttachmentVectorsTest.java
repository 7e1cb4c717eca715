package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.TestKeys;
import org.custody.model.IncidentType;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * The golden vector {@code golden/attachments.json}: two files taken at the scene, and the two entries that would follow
 * the Ed25519 golden ledger (its entries 8 and 9: a handoff and an incident carrying the files' digests), signed with the
 * committed Ed25519 test keys (deterministic). A file of its own, so the golden ledgers keep their bytes. Regenerate only on
 * purpose, from {@code custody-core}, as the README says for the other vectors, with this class's {@code main}.
 */
class AttachmentVectorsTest {
    static final String FILE = "attachments.json";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The files: a photo of the seal (its text is stand-in bytes) and a short "video segment" (bytes 0-255, four times). */
    static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("封条照片.jpg", "FT-2021-000123 封条完好\n".getBytes(StandardCharsets.UTF_8));
        byte[] video = new byte[1024];
        for (int i = 0; i < video.length; i++) {
            video[i] = (byte) i;
        }
        files.put("vault-cam-01.mp4", video);
        return files;
    }

    static ObjectNode generate() {
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        for (JsonNode k : Golden.load(Golden.KEYS).get("keys")) {
            if (k.get("alg").asText().equals("ed25519")) {
                keys.put(k.get("person").asText(), TestKeys.fromPrivate(SignatureAlgorithm.ED25519, Golden.unhex(k.get("private").asText())));
            }
        }
        JsonNode golden = Golden.load(Golden.ledgerFile("ed25519-sha256")).get("entries");
        Hash last = Hash.fromHex(golden.get(GoldenFixtures.ENTRIES - 1).get("hash").get("sha-256").asText());
        Hash bagHead = Hash.fromHex(golden.get(4).get("hash").get("sha-256").asText()); // the bag's last entry: the incident
        byte[] photo = files().get("封条照片.jpg");
        byte[] video = files().get("vault-cam-01.mp4");
        Attachment photoSha = new Attachment(HashAlgorithm.SHA_256, HashAlgorithm.SHA_256.digest(photo), photo.length, "image/jpeg", "封条照片.jpg");
        Attachment videoSha = new Attachment(HashAlgorithm.SHA_256, HashAlgorithm.SHA_256.digest(video), video.length, "video/mp4", null);
        Attachment videoSm3 = new Attachment(HashAlgorithm.SM3, HashAlgorithm.SM3.digest(video), video.length, "video/mp4", "vault-cam-01.mp4");
        Record handoff = Handoff.builder(Step.DISTRIBUTE).id(RecordId.of("h-0008")).ledger(GoldenFixtures.LEDGER)
                .at(Instant.parse("2021-06-08T06:30:00Z")).from(PersonId.of("P002")).to(PersonId.of("P001"))
                .witnesses(List.of(PersonId.of("P003"))).place(Place.of("VAULT-1", null))
                .bag(BagMove.of(GoldenFixtures.BAG, bagHead).seal("FT-2021-000123", org.custody.model.SealState.INTACT))
                .attach(photoSha).attach(videoSha).build();
        List<Entry> entries = new ArrayList<>();
        entries.add(entry(GoldenFixtures.ENTRIES, last, handoff, keys));
        Hash handoffHash = entries.get(0).hash(HashAlgorithm.SHA_256);
        Record incident = Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("inc-0009")).ledger(GoldenFixtures.LEDGER)
                .at(Instant.parse("2021-06-08T07:00:00.500Z")).by(PersonId.of("P003")).by(PersonId.of("P002"))
                .place(Place.of("VAULT-1", null)).note("录像回看无异常").attach(videoSm3).build();
        entries.add(entry(GoldenFixtures.ENTRIES + 1, handoffHash, incident, keys));

        ObjectNode file = JSON.objectNode();
        file.put("description", "Files taken at the scene and the two entries that would follow ledger-ed25519-sha256.json"
                + " (seq 8 and 9), carrying the files' digests as attachments (docs/formats.md, handoff and incident). files:"
                + " hex = the file's bytes, digest = H(file bytes) with no label, size = its length. entries: as in the ledger"
                + " files (record and entry are canonical RFC 8785 text; signed = hex of \"custody/record/v1\\n\" || record;"
                + " hash = H(\"custody/entry/v1\\n\" || entry)), signed with the ed25519 keys of keys.json.");
        ArrayNode fileList = file.putArray("files");
        files().forEach((name, bytes) -> {
            ObjectNode f = fileList.addObject();
            f.put("name", name);
            f.put("hex", Golden.hex(bytes));
            f.put("size", bytes.length);
            ObjectNode d = f.putObject("digest");
            for (HashAlgorithm h : HashAlgorithm.values()) {
                d.put(h.wire(), h.digest(bytes).hex());
            }
        });
        ArrayNode list = file.putArray("entries");
        entries.forEach(entry -> list.add(GoldenVectorsGenerator.entryNode(entry)));
        return file;
    }

    private static Entry entry(long seq, Hash prev, Record record, Map<String, SigningKey> keys) {
        SignedRecord signed = SignedRecord.unsigned(record);
        for (PersonId party : record.parties()) {
            signed = signed.signedBy(keys.get(party.value()));
        }
        return Entry.create(seq, prev, signed, GoldenFixtures.appended(record));
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden").resolve(FILE);
        Files.write(out, Golden.render(generate()));
        System.out.println("wrote " + out.toAbsolutePath());
    }

    @Test
    void generate_reproducesTheCommittedFileByteForByte() throws IOException {
        byte[] committed;
        try (InputStream in = getClass().getResourceAsStream(Golden.FOLDER + FILE)) {
            committed = in.readAllBytes();
        }
        assertEquals(new String(committed, StandardCharsets.UTF_8), new String(Golden.render(generate()), StandardCharsets.UTF_8));
    }

    @Test
    void decode_committedEntries_sameBytesAttachmentsOfTheFilesAndValidSignatures() {
        JsonNode file = Golden.load(FILE);
        Map<String, byte[]> files = new LinkedHashMap<>();
        file.get("files").forEach(f -> files.put(f.get("name").asText(), Golden.unhex(f.get("hex").asText())));
        List<String> failures = new ArrayList<>();
        int attachments = 0;
        for (JsonNode e : file.get("entries")) {
            byte[] bytes = Golden.utf8(e.get("entry").asText());
            Entry entry = Entry.decode(bytes);
            assertArrayEquals(bytes, entry.canonicalBytes());
            assertEquals(e.get("hash").get("sha-256").asText(), entry.hash(HashAlgorithm.SHA_256).hex());
            assertEquals(e.get("hash").get("sm3").asText(), entry.hash(HashAlgorithm.SM3).hex());
            for (int i = 0; i < entry.signatures().size(); i++) {
                SigningKey key = TestKeys.fromPrivate(SignatureAlgorithm.ED25519, Golden.unhex(keyOf(e.get("signatures").get(i).get("person").asText())));
                try {
                    key.publicKey().verify(entry.signed().signedBytes(), entry.signatures().get(i));
                } catch (RuntimeException ex) {
                    failures.add("entry " + entry.seq() + " signature " + i + ": " + ex.getMessage());
                }
            }
            for (Attachment a : entry.record().attachments()) {
                attachments++;
                boolean found = files.values().stream().anyMatch(b -> a.alg().digest(b).equals(a.digest()) && b.length == a.size());
                if (!found) {
                    failures.add("entry " + entry.seq() + ": attachment " + a.describe() + " is none of the files");
                }
            }
        }
        assertEquals(3, attachments);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static String keyOf(String person) {
        for (JsonNode k : Golden.load(Golden.KEYS).get("keys")) {
            if (k.get("alg").asText().equals("ed25519") && k.get("person").asText().equals(person)) {
                return k.get("private").asText();
            }
        }
        throw new IllegalArgumentException(person);
    }
}
