package org.custody.ledger.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.Suite;
import org.custody.ledger.sqlite.CheckpointStore;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.TreeStore;
import org.custody.merkle.CompactRange;
import org.custody.merkle.Node;
import org.custody.merkle.TreeHasher;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Revocation;

/**
 * The verifier's part for the transparency layer: rebuilds the Merkle tree from the entries as they stream past and
 * checks against it, in one pass and in memory that does not grow with the entries,
 *
 * <ul>
 *   <li>the stored tree tiles (I08: a stored tile differs from the entries, is missing or is extra),
 *   <li>every stored checkpoint (I08: its body is not the ledger's origin, size and root, or it is not signed by a
 *       checkpoint key valid at its size),
 *   <li>a checkpoint the inspector kept (I09: the ledger is shorter, or its first {@code size} entries have another
 *       root: history was rewritten).
 * </ul>
 */
final class TreeAudit {
    private final TreeHasher hasher;
    private final Checkpoint kept;
    private final boolean stored;
    private final CompactRange range;
    private final List<List<Hash>> open = new ArrayList<>();
    private final EntrySource.Tiles tiles;
    private final List<EntrySource.StoredCheckpoint> checkpoints;
    /** The next of {@link #checkpoints} to check. */
    private int checkpointIndex = -1;
    private EntrySource.StoredCheckpoint checkpoint;
    /** Checkpoint keys enrolled so far: key id to (public key, enrolment seq, revocation seq or -1). */
    private final Map<KeyId, CheckpointKey> keys = new HashMap<>();
    private final String origin;
    private long expectedTiles;
    private long nextCheckpoint = -1;
    private Hash keptActual;

    private record CheckpointKey(PublicKey key, long enrolled, long revoked) {}

    TreeAudit(EntrySource.Tiles tiles, List<EntrySource.StoredCheckpoint> checkpoints, Meta meta, Checkpoint kept) {
        Suite suite = meta.suite();
        this.hasher = TreeHasher.of(suite.hash());
        this.kept = kept;
        this.stored = meta.schemaVersion() >= 2;
        this.range = CompactRange.empty(suite.hash());
        this.origin = CheckpointStore.origin(meta.ledger());
        for (int t = 0; t < TreeStore.TILE_LEVELS; t++) {
            open.add(new ArrayList<>(TreeStore.TILE_WIDTH));
        }
        this.tiles = tiles;
        this.checkpoints = stored ? checkpoints : List.of();
        advance();
    }

    /** The next entry in store order, with its stored bytes; {@code entry} is null if it did not decode. */
    void leaf(long position, byte[] body, Entry entry, Consumer<Finding> report) {
        for (Node node : range.append(hasher.leafHash(body))) {
            if (node.level() % TreeStore.TILE_HEIGHT == 0) {
                int t = node.level() / TreeStore.TILE_HEIGHT;
                List<Hash> tile = open.get(t);
                tile.add(node.hash());
                if (tile.size() == TreeStore.TILE_WIDTH) {
                    checkTile(t, node.index() >>> TreeStore.TILE_HEIGHT, tile, position, report);
                    tile.clear();
                }
            }
        }
        if (entry != null) {
            track(entry, position);
        }
        long size = range.size();
        if (kept != null && size == kept.size()) {
            keptActual = range.root();
        }
        while (nextCheckpoint >= 0 && nextCheckpoint <= size) {
            if (nextCheckpoint == size) {
                checkCheckpoint(size, position, report);
            } else {
                report.accept(Finding.of(FindingCode.I08, position, null, "a stored checkpoint of size " + nextCheckpoint
                        + " cannot be checked: the tree passed that size unseen (stored checkpoints out of order?)"));
            }
            advance();
        }
    }

    private void track(Entry entry, long position) {
        if (entry.record() instanceof Enrolment e && e.person().hasRole(Role.CHECKPOINT_SIGNER)) {
            keys.putIfAbsent(e.key().id(), new CheckpointKey(e.key(), position, -1));
        } else if (entry.record() instanceof Revocation r) {
            CheckpointKey k = keys.get(r.key());
            if (k != null && k.revoked() < 0) {
                keys.put(r.key(), new CheckpointKey(k.key(), k.enrolled(), position));
            }
        }
    }

    private void checkTile(int t, long index, List<Hash> tile, long position, Consumer<Finding> report) {
        if (!stored) {
            return;
        }
        expectedTiles++;
        byte[] want = new byte[TreeStore.TILE_WIDTH * Hash.LENGTH];
        for (int i = 0; i < tile.size(); i++) {
            System.arraycopy(tile.get(i).bytes(), 0, want, i * Hash.LENGTH, Hash.LENGTH);
        }
        Boolean matches = tiles.matches(t, index, want);
        if (matches == null) {
            report.accept(Finding.of(FindingCode.I08, position, null, "the stored Merkle tree has no tile (" + t + ", "
                    + index + ") although entry " + position + " completed it: proofs from this file would fail"));
        } else if (!matches) {
            report.accept(Finding.of(FindingCode.I08, position, null, "stored Merkle tree tile (" + t + ", " + index
                    + ") does not match the entries up to " + position + ": proofs from this file would not match them"));
        }
    }

