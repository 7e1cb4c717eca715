package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.IncidentType;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.testing.Cast;

/**
 * Attachments are signed bytes like every other member: a record with any attachments round-trips its canonical bytes,
 * and any change to one attachment (algorithm, a digest bit, size, media type, name) changes the entry's hash.
 */
class AttachmentPropertiesTest {
    private static final Cast CAST = new Cast(Suite.ED25519_SHA256, 18L);
    private static final Hash PREV = HashAlgorithm.SHA_256.digest(new byte[] {1});

    @Provide
    Arbitrary<Attachment> attachments() {
        Arbitrary<HashAlgorithm> alg = Arbitraries.of(HashAlgorithm.class);
        Arbitrary<Hash> digest = Arbitraries.bytes().array(byte[].class).ofSize(Hash.LENGTH).map(Hash::of);
        Arbitrary<Long> size = Arbitraries.oneOf(Arbitraries.longs().between(0, Attachment.MAX_SIZE),
                Arbitraries.of(0L, 1L, Attachment.MAX_SIZE));
        Arbitrary<String> part = Arbitraries.strings().withChars("abcxyz0189!#$&^_.+-").ofMinLength(0).ofMaxLength(20);
        Arbitrary<String> mediaType = Combinators.combine(Arbitraries.of("image", "video", "audio", "application", "x1"), part,
                Arbitraries.of('a', '0', 'z'), part).as((t, a, first, b) -> t + "/" + first + a + b);
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of("封条照片.jpg", "vault-cam 01.mp4", "𠀾 seal.heic", "a\"quote\".png", "back\u00e9.raw", "IMG_0001.JPG"),
                Arbitraries.strings().alpha().numeric().withChars(" 。，-_().封条").ofMinLength(1).ofMaxLength(40)
                        .filter(s -> s.strip().equals(s) && !s.equals(".") && !s.equals("..")));
        return Combinators.combine(alg, digest, size, mediaType, name).as(Attachment::new);
    }

    @Provide
    Arbitrary<List<Attachment>> lists() {
        return attachments().list().ofMinSize(1).ofMaxSize(6).uniqueElements(Attachment::key);
    }

    @Property(tries = 150)
    void decode_recordsWithAttachments_reencodeToSameBytes(@ForAll("lists") List<Attachment> attachments) {
        for (Record record : List.of(handoff(attachments), incident(attachments))) {
            byte[] bytes = RecordCodec.canonicalBytes(record);
            Record decoded = RecordCodec.decode(bytes);
            assertEquals(record, decoded);
            assertArrayEquals(bytes, RecordCodec.canonicalBytes(decoded), record.type());
            Entry entry = entry(record);
            assertArrayEquals(entry.canonicalBytes(), Entry.decode(entry.canonicalBytes()).canonicalBytes(), "entry of " + record.type());
            assertArrayEquals(Canonical.bytes(Entry.tree(entry.seq(), entry.prev(), entry.signed(), null)), entry.canonicalBytes());
        }
    }

    @Property(tries = 150)
    void entryHash_anyChangeToAnAttachment_changesTheHash(@ForAll("lists") List<Attachment> attachments,
                                                          @ForAll("attachmentIndexes") int pick, @ForAll("changes") int change) {
        int index = pick % attachments.size();
        List<Attachment> changed = new ArrayList<>(attachments);
        Attachment a = attachments.get(index);
        changed.set(index, change(a, change));
        if (changed.stream().map(Attachment::key).distinct().count() < changed.size()) {
            return; // the change made two attachments the same file: such a record cannot be built
        }
        for (boolean isHandoff : new boolean[] {true, false}) {
            Record before = isHandoff ? handoff(attachments) : incident(attachments);
            Record after = isHandoff ? handoff(changed) : incident(changed);
            assertNotEquals(entry(before).hash(HashAlgorithm.SHA_256), entry(after).hash(HashAlgorithm.SHA_256),
                    "change " + change + " to " + a);
            assertNotEquals(entry(before).hash(HashAlgorithm.SM3), entry(after).hash(HashAlgorithm.SM3), "change " + change + " to " + a);
        }
    }

    @Provide
    Arbitrary<Integer> attachmentIndexes() {
        return Arbitraries.integers().between(0, 5);
    }

    @Provide
    Arbitrary<Integer> changes() {
        return Arbitraries.integers().between(0, 256 + 4);
    }

    /** Change {@code n}: 0-255 flips one digest bit, then the algorithm, size, media type and name. */
    private static Attachment change(Attachment a, int n) {
        if (n < 256) {
            byte[] d = a.digest().bytes();
            d[n / 8] ^= (byte) (1 << (n % 8));
            return new Attachment(a.alg(), Hash.of(d), a.size(), a.mediaType(), a.name());
        }
        return switch (n - 256) {
            case 0 -> new Attachment(a.alg() == HashAlgorithm.SHA_256 ? HashAlgorithm.SM3 : HashAlgorithm.SHA_256, a.digest(),
                    a.size(), a.mediaType(), a.name());
            case 1 -> new Attachment(a.alg(), a.digest(), a.size() == 0 ? 1 : a.size() - 1, a.mediaType(), a.name());
            case 2 -> new Attachment(a.alg(), a.digest(), a.size(), a.mediaType() + "x", a.name());
            case 3 -> new Attachment(a.alg(), a.digest(), a.size(), a.mediaType(), a.name() == null ? "x.jpg" : null);
            default -> new Attachment(a.alg(), a.digest(), a.size(), a.mediaType(), a.name() == null ? "y" : a.name() + "y");
        };
    }

    private static Handoff handoff(List<Attachment> attachments) {
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of("h-1")).ledger(Cast.LEDGER).at(Instant.parse("2021-06-06T15:30:00Z"))
                .from(PersonId.of("P001")).to(PersonId.of("P002")).place(Place.of("VAULT-1", null))
                .bag(BagMove.of(BagId.of("B1"), PREV)).attachments(attachments).build();
    }

    private static Incident incident(List<Attachment> attachments) {
        return Incident.builder(IncidentType.SEAL_BROKEN).id(RecordId.of("i-1")).ledger(Cast.LEDGER).at(Instant.parse("2021-06-06T15:30:00Z"))
                .by(PersonId.of("P001")).by(PersonId.of("P002")).note("封条破损").attachments(attachments).build();
    }

    private static Entry entry(Record record) {
        return Entry.create(9, PREV, CAST.sign(record));
    }
}
