package org.custody.ledger.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.ledger.Naive;
import org.custody.merkle.HashSource;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.ProofVerifier;
import org.custody.merkle.TreeHasher;

/**
 * The tiled tree kept in a real SQLite file matches the naive recursive RFC 6962 tree (MTH, PATH, PROOF) and the
 * in-memory tree, at every size, whatever the transactions' sizes, rollbacks and reloads of the right edge.
 */
public class TreeStorePropertiesTest {

    /** A batch of appends in one transaction; rolled back instead of committed when {@code rollback}. */
    record Batch(int size, boolean rollback, boolean reload) {}

    @Provide
    Arbitrary<List<Batch>> batches() {
        Arbitrary<Integer> sizes = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(1, 20)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(20, 300))).flatMap(a -> a);
        return net.jqwik.api.Combinators.combine(sizes, Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 4))
                .as((n, r, l) -> new Batch(n, r == 0, l == 0)).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 40)
    void storedTree_matchesReference_atEverySize(@ForAll("batches") List<Batch> batches,
                                                 @ForAll boolean sm3) throws Exception {
        HashAlgorithm algorithm = sm3 ? HashAlgorithm.SM3 : HashAlgorithm.SHA_256;
        Path dir = Files.createTempDirectory("tree");
        try (Connection c = Sqlite.writer(dir.resolve("tree.db"))) {
            Schema.create(c);
            TreeStore store = new TreeStore(algorithm);
            List<byte[]> leaves = new ArrayList<>();
            MemoryTree memory = MemoryTree.create(algorithm);
            TreeHasher hasher = TreeHasher.of(algorithm);
            for (Batch batch : batches) {
                if (batch.reload()) {
                    store = new TreeStore(algorithm);
                }
                Sqlite.begin(c);
                int base = leaves.size();
                for (int i = 0; i < batch.size(); i++) {
                    byte[] body = ("entry " + (base + i) + (batch.rollback() ? " rolled back" : "")).getBytes(StandardCharsets.UTF_8);
                    insertEntry(c, base + i, body);
                    store.add(c, base + i, body);
                }
                if (batch.rollback()) {
                    Sqlite.rollback(c);
                    store.discard();
                } else {
                    Sqlite.commit(c);
                    for (int i = 0; i < batch.size(); i++) {
                        byte[] body = ("entry " + (base + i)).getBytes(StandardCharsets.UTF_8);
                        leaves.add(body);
                        memory.append(hasher.leafHash(body));
                    }
                }
            }
            int n = leaves.size();
            for (int size = 0; size <= n; size++) {
                HashSource source = store.source(c, size);
                assertEquals(Naive.mth(algorithm, leaves.subList(0, size)), ProofBuilder.of(algorithm, source).root(size),
                        "root of size " + size);
            }
            checkProofs(algorithm, store, c, memory, leaves);
        } finally {
            deleteTree(dir);
        }
    }

    private static void checkProofs(HashAlgorithm algorithm, TreeStore store, Connection c, MemoryTree memory,
                                    List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 0) {
            return;
        }
        ProofVerifier verifier = ProofVerifier.of(algorithm);
        ProofBuilder stored = ProofBuilder.of(algorithm, store.source(c, n));
        ProofBuilder inMemory = ProofBuilder.of(algorithm, memory);
        TreeHasher hasher = TreeHasher.of(algorithm);
        int step = Math.max(1, n / 40);
        for (int size = 1; size <= n; size += step) {
            Hash root = Naive.mth(algorithm, leaves.subList(0, size));
            for (int m = 0; m < size; m += Math.max(1, size / 7)) {
                var proof = stored.inclusion(m, size);
                assertEquals(Naive.path(algorithm, m, leaves.subList(0, size)), proof.hashes(), "PATH(" + m + ", " + size + ")");
                assertEquals(inMemory.inclusion(m, size), proof);
                verifier.verifyInclusion(proof, hasher.leafHash(leaves.get(m)), root);
            }
            for (int size2 = size; size2 <= n; size2 += Math.max(1, (n - size) / 5 + 1)) {
                var proof = stored.consistency(size, size2);
                assertEquals(Naive.proof(algorithm, size, leaves.subList(0, size2)), proof.hashes(),
                        "PROOF(" + size + ", " + size2 + ")");
                verifier.verifyConsistency(proof, root, Naive.mth(algorithm, leaves.subList(0, size2)));
            }
        }
    }

    @Property(tries = 8)
    void reloadedStore_continuesTheSameTree(@ForAll @IntRange(min = 0, max = 600) int before,
                                            @ForAll @IntRange(min = 1, max = 300) int after) throws Exception {
        HashAlgorithm algorithm = HashAlgorithm.SHA_256;
        Path dir = Files.createTempDirectory("tree");
        try (Connection c = Sqlite.writer(dir.resolve("tree.db"))) {
            Schema.create(c);
            List<byte[]> leaves = new ArrayList<>();
            TreeStore first = new TreeStore(algorithm);
            Sqlite.begin(c);
            for (int i = 0; i < before; i++) {
                byte[] body = new byte[] {(byte) i, (byte) (i >> 8)};
                insertEntry(c, i, body);
                first.add(c, i, body);
                leaves.add(body);
            }
            Sqlite.commit(c);
            TreeStore second = new TreeStore(algorithm);
            Sqlite.begin(c);
            for (int i = before; i < before + after; i++) {
                byte[] body = new byte[] {(byte) i, (byte) (i >> 8), 7};
                insertEntry(c, i, body);
                second.add(c, i, body);
                leaves.add(body);
            }
            Sqlite.commit(c);
            int n = leaves.size();
            assertEquals(Naive.mth(algorithm, leaves), ProofBuilder.of(algorithm, second.source(c, n)).root(n));
            assertEquals(n / TreeStore.TILE_WIDTH + n / (TreeStore.TILE_WIDTH * TreeStore.TILE_WIDTH)
                    + n / (TreeStore.TILE_WIDTH * TreeStore.TILE_WIDTH * TreeStore.TILE_WIDTH), count(c),
                    "only complete tiles are stored");
        } finally {
            deleteTree(dir);
        }
    }

    static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM tree_tiles")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void insertEntry(Connection c, long seq, byte[] body) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO entries (seq, hash, record_id, type, at, body) VALUES (?, ?, ?, 'test', '2021-06-01T00:00:00Z', ?)")) {
            s.setLong(1, seq);
            s.setBytes(2, new byte[32]);
            s.setString(3, "r" + seq);
            s.setBytes(4, body);
            s.executeUpdate();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
