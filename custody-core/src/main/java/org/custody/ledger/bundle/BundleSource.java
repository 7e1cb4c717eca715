package org.custody.ledger.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.Schema;
import org.custody.ledger.sqlite.TreeStore;
import org.custody.ledger.verify.EntrySource;
import org.custody.model.LedgerId;

/**
 * A bundle ({@code custody-bundle/v1}, docs/formats.md §11) as the verifier reads it, straight from its file: no copy
 * into a database. The first pass reads the whole structure strictly (a bundle that breaks the format is refused,
 * naming the line, before anything is reported) and keeps what is small and needed beside the entries: the identity,
 * the head, the checkpoints and their time-stamp tokens, a SHA-256 of each tree tile the entries can complete (so that a tile is compared as the
 * entries complete it, in the same order as for a file; about 2 bytes an entry) and a SHA-256 of all the entry lines.
 * Two more passes stream the entries: one for the revocations the verifier reads ahead, one for the verification. Each
 * must read exactly the entry lines the first pass read (their count and digest), or the file changed in between and
 * the verification stops with an error rather than report on a mix: before anything is reported if it changed before
 * the revocations were read, at the end otherwise.
 */
final class BundleSource implements EntrySource {
    private final Path file;
    private final Meta meta;
    private final long entries;
    private final StoredHead head;
    private final List<StoredCheckpoint> checkpoints;
    private final List<StoredTimestamp> timestamps;
    private final TileDigests tiles;
    /** SHA-256 over every entry line, as the first pass read them: each later pass must read the same. */
    private final byte[] entryDigest;

    private BundleSource(Path file, Meta meta, long entries, StoredHead head, List<StoredCheckpoint> checkpoints,
                         List<StoredTimestamp> timestamps, TileDigests tiles, byte[] entryDigest) {
        this.file = file;
        this.meta = meta;
        this.entries = entries;
        this.head = head;
        this.checkpoints = checkpoints;
        this.timestamps = timestamps;
        this.tiles = tiles;
        this.entryDigest = entryDigest;
    }

