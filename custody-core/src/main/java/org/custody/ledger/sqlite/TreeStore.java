package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.ledger.LedgerStoreException;
import org.custody.merkle.CompactRange;
import org.custody.merkle.HashSource;
import org.custody.merkle.Node;
import org.custody.merkle.TreeHasher;

/**
 * The ledger's Merkle tree ({@code docs/merkle.md}) kept in the store as <em>tiles</em>: tile {@code (t, i)} holds
 * the 16 hashes of the perfect subtrees at level {@code 4t} with indexes {@code 16i .. 16i+15}, concatenated (512
 * bytes), and is written once, when its last subtree completes. Level 0 holds the leaf hashes
 * {@code H(0x00 || body)}. Only complete tiles are stored, about one row per 15 entries; a node between two tile
 * levels is hashed from at most 8 hashes of the tile below it, and a node in the incomplete tile at the right edge
 * from the complete tiles (or, at level 0, the entries) under it. So an append costs one leaf hash, about one node
 * hash and 1/15 of a small insert, and a root or proof reads O(log n) tiles.
 *
 * <p>Kept inside the append transaction: {@link #add} is called for every entry stored, {@link #discard} when the
 * transaction rolls back. The in-memory right edge (a {@link CompactRange} and the incomplete tiles) is reloaded
 * from the store whenever it does not match the ledger's size, e.g. after another process appended.
 */
public final class TreeStore {
    /** Levels per tile. */
    public static final int TILE_HEIGHT = 4;
    /** Hashes per tile. */
    public static final int TILE_WIDTH = 1 << TILE_HEIGHT;
    /** Tile levels: tree levels 0, 4, ..., 60. */
    public static final int TILE_LEVELS = Node.MAX_LEVEL / TILE_HEIGHT + 1;

    static final String CREATE = "CREATE TABLE tree_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
            + " hashes BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID";

    private final HashAlgorithm algorithm;
    private final TreeHasher hasher;
    /** The right edge as of {@link CompactRange#size()} leaves; null when it must be reloaded. */
    private CompactRange range;
    /** Per tile level, the hashes of the incomplete tile at the right edge. */
    private List<List<Hash>> open;
    /** Prepared once per connection (preparing costs as much as running the query). */
    private Connection prepared;
    private PreparedStatement selectTile;
    private PreparedStatement insertTile;

    public TreeStore(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
        this.hasher = TreeHasher.of(algorithm);
    }

    /** Records entry {@code seq} with stored bytes {@code body} as leaf {@code seq}, inside the append transaction. */
    public void add(Connection c, long seq, byte[] body) throws SQLException {
        if (range == null || range.size() != seq) {
            load(c, seq);
        }
        for (Node node : range.append(hasher.leafHash(body))) {
            if (node.level() % TILE_HEIGHT != 0) {
                continue;
            }
            int t = node.level() / TILE_HEIGHT;
            List<Hash> tile = open.get(t);
            tile.add(node.hash());
            if (tile.size() == TILE_WIDTH) {
                writeTile(c, t, node.index() >>> TILE_HEIGHT, tile);
                tile.clear();
            }
        }
    }

    /** Forgets the in-memory right edge: the transaction that changed it rolled back. */
    public void discard() {
        range = null;
        open = null;
    }

    private void load(Connection c, long size) throws SQLException {
        discard();
        Source source = new Source(c, size);
        CompactRange loaded = CompactRange.of(algorithm, source);
        List<List<Hash>> tiles = new ArrayList<>(TILE_LEVELS);
        for (int t = 0; t < TILE_LEVELS; t++) {
            int level = t * TILE_HEIGHT;
            long count = size >>> level;
            List<Hash> tile = new ArrayList<>(TILE_WIDTH);
            for (long i = count & -TILE_WIDTH; i < count; i++) {
                tile.add(source.hash(level, i));
            }
            tiles.add(tile);
        }
        range = loaded;
        open = tiles;
    }

    private void writeTile(Connection c, int t, long index, List<Hash> hashes) throws SQLException {
        byte[] blob = new byte[TILE_WIDTH * Hash.LENGTH];
        for (int i = 0; i < TILE_WIDTH; i++) {
            System.arraycopy(hashes.get(i).bytes(), 0, blob, i * Hash.LENGTH, Hash.LENGTH);
        }
        statements(c);
        insertTile.setInt(1, t);
        insertTile.setLong(2, index);
        insertTile.setBytes(3, blob);
        insertTile.executeUpdate();
    }

    private void statements(Connection c) throws SQLException {
        if (prepared != c || selectTile.isClosed()) {
            selectTile = c.prepareStatement("SELECT hashes FROM tree_tiles WHERE level = ? AND idx = ?");
            insertTile = c.prepareStatement("INSERT INTO tree_tiles (level, idx, hashes) VALUES (?, ?, ?)");
            prepared = c;
        }
    }

