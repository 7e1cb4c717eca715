package org.custody.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;

/**
 * A bundle ({@code custody-bundle/v1}, docs/formats.md §11) as the verifier reads it, straight from its file: no copy
 * into a database. The file is read twice. The first pass reads the whole structure strictly (a bundle that breaks
 * the format is refused, naming the line, before anything is reported) and keeps what is small and needed beside
 * the entries: the identity, the head, the checkpoints, the revocations (read ahead, as from a ledger file) and a
 * digest of each tree tile, so that a tile is compared as the entries complete it, in the same order as for a file.
 * The second pass streams the entries. If the entries the second pass reads are not those the first pass read (the
 * file changed in between), the verification stops with an error rather than report on a mix.
 */
final class BundleSource implements EntrySource {
    private final Path file;
    private final Meta meta;
    private final long entries;
    private final StoredHead head;
    private final List<StoredCheckpoint> checkpoints;
    /** SHA-256 of each stored tile, by (level, index). */
    private final Map<TileKey, byte[]> tiles;
    private final long tileCount;
    /** The stored bytes of every entry holding {@link #REVOKE_MARKER}, by position. */
    private final Map<Long, byte[]> revocations;

    private record TileKey(long level, long index) {}

    private BundleSource(Path file, Meta meta, long entries, StoredHead head, List<StoredCheckpoint> checkpoints,
                         Map<TileKey, byte[]> tiles, Map<Long, byte[]> revocations) {
        this.file = file;
        this.meta = meta;
        this.entries = entries;
        this.head = head;
        this.checkpoints = checkpoints;
        this.tiles = tiles;
        this.tileCount = tiles.size();
        this.revocations = revocations;
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
            Map<Long, byte[]> revocations = new HashMap<>();
            while (r.nextStartsWith("e ")) {
                EntryLine e = entryLine(r);
                if (e.seq() <= previous) {
                    throw r.error("entry " + e.seq() + " does not come after entry " + previous);
                }
                if (contains(e.body(), REVOKE_MARKER)) {
                    revocations.put(e.seq(), e.body());
                }
                previous = e.seq();
                entries++;
            }
            String[] headLine = r.fields("head", -1);
            if (!(headLine.length == 2 && headLine[1].equals("-")) && headLine.length != 3) {
                throw r.error("the head line is 'head <seq> <hash>' or 'head -'");
            }
            StoredHead head = headLine.length == 3 ? new StoredHead(r.number(headLine[1]), r.hash(headLine[2]).bytes()) : null;
            Map<TileKey, byte[]> tiles = new HashMap<>();
            HashAlgorithm sha256 = HashAlgorithm.SHA_256;
            while (r.nextStartsWith("t ")) {
                String[] f = r.fields("t", 4);
                TileKey key = new TileKey(r.number(f[1]), r.number(f[2]));
                if (tiles.put(key, sha256.digest(r.base64(f[3])).bytes()) != null) {
                    throw r.error("tile (" + key.level() + ", " + key.index() + ") repeated");
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
            String[] end = r.fields("end", 4);
            if (r.number(end[1]) != entries || r.number(end[2]) != tiles.size() || r.number(end[3]) != checkpoints.size()) {
                throw r.error("the bundle says " + end[1] + " entries, " + end[2] + " tiles and " + end[3]
                        + " checkpoints, but holds " + entries + ", " + tiles.size() + " and " + checkpoints.size());
            }
            r.expectEnd();
            return new BundleSource(file, meta, entries, head, List.copyOf(checkpoints), tiles, revocations);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle " + file + ": " + e.getMessage(), e);
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

    private static EntryLine entryLine(StrictLines r) {
        byte[] line = r.nextBytes();
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
    public Meta meta(Consumer<String> damage) {
        return meta;
    }

    @Override
    public Connection indexes() {
        return null;
    }

    @Override
    public void revocations(BodyVisitor visitor) {
        revocations.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> visitor.entry(e.getKey(), e.getValue()));
    }

    /** The second pass: the entries again, each checked to be the one the first pass read where it matters. */
    @Override
    public void entries(RowVisitor visitor) {
        long seen = 0;
        long revocationsSeen = 0;
        try (InputStream in = Files.newInputStream(file)) {
            StrictLines r = new StrictLines(in, "bundle", Bundle.MAX_LINE, Long.MAX_VALUE);
            if (!start(r).equals(meta)) {
                throw changed(r);
            }
            while (r.nextStartsWith("e ")) {
                EntryLine e = entryLine(r);
                if (contains(e.body(), REVOKE_MARKER)) {
                    if (!Arrays.equals(revocations.get(e.seq()), e.body())) {
                        throw changed(r);
                    }
                    revocationsSeen++;
                }
                seen++;
                visitor.entry(e.seq(), e.body(), null);
            }
            if (seen != entries || revocationsSeen != revocations.size()) {
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
        return new Tiles() {
            @Override
            public Boolean matches(int level, long index, byte[] expected) {
                byte[] stored = tiles.get(new TileKey(level, index));
                return stored == null ? null : Hash.of(stored).equals(HashAlgorithm.SHA_256.digest(expected));
            }

            @Override
            public long count() {
                return tileCount;
            }
        };
    }

    @Override
    public List<StoredCheckpoint> checkpoints() {
        return checkpoints;
    }

    @Override
    public void close() {
        // nothing held open between the passes
    }

    private static boolean contains(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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