    private void advance() {
        checkpointIndex++;
        checkpoint = checkpointIndex < checkpoints.size() ? checkpoints.get(checkpointIndex) : null;
        nextCheckpoint = checkpoint == null ? -1 : checkpoint.size();
    }

    private void checkCheckpoint(long size, long position, Consumer<Finding> report) {
        Hash root = range.root();
        String what = "stored checkpoint of size " + size;
        Checkpoint body;
        SignedNote note;
        try {
            note = SignedNote.parse(checkpoint.note());
            body = Checkpoint.parse(note.text());
        } catch (MalformedNoteException e) {
            report.accept(Finding.of(FindingCode.I08, position, null, what + " is not a signed checkpoint: " + e.getMessage()));
            return;
        }
        if (!body.origin().equals(origin) || body.size() != size || !body.root().equals(root)
                || !java.util.Arrays.equals(checkpoint.root(), root.bytes())) {
            report.accept(Finding.of(FindingCode.I08, position, null, what + " does not match the entries: it says "
                    + body.origin() + " size " + body.size() + " root " + body.root().hex())
                    .comparing(origin + " " + size + " " + root.hex(), body.origin() + " " + body.size() + " " + body.root().hex()));
            return;
        }
        List<NoteKey> valid = new ArrayList<>();
        keys.values().forEach(k -> {
            if (k.enrolled() < size && (k.revoked() < 0 || k.revoked() >= size)) {
                valid.add(NoteKey.of(origin, NoteKeyType.of(k.key().algorithm(), false), k.key()));
            }
        });
        if (valid.isEmpty()) {
            report.accept(Finding.of(FindingCode.I08, position, null, what + " has no checkpoint key to verify it:"
                    + " none was enrolled (role checkpoint_signer) before entry " + size + " and left unrevoked"));
            return;
        }
        try {
            NoteVerifier.of(valid).verify(note);
        } catch (NoteVerificationException e) {
            report.accept(Finding.of(FindingCode.I08, position, null, what + " is not signed by the ledger's checkpoint key: "
                    + e.getMessage()));
        }
    }

    /** After the last entry: checks the stored tree's size and the kept checkpoint. */
    void finish(long lastPosition, Consumer<Finding> report) {
        if (stored) {
            while (nextCheckpoint >= 0) {
                report.accept(Finding.of(FindingCode.I08, lastPosition, null, "a stored checkpoint of size " + nextCheckpoint
                        + " is larger than the ledger (" + range.size() + " entries): entries were removed after it was signed")
                        .comparing(nextCheckpoint + " entries", range.size() + " entries"));
                advance();
            }
            long count = tiles.count();
            if (count != expectedTiles) {
                report.accept(Finding.of(FindingCode.I08, lastPosition, null, "the stored Merkle tree has " + count
                        + " tiles, the entries make " + expectedTiles).comparing(expectedTiles, count));
            }
        }
        if (kept == null) {
            return;
        }
        if (!kept.origin().equals(origin)) {
            report.accept(Finding.of(FindingCode.I09, Math.max(0, lastPosition), null, "the kept checkpoint is of "
                    + kept.origin() + ", this ledger is " + origin).comparing(kept.origin(), origin));
        } else if (range.size() < kept.size()) {
            report.accept(Finding.of(FindingCode.I09, range.size(), null, "the ledger has " + range.size()
                    + " entries, fewer than the " + kept.size() + " of the checkpoint kept earlier: it was truncated")
                    .comparing(kept.size() + " entries", range.size() + " entries"));
        } else if (kept.size() > 0 && !kept.root().equals(keptActual)) {
            report.accept(Finding.of(FindingCode.I09, kept.size() - 1, null, "the first " + kept.size() + " entries have"
                    + " another Merkle root than the checkpoint kept earlier: an entry at or before " + (kept.size() - 1)
                    + " was rewritten, removed or inserted").comparing(kept.root(), keptActual));
        }
    }

    /** Takes in the checkpoint keys enrolled by entries not read here (a verification that starts after them). */
    void restore(Map<KeyId, VerificationState.CheckpointKey> kept) {
        kept.forEach((id, k) -> keys.put(id, new CheckpointKey(k.key(), k.enrolled(), k.revoked())));
    }

    /** The checkpoint keys enrolled by the entries read so far. */
    Map<KeyId, VerificationState.CheckpointKey> checkpointKeys() {
        Map<KeyId, VerificationState.CheckpointKey> out = new HashMap<>();
        keys.forEach((id, k) -> out.put(id, new VerificationState.CheckpointKey(k.key(), k.enrolled(), k.revoked())));
        return out;
    }

    /** The number of entries read so far. */
    long size() {
        return range.size();
    }

    /** The root of the entries read so far. */
    Hash root() {
        return range.root();
    }

}
