package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attachments are read as strictly as the rest of a record: every defect is refused at its path. */
class AttachmentCodecTest {
    private static final Hash PREV = HashAlgorithm.SHA_256.digest(new byte[] {1});
    private static final String DIGEST = HashAlgorithm.SHA_256.digest("photo".getBytes(StandardCharsets.UTF_8)).hex();

    private static Handoff handoff(List<Attachment> attachments) {
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of("h-1")).ledger(Cast.LEDGER).at(Instant.parse("2021-06-06T15:30:00Z"))
                .from(PersonId.of("P001")).to(PersonId.of("P002")).place(Place.of("VAULT-1", null))
                .bag(BagMove.of(BagId.of("B1"), PREV)).attachments(attachments).build();
    }

    private static Attachment photo() {
        return new Attachment(HashAlgorithm.SHA_256, Hash.fromHex(DIGEST), 5, "image/jpeg", "封条.jpg");
    }

    @Test
    void canonicalBytes_noAttachments_writesNoMember() {
        String json = new String(RecordCodec.canonicalBytes(handoff(List.of())), StandardCharsets.UTF_8);
        assertTrue(!json.contains("attachments"), json);
    }

    @Test
    void canonicalBytes_attachment_writesItsMembersInKeyOrder() {
        String json = new String(RecordCodec.canonicalBytes(handoff(List.of(photo()))), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"attachments\":[{\"alg\":\"sha-256\",\"digest\":\"" + DIGEST
                + "\",\"mediaType\":\"image/jpeg\",\"name\":\"封条.jpg\",\"size\":5}]"), json);
    }

    /** Each defect, named, applied to the canonical tree of a handoff with one attachment; the path it must be refused at. */
    @Test
    void decode_defectiveAttachments_refusedAtTheirPath() {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("unknown-member", new Object[] {(Consumer<ObjectNode>) a -> a.put("camera", "C1"), "attachments[0].camera"});
        cases.put("uppercase-hex", new Object[] {(Consumer<ObjectNode>) a -> a.put("digest", DIGEST.toUpperCase()), "attachments[0].digest"});
        cases.put("short-digest", new Object[] {(Consumer<ObjectNode>) a -> a.put("digest", DIGEST.substring(2)), "attachments[0].digest"});
        cases.put("base64-digest", new Object[] {(Consumer<ObjectNode>) a -> a.put("digest",
                java.util.Base64.getEncoder().encodeToString(Hash.fromHex(DIGEST).bytes())), "attachments[0].digest"});
        cases.put("negative-size", new Object[] {(Consumer<ObjectNode>) a -> a.put("size", -1), "attachments[0].size"});
        cases.put("size-beyond-2^53", new Object[] {(Consumer<ObjectNode>) a -> a.put("size", 1L << 53), "attachments[0].size"});
        cases.put("size-as-string", new Object[] {(Consumer<ObjectNode>) a -> a.put("size", "5"), "attachments[0].size"});
        cases.put("unknown-alg", new Object[] {(Consumer<ObjectNode>) a -> a.put("alg", "md5"), "attachments[0].alg"});
        cases.put("alg-spelled-sha256", new Object[] {(Consumer<ObjectNode>) a -> a.put("alg", "sha256"), "attachments[0].alg"});
        cases.put("missing-media-type", new Object[] {(Consumer<ObjectNode>) a -> a.remove("mediaType"), "attachments[0].mediaType"});
        cases.put("media-type-uppercase", new Object[] {(Consumer<ObjectNode>) a -> a.put("mediaType", "Image/JPEG"), "attachments[0]"});
        cases.put("media-type-parameters", new Object[] {(Consumer<ObjectNode>) a -> a.put("mediaType", "text/plain; charset=utf-8"), "attachments[0]"});
        cases.put("media-type-no-subtype", new Object[] {(Consumer<ObjectNode>) a -> a.put("mediaType", "image"), "attachments[0]"});
        cases.put("media-type-starts-with-dot", new Object[] {(Consumer<ObjectNode>) a -> a.put("mediaType", "image/.jpeg"), "attachments[0]"});
        cases.put("name-with-folder", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "../../etc/passwd"), "attachments[0]"});
        cases.put("name-with-backslash", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "C:\\evidence\\a.jpg"), "attachments[0]"});
        cases.put("name-dot-dot", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", ".."), "attachments[0]"});
        cases.put("name-right-to-left-override", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "seal\u202egpj.exe"), "attachments[0]"});
        cases.put("name-zero-width-space", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "seal\u200b.jpg"), "attachments[0]"});
        cases.put("name-newline", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "seal\n.jpg"), "attachments[0]"});
        cases.put("name-escape-sequence", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "\u001b[31mseal.jpg"), "attachments[0]"});
        cases.put("name-trailing-space", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", "seal.jpg "), "attachments[0]"});
        cases.put("name-empty", new Object[] {(Consumer<ObjectNode>) a -> a.put("name", ""), "attachments[0]"});
        cases.put("name-null", new Object[] {(Consumer<ObjectNode>) a -> a.putNull("name"), "attachments[0].name"});
        List<String> failures = new ArrayList<>();
        cases.forEach((name, c) -> {
            @SuppressWarnings("unchecked")
            Consumer<ObjectNode> defect = (Consumer<ObjectNode>) c[0];
            ObjectNode tree = RecordCodec.toJson(handoff(List.of(photo())));
            defect.accept((ObjectNode) tree.get("attachments").get(0));
            String expected = (String) c[1];
            try {
                RecordCodec.decode(Canonical.bytes(tree));
                failures.add(name + ": decoded");
            } catch (MalformedRecordException e) {
                if (!e.path().equals(expected)) {
                    failures.add(name + ": refused at '" + e.path() + "', expected '" + expected + "': " + e.getMessage());
                }
            }
        });
        assertEquals(List.of(), failures);
    }

    @Test
    void decode_sameFileTwice_refusedAtTheSecondDigest() {
        ObjectNode tree = RecordCodec.toJson(handoff(List.of(photo())));
        ArrayNode a = (ArrayNode) tree.get("attachments");
        a.add(a.get(0).deepCopy()).get(1);
        ((ObjectNode) a.get(1)).put("name", "copy.jpg");
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(Canonical.bytes(tree)));
        assertEquals("attachments[1].digest", e.path());
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }

    @Test
    void decode_emptyArray_refused() {
        ObjectNode tree = RecordCodec.toJson(handoff(List.of(photo())));
        tree.putArray("attachments");
        assertEquals("attachments", assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(Canonical.bytes(tree))).path());
    }

    @Test
    void decode_tooMany_refused() {
        ObjectNode tree = RecordCodec.toJson(handoff(List.of(photo())));
        ArrayNode a = tree.putArray("attachments");
        for (int i = 0; i <= Attachment.MAX_PER_RECORD; i++) {
            a.addObject().put("alg", "sm3").put("digest", HashAlgorithm.SM3.digest(new byte[] {(byte) i}).hex()).put("size", i)
                    .put("mediaType", "image/png");
        }
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(Canonical.bytes(tree)));
        assertEquals("attachments", e.path());
    }

    @Test
    void build_sameFileTwice_refused() {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> handoff(List.of(photo(),
                new Attachment(HashAlgorithm.SHA_256, Hash.fromHex(DIGEST), 5, "image/jpeg", null))));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void ofFile_realFile_digestAndSizeOfItsBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("封条 照片.jpg");
        byte[] bytes = new byte[200_000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        for (HashAlgorithm alg : HashAlgorithm.values()) {
            Attachment a = Attachment.ofFile(file, alg, "image/jpeg");
            assertEquals(alg.digest(bytes), a.digest());
            assertEquals(bytes.length, a.size());
            assertEquals("封条 照片.jpg", a.name());
        }
    }

    @Test
    void ofFile_folderOrLink_refused(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("a.jpg"), new byte[] {1});
        Path link = Files.createSymbolicLink(dir.resolve("link.jpg"), file);
        assertThrows(MalformedInputException.class, () -> Attachment.ofFile(dir, HashAlgorithm.SHA_256, "image/jpeg"));
        assertThrows(MalformedInputException.class, () -> Attachment.ofFile(link, HashAlgorithm.SHA_256, "image/jpeg"));
    }
}
