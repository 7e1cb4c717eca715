package org.custody.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.ledger.Ledger;
import org.custody.merkle.CompactRange;
import org.custody.merkle.Node;
import org.custody.merkle.TreeHasher;

/**
 * A ledger file whose Merkle tree store holds {@code leaves} leaves, for the proof benchmarks. Appending 10 M signed
 * entries would take hours here, and a proof reads only the tree, so the file is a real ledger (a genesis entry, the
 * schema of docs/formats.md §7) whose {@code tree_tiles} table is then filled directly, in that documented format,
 * with the tiles of {@code leaves} synthetic leaves ({@code leafHash(i as 8 big-endian bytes)}), and whose head is
 * moved to {@code leaves - 1}. The leaf count is a multiple of 16, so every level-0 tile is complete and no proof needs
 * an entry's bytes. Built once under {@link BenchData#dir()} and reused: {@code main <leaves>} builds it ahead.
 */
public final class ProofTree {
    private static final int TILE_HEIGHT = 4;
    private static final int TILE_WIDTH = 16;

    private ProofTree() {}

    /** The file of {@code leaves} leaves, built now unless it is there already. */
    public static Path file(long leaves) {
        if (leaves < TILE_WIDTH || leaves % TILE_WIDTH != 0) {
            throw new IllegalArgumentException("the proof tree has a positive multiple of 16 leaves, got " + leaves);
        }
        Path file = BenchData.dir().resolve("proof-tree-" + leaves + ".db");
        if (Files.isRegularFile(file)) {
            try (Ledger ledger = Ledger.open(file, Workload.CLOCK)) {
                if (ledger.head().size() == leaves) {
                    return file;
                }
            }
        }
        build(file, leaves);
        return file;
    }

    private static void build(Path file, long leaves) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        BenchData.deleteLedger(partial);
        BenchData.deleteLedger(file);
        Chain chain = new Chain(BenchData.workload());
        try (Ledger ledger = Ledger.create(partial, chain.prologue().get(0).record(), Workload.CLOCK)) {
            if (ledger.head().size() != 1) {
                throw new IllegalStateException("the genesis entry was not stored");
            }
        }
        long start = System.nanoTime();
        HashAlgorithm sha256 = HashAlgorithm.SHA_256;
        TreeHasher hasher = TreeHasher.of(sha256);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + partial.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            c.setAutoCommit(false);
            s.execute("DELETE FROM tree_tiles");
            CompactRange range = CompactRange.empty(sha256);
            List<List<Hash>> open = new ArrayList<>();
            for (int t = 0; t <= Node.MAX_LEVEL / TILE_HEIGHT; t++) {
                open.add(new ArrayList<>(TILE_WIDTH));
            }
            ByteBuffer leaf = ByteBuffer.allocate(8);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO tree_tiles (level, idx, hashes) VALUES (?, ?, ?)")) {
                int pending = 0;
                for (long i = 0; i < leaves; i++) {
                    leaf.clear();
                    leaf.putLong(i);
                    for (Node node : range.append(hasher.leafHash(leaf.array()))) {
                        if (node.level() % TILE_HEIGHT != 0) {
                            continue;
                        }
                        List<Hash> tile = open.get(node.level() / TILE_HEIGHT);
                        tile.add(node.hash());
                        if (tile.size() == TILE_WIDTH) {
                            byte[] blob = new byte[TILE_WIDTH * Hash.LENGTH];
                            for (int k = 0; k < TILE_WIDTH; k++) {
                                System.arraycopy(tile.get(k).bytes(), 0, blob, k * Hash.LENGTH, Hash.LENGTH);
                            }
                            insert.setInt(1, node.level() / TILE_HEIGHT);
                            insert.setLong(2, node.index() >>> TILE_HEIGHT);
                            insert.setBytes(3, blob);
                            insert.addBatch();
                            tile.clear();
                            if (++pending == 10_000) {
                                insert.executeBatch();
                                pending = 0;
                            }
                        }
                    }
                    if ((i + 1) % 1_000_000 == 0) {
                        System.err.printf("tree of %,d of %,d leaves (%.0f s)%n", i + 1, leaves, (System.nanoTime() - start) / 1e9);
                    }
                }
                insert.executeBatch();
            }
            try (PreparedStatement head = c.prepareStatement("UPDATE head SET seq = ? WHERE id = 1")) {
                head.setLong(1, leaves - 1);
                if (head.executeUpdate() != 1) {
                    throw new IllegalStateException("no head to move");
                }
            }
            c.commit();
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build the proof tree: " + e.getMessage(), e);
        }
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.err.printf("proof tree of %,d leaves built in %.0f s: %s%n", leaves, (System.nanoTime() - start) / 1e9, file);
    }

    /** Builds the tree file ahead of a run: {@code ProofTree <leaves>}. */
    public static void main(String[] args) {
        System.out.println(file(Long.parseLong(args[0])));
    }
}