    /**
     * Reads the bundle at {@code file} (the first pass).
     *
     * @throws MalformedBundleException naming the line if the file is not a complete bundle
     */
    static BundleSource read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            StrictLines r = new StrictLines(in, "bundle", Bundle.MAX_LINE, Long.MAX_VALUE);
            Meta meta = start(r);
            long entries = 0;
            long previous = -1;
            MessageDigest digest = sha256();
            while (r.nextStartsWith("e ")) {
                EntryLine e = entryLine(r, digest);
                if (e.seq() <= previous) {
                    throw r.error("entry " + e.seq() + " does not come after entry " + previous);
                }
                previous = e.seq();
                entries++;
            }
            String[] headLine = r.fields("head", -1);
            if (!(headLine.length == 2 && headLine[1].equals("-")) && headLine.length != 3) {
                throw r.error("the head line is 'head <seq> <hash>' or 'head -'");
            }
            StoredHead head = headLine.length == 3 ? new StoredHead(r.number(headLine[1]), r.hash(headLine[2]).bytes()) : null;
            TileDigests tiles = new TileDigests(entries);
            while (r.nextStartsWith("t ")) {
                String[] f = r.fields("t", 4);
                long level = r.number(f[1]);
                long index = r.number(f[2]);
                if (!tiles.add(level, index, r.base64(f[3]))) {
                    throw r.error("tile (" + level + ", " + index + ") repeated");
                }
            }
            List<StoredCheckpoint> checkpoints = new ArrayList<>();
            java.util.Set<Long> sizes = new java.util.HashSet<>();
            while (r.nextStartsWith("c ")) {
                String[] f = r.fields("c", 4);
                StoredCheckpoint c = new StoredCheckpoint(r.number(f[1]), r.hash(f[2]).bytes(), r.base64(f[3]));
                if (!sizes.add(c.size())) {
                    throw r.error("checkpoint size " + c.size() + " repeated");
                }
                checkpoints.add(c);
            }
            checkpoints.sort(Comparator.comparingLong(StoredCheckpoint::size));
            List<StoredTimestamp> timestamps = new ArrayList<>();
            while (r.nextStartsWith("s ")) {
                String[] f = r.fields("s", 3);
                StoredTimestamp t = new StoredTimestamp(r.number(f[1]), r.base64(f[2]));
                if (!timestamps.isEmpty() && t.size() <= timestamps.get(timestamps.size() - 1).size()) {
                    throw r.error("time-stamp token of size " + t.size() + " does not come after the one of size "
                            + timestamps.get(timestamps.size() - 1).size());
                }
                timestamps.add(t);
            }
            String[] end = r.fields("end", -1);
            if (end.length != 4 && !(end.length == 5 && !timestamps.isEmpty())) {
                throw r.error("the end line is 'end <entries> <tiles> <checkpoints>', with ' <time-stamp tokens>' after it"
                        + " when the bundle holds any");
            }
            if (r.number(end[1]) != entries || r.number(end[2]) != tiles.count() || r.number(end[3]) != checkpoints.size()
                    || (end.length == 5 ? r.number(end[4]) : 0) != timestamps.size()) {
                throw r.error("the bundle says " + end[1] + " entries, " + end[2] + " tiles, " + end[3] + " checkpoints and "
                        + (end.length == 5 ? end[4] : "0") + " time-stamp tokens, but holds " + entries + ", " + tiles.count()
                        + ", " + checkpoints.size() + " and " + timestamps.size());
            }
            r.expectEnd();
            return new BundleSource(file, meta, entries, head, List.copyOf(checkpoints), List.copyOf(timestamps), tiles,
                    digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The digests of the stored tiles the entries can complete, in one array per tile level, indexed by tile (32 bytes a
     * tile, about 2 bytes an entry); a tile the entries cannot complete is only counted, as extra. Memory is bounded by
     * the number of entry lines, whatever the tile lines say.
     */
    private static final class TileDigests implements Tiles {
        private final byte[][] digests = new byte[TreeStore.TILE_LEVELS][];
        private final java.util.BitSet[] present = new java.util.BitSet[TreeStore.TILE_LEVELS];
        private long count;

        TileDigests(long leaves) {
            long below = leaves;
            for (int t = 0; t < TreeStore.TILE_LEVELS; t++) {
                below >>>= TreeStore.TILE_HEIGHT; // perfect subtrees of level 4(t+1): one complete tile of level t each
                int n = (int) Math.min(below, Integer.MAX_VALUE / Hash.LENGTH);
                digests[t] = new byte[n * Hash.LENGTH];
                present[t] = new java.util.BitSet(n);
            }
        }

        /** Notes a stored tile; false if a tile of this level and index was stored already. */
        boolean add(long level, long index, byte[] hashes) {
            count++;
            if (level >= TreeStore.TILE_LEVELS || index >= digests[(int) level].length / Hash.LENGTH) {
                return true; // no entry completes it: counted, so the verifier reports the extra tile
            }
            int t = (int) level;
            int i = (int) index;
            if (present[t].get(i)) {
                return false;
            }
            present[t].set(i);
            System.arraycopy(HashAlgorithm.SHA_256.digest(hashes).bytes(), 0, digests[t], i * Hash.LENGTH, Hash.LENGTH);
            return true;
        }

        @Override
        public Boolean matches(int level, long index, byte[] expected) {
            if (level >= TreeStore.TILE_LEVELS || index >= digests[level].length / Hash.LENGTH || !present[level].get((int) index)) {
                return null;
            }
            int from = (int) index * Hash.LENGTH;
            return Arrays.equals(digests[level], from, from + Hash.LENGTH, HashAlgorithm.SHA_256.digest(expected).bytes(), 0,
                    Hash.LENGTH);
        }

        @Override
        public long count() {
            return count;
        }
    }

    /** A fresh SHA-256 engine for a running digest of the entry lines (HashAlgorithm digests whole byte arrays only). */
    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The first two lines: the format and the ledger's identity. */
    private static Meta start(StrictLines r) {
        r.expect(Bundle.MAGIC);
        String[] ledger = r.fields("ledger", 3);
        try {
            return new Meta(Schema.VERSION, LedgerId.of(ledger[1]), Suite.fromWire(ledger[2]));
        } catch (MalformedInputException e) {
            throw r.error("bad ledger line: " + e.getMessage());
        }
    }

    /** An entry line, {@code e <seq> <entry>}, with a body that holds a newline written as {@code !<base64>}. */
    private record EntryLine(long seq, byte[] body) {}

    private static EntryLine entryLine(StrictLines r, MessageDigest digest) {
        byte[] line = r.nextBytes();
        digest.update(line);
        digest.update((byte) '\n');
        int space = indexOf(line, (byte) ' ', 2);
        if (space < 0) {
            throw r.error("an entry line is 'e <seq> <entry>'");
        }
        long seq = r.number(new String(line, 2, space - 2, StandardCharsets.US_ASCII));
        byte[] body = Arrays.copyOfRange(line, space + 1, line.length);
        if (body.length > 0 && body[0] == '!') {
            body = r.base64(new String(body, 1, body.length - 1, StandardCharsets.US_ASCII));
        }
        return new EntryLine(seq, body);
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public Meta meta(Consumer<String> damage) {
        return meta;
    }

    @Override
    public Connection indexes() {
        return null;
    }

    /** A pass over the entries for those read ahead, none held in memory; refused if they are not the first pass's. */
    @Override
    public void readAhead(BodyVisitor visitor) {
        entryPass((seq, body) -> {
            if (EntrySource.contains(body, REVOKE_MARKER) || EntrySource.contains(body, CORRECTION_MARKER)) {
                visitor.entry(seq, body);
            }
        });
    }

    /** The last pass: the entries, each as the first pass read it, or refused at the end if the file changed. */
    @Override
    public void entries(RowVisitor visitor) {
        entryPass((seq, body) -> visitor.entry(seq, body, null));
    }

    /**
     * Reads the entry lines again, giving each to {@code visitor}; afterwards the number of entries and the SHA-256 of
     * their lines must be the first pass's, or the file changed in between.
     */
    private void entryPass(BodyVisitor visitor) {
        long seen = 0;
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            StrictLines r = new StrictLines(in, "bundle", Bundle.MAX_LINE, Long.MAX_VALUE);
            if (!start(r).equals(meta)) {
                throw changed(r);
            }
            while (r.nextStartsWith("e ")) {
                EntryLine e = entryLine(r, digest);
                seen++;
                visitor.entry(e.seq(), e.body());
            }
            if (seen != entries || !MessageDigest.isEqual(digest.digest(), entryDigest)) {
                throw changed(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle " + file + ": " + e.getMessage(), e);
        }
    }

    private static MalformedBundleException changed(StrictLines r) {
        return r.error("the bundle changed while it was being verified; copy it somewhere nobody writes and verify the copy"
                + " (校验期间文件被改动)");
    }

    @Override
    public Optional<StoredHead> head() {
        return Optional.ofNullable(head);
    }

    @Override
    public Tiles tiles() {
        return tiles;
    }

    @Override
    public List<StoredCheckpoint> checkpoints() {
        return checkpoints;
    }

    @Override
    public List<StoredTimestamp> timestamps() {
        return timestamps;
    }

    @Override
    public void close() {
        // nothing held open between the passes
    }

    private static int indexOf(byte[] line, byte b, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
