package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.sqlite.Schema;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.ledger.sqlite.TreeStore;
import org.custody.ledger.sqlite.TreeStorePropertiesTest;
import org.custody.merkle.InclusionProof;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.ProofVerifier;
import org.custody.merkle.TreeHasher;
import org.custody.record.Entry;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ledger keeps its Merkle tree as it appends, on real SQLite files: roots and proofs match the reference. */
public class LedgerTreeTest {

    @Provide
    Arbitrary<Chains.Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 40);
    }

    @Property(tries = 15)
    void rootsAndProofs_matchTheReference_afterAppendsInBatches(@ForAll("chains") Chains.Chain chain) {
        try (Scratch scratch = new Scratch(); Ledger ledger = Ledger.create(scratch.file("l.db"), chain.records().get(0), Chains.CLOCK)) {
            List<SignedRecord> rest = chain.afterGenesis();
            for (int i = 0; i < rest.size(); ) {
                int n = Math.min(rest.size() - i, 1 + i % 7);
                ledger.appendAll(rest.subList(i, i + n));
                i += n;
            }
            checkAgainstReference(ledger, chain.entries());
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void tree_usesTheSuiteHash_andSurvivesReopening(Suite suite) {
        Chains.Chain chain = Chains.build(suite, ops(20));
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                ledger.appendAll(chain.afterGenesis().subList(0, 10));
            }
            try (Ledger ledger = Ledger.open(file, Chains.CLOCK)) {
                ledger.appendAll(chain.afterGenesis().subList(10, chain.afterGenesis().size()));
                checkAgainstReference(ledger, chain.entries());
            }
        }
    }

    @Test
    void twoWriters_onOneFile_keepOneTree() {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, ops(40));
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            try (Ledger a = Ledger.create(file, chain.records().get(0), Chains.CLOCK); Ledger b = Ledger.open(file, Chains.CLOCK)) {
                List<SignedRecord> rest = chain.afterGenesis();
                for (int i = 0; i < rest.size(); i++) {
                    (i % 3 == 0 ? b : a).append(rest.get(i));
                }
                checkAgainstReference(a, chain.entries());
                checkAgainstReference(b, chain.entries());
            }
        }
    }

    @Test
    void refusedBatch_leavesTheTreeAsItWas() {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, ops(30));
        try (Scratch scratch = new Scratch(); Ledger ledger = Ledger.create(scratch.file("l.db"), chain.records().get(0), Chains.CLOCK)) {
            List<SignedRecord> rest = chain.afterGenesis();
            ledger.appendAll(rest.subList(0, 5));
            List<SignedRecord> bad = new ArrayList<>(rest.subList(5, 25));
            bad.add(Chains.build(Suite.SM2_SM3, ops(3)).afterGenesis().get(2)); // keys this ledger never enrolled
            assertThrows(AppendRefusedException.class, () -> ledger.appendAll(bad));
            assertEquals(6, ledger.head().size());
            ledger.appendAll(rest.subList(5, rest.size()));
            checkAgainstReference(ledger, chain.entries());
        }
    }

    @Test
    void sizesOutsideTheLedger_areRefused() {
        Chains.Chain chain = Chains.build(Suite.ED25519_SHA256, ops(3));
        try (Scratch scratch = new Scratch(); Ledger ledger = Ledger.create(scratch.file("l.db"), chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
            long n = ledger.head().size();
            assertEquals(TreeHasher.of(HashAlgorithm.SHA_256).emptyRoot(), ledger.root(0));
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> ledger.root(n + 1));
            assertTrue(e.getMessage().contains("tree size " + (n + 1) + " is not in 0.." + n), e.getMessage());
            assertThrows(MalformedInputException.class, () -> ledger.inclusionProof(n, n));
            assertThrows(MalformedInputException.class, () -> ledger.inclusionProof(-1, n));
            assertThrows(MalformedInputException.class, () -> ledger.consistencyProof(0, n));
            assertThrows(MalformedInputException.class, () -> ledger.consistencyProof(2, 1));
        }
    }

    /** Several tile levels: 70,000 leaves written straight into a real file's entries and tree. */
    @Test
    void manyLeaves_acrossThreeTileLevels_matchTheMemoryTree() throws Exception {
        HashAlgorithm algorithm = HashAlgorithm.SHA_256;
        int n = 70_000;
        try (Scratch scratch = new Scratch(); Connection c = Sqlite.writer(scratch.file("t.db"))) {
            Schema.create(c);
            TreeStore store = new TreeStore(algorithm);
            MemoryTree memory = MemoryTree.create(algorithm);
            TreeHasher hasher = TreeHasher.of(algorithm);
            Sqlite.begin(c);
            for (int i = 0; i < n; i++) {
                byte[] body = ("leaf " + i).getBytes(StandardCharsets.UTF_8);
                TreeStorePropertiesTest.insertEntry(c, i, body);
                store.add(c, i, body);
                memory.append(hasher.leafHash(body));
            }
            Sqlite.commit(c);
            ProofBuilder stored = ProofBuilder.of(algorithm, new TreeStore(algorithm).source(c, n));
            ProofBuilder reference = ProofBuilder.of(algorithm, memory);
            ProofVerifier verifier = ProofVerifier.of(algorithm);
            for (long size : new long[] {1, 16, 17, 255, 256, 4095, 4096, 4097, 65_535, 65_536, 65_537, 69_999, n}) {
                assertEquals(reference.root(size), stored.root(size), "root " + size);
                for (long m : new long[] {0, size / 3, size - 1}) {
                    InclusionProof p = stored.inclusion(m, size);
                    assertEquals(reference.inclusion(m, size), p);
                    verifier.verifyInclusion(p, memory.hash(0, m), stored.root(size));
                }
                for (long s2 : new long[] {size, Math.min(n, size + 1), Math.min(n, size * 2 + 3), n}) {
                    assertEquals(reference.consistency(size, s2), stored.consistency(size, s2));
                }
            }
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT max(level) FROM tree_tiles")) {
                rs.next();
                assertEquals(3, rs.getInt(1), "tiles at levels 0, 4, 8 and 12");
            }
        }
    }

    public static void checkAgainstReference(Ledger ledger, List<Entry> entries) {
        HashAlgorithm algorithm = ledger.suite().hash();
        TreeHasher hasher = TreeHasher.of(algorithm);
        ProofVerifier verifier = ProofVerifier.of(algorithm);
        List<byte[]> leaves = entries.stream().map(Entry::canonicalBytes).toList();
        int n = leaves.size();
        assertEquals(n, ledger.head().size());
        for (int size = 0; size <= n; size++) {
            Hash root = Naive.mth(algorithm, leaves.subList(0, size));
            assertEquals(root, ledger.root(size), "root of " + size);
            for (int m = 0; m < size; m++) {
                InclusionProof p = ledger.inclusionProof(m, size);
                assertEquals(Naive.path(algorithm, m, leaves.subList(0, size)), p.hashes());
                verifier.verifyInclusion(p, hasher.leafHash(leaves.get(m)), root);
            }
            if (size > 0) {
                for (int s2 = size; s2 <= n; s2 += 3) {
                    var p = ledger.consistencyProof(size, s2);
                    assertEquals(Naive.proof(algorithm, size, leaves.subList(0, s2)), p.hashes());
                    verifier.verifyConsistency(p, root, Naive.mth(algorithm, leaves.subList(0, s2)));
                }
            }
        }
    }

    public static List<Chains.Op> ops(int n) {
        List<Chains.Op> ops = new ArrayList<>();
        Chains.Kind[] kinds = {Chains.Kind.REGISTER, Chains.Kind.HANDOFF, Chains.Kind.HANDOFF, Chains.Kind.INCIDENT};
        for (int i = 0; i < n; i++) {
            ops.add(new Chains.Op(kinds[i % kinds.length], i * 7919L));
        }
        return ops;
    }
}