    /**
     * Builds the tiles of a store that has entries but no tree (a schema version 1 file being migrated), in one pass
     * over the entries.
     */
    void rebuild(Connection c) throws SQLException {
        discard();
        range = CompactRange.empty(algorithm);
        open = new ArrayList<>();
        for (int t = 0; t < TILE_LEVELS; t++) {
            open.add(new ArrayList<>(TILE_WIDTH));
        }
        try (PreparedStatement s = c.prepareStatement("SELECT seq, body FROM entries ORDER BY seq")) {
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != range.size()) {
                        throw new LedgerStoreException("cannot build the Merkle tree: entry " + range.size()
                                + " is missing (found " + seq + "); run a verification");
                    }
                    add(c, seq, rs.getBytes(2));
                }
            }
        }
    }

    /** The stored tree of the first {@code size} leaves, for roots and proofs; valid while the transaction is. */
    public HashSource source(Connection c, long size) {
        return new Source(c, size);
    }

    private record TileKey(int level, long index) {}

    /**
     * Perfect-subtree hashes read from the tiles (and, for the incomplete level-0 tile, from the entries), with the
     * tiles read so far cached for the life of this object: one root or proof.
     */
    private final class Source implements HashSource {
        private final Connection c;
        private final long size;
        private final Map<TileKey, byte[]> tiles = new HashMap<>();

        Source(Connection c, long size) {
            this.c = c;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Hash hash(int level, long index) {
            try {
                int t = level / TILE_HEIGHT;
                int r = level % TILE_HEIGHT;
                long first = index << r;
                int count = 1 << r;
                Hash[] hashes = new Hash[count];
                byte[] tile = tile(t, first >>> TILE_HEIGHT);
                if (tile != null) {
                    int offset = (int) (first & (TILE_WIDTH - 1));
                    for (int i = 0; i < count; i++) {
                        hashes[i] = Hash.of(Arrays.copyOfRange(tile, (offset + i) * Hash.LENGTH,
                                (offset + i + 1) * Hash.LENGTH));
                    }
                } else if (t == 0) {
                    leaves(first, hashes);
                } else {
                    for (int i = 0; i < count; i++) {
                        byte[] below = tile(t - 1, first + i);
                        if (below == null) {
                            throw new LedgerStoreException("the Merkle tree store has no tile (" + (t - 1) + ", "
                                    + (first + i) + ") under a complete node; run a verification");
                        }
                        hashes[i] = fold(split(below), TILE_WIDTH);
                    }
                }
                return fold(hashes, count);
            } catch (SQLException e) {
                throw new LedgerStoreException("cannot read the Merkle tree: " + e.getMessage(), e);
            }
        }

        private byte[] tile(int t, long index) throws SQLException {
            TileKey key = new TileKey(t, index);
            if (tiles.containsKey(key)) {
                return tiles.get(key);
            }
            byte[] blob = null;
            statements(c);
            selectTile.setInt(1, t);
            selectTile.setLong(2, index);
            try (ResultSet rs = selectTile.executeQuery()) {
                if (rs.next()) {
                    blob = rs.getBytes(1);
                    if (blob.length != TILE_WIDTH * Hash.LENGTH) {
                        throw new LedgerStoreException("Merkle tree tile (" + t + ", " + index + ") is "
                                + blob.length + " bytes, expected " + TILE_WIDTH * Hash.LENGTH + "; run a verification");
                    }
                }
            }
            tiles.put(key, blob);
            return blob;
        }

        private void leaves(long first, Hash[] out) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, body FROM entries WHERE seq >= ? AND seq < ? ORDER BY seq")) {
                s.setLong(1, first);
                s.setLong(2, first + out.length);
                int n = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(1) != first + n) {
                            break;
                        }
                        out[n++] = hasher.leafHash(rs.getBytes(2));
                    }
                }
                if (n != out.length) {
                    throw new LedgerStoreException("the Merkle tree needs entry " + (first + n) + ", which is missing;"
                            + " run a verification");
                }
            }
        }

        private Hash[] split(byte[] tile) {
            Hash[] out = new Hash[TILE_WIDTH];
            for (int i = 0; i < TILE_WIDTH; i++) {
                out[i] = Hash.of(Arrays.copyOfRange(tile, i * Hash.LENGTH, (i + 1) * Hash.LENGTH));
            }
            return out;
        }

        /** The root of the perfect subtree over {@code count} (a power of two) hashes; overwrites {@code hashes}. */
        private Hash fold(Hash[] hashes, int count) {
            for (int width = count; width > 1; width >>= 1) {
                for (int i = 0; i < width / 2; i++) {
                    hashes[i] = hasher.nodeHash(hashes[2 * i], hashes[2 * i + 1]);
                }
            }
            return hashes[0];
        }
    }
}
