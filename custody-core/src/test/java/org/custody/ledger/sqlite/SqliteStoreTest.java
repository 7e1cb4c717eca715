package org.custody.ledger.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteSigner;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.LedgerStoreException;
import org.custody.merkle.MemoryTree;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.TreeHasher;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.record.Entry;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.custody.store.EntryRef;
import org.custody.store.LedgerStore;
import org.custody.store.StoredKey;
import org.custody.testing.Cast;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link LedgerStore} contract, on the SQLite store, driven directly (no gate): what a transaction writes is seen
 * only after its commit, a transaction closed without one leaves nothing (and the next one still builds a right tree),
 * the head moves only by compare-and-swap, and the indexes read back what was put.
 */
class SqliteStoreTest {
    private static final BagId A = BagId.of("K01.01.S1.ENG.A");
    private static final BagId B = BagId.of("K01.02.S1.ENG.A");

    @TempDir
    Path dir;

    private final Cast cast = new Cast(Suite.ED25519_SHA256, 11);
    private final List<Entry> written = new ArrayList<>();
    private Path file;
    private SqliteStore store;

    @BeforeEach
    void setUp() {
        file = dir.resolve("store.db");
        store = SqliteStore.create(file, Cast.LEDGER, Suite.ED25519_SHA256, (created, tx) -> add(tx, cast.genesis(), Map.of()));
    }

    /** Adds {@code record} as the next entry after {@link #written}, and moves the head to it. */
    private Entry add(LedgerStore.Transaction tx, SignedRecord record, Map<BagId, Long> links) {
        long seq = written.size();
        Hash prev = seq == 0 ? Hash.ZERO : hash(written.get(written.size() - 1));
        Entry entry = Entry.create(seq, prev, record);
        tx.add(seq, hash(entry), entry, links);
        tx.advance(seq == 0 ? Optional.empty() : Optional.of(new EntryRef(seq - 1, prev)), new EntryRef(seq, hash(entry)));
        written.add(entry);
        return entry;
    }

    private static Hash hash(Entry entry) {
        return entry.hash(Suite.ED25519_SHA256.hash());
    }

    private SignedRecord registration(String id, BagId... bags) {
        List<Bag> registered = java.util.Arrays.stream(bags).map(b -> Bag.papers(b, BagKind.QUESTION_PAPER, "HN-ZSB-2021",
                "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)).toList();
        return cast.sign(new Registration(RecordId.of(id), Cast.LEDGER, Cast.T0.plusSeconds(60 + written.size()), registered,
                List.of(PersonId.of("P001"))));
    }

    @Test
    void create_storesTheFirstTransaction_andOpenReadsTheIdentityBack() {
        assertEquals(Optional.of(new EntryRef(0, hash(written.get(0)))), store.last());
        assertArrayEquals(written.get(0).canonicalBytes(), store.entry(0).orElseThrow().canonicalBytes());
        store.close();
        try (SqliteStore reopened = SqliteStore.open(file)) {
            assertEquals(Cast.LEDGER, reopened.ledger());
            assertEquals(Suite.ED25519_SHA256, reopened.suite());
            assertEquals(Optional.of(new EntryRef(0, hash(written.get(0)))), reopened.last());
        }
    }

    @Test
    void create_leavesNoFile_whenTheFirstTransactionFails() {
        Path other = dir.resolve("other.db");
        assertThrows(IllegalStateException.class, () -> SqliteStore.create(other, Cast.LEDGER, Suite.ED25519_SHA256,
                (created, tx) -> {
                    throw new IllegalStateException("refused");
                }));
        assertFalse(Files.exists(other));
        assertFalse(Files.exists(Path.of(other + "-wal")));
    }

    @Test
    void commit_makesTheEntryAndItsIndexesVisible() {
        Entry reg;
        try (LedgerStore.Transaction tx = store.begin()) {
            reg = add(tx, registration("reg-1", A, B), links(A, null, B, null));
            tx.putBagHeads(Map.of(A, new EntryRef(1, hash(reg)), B, new EntryRef(1, hash(reg))));
            tx.flush();
            assertEquals(Optional.of(new EntryRef(1, hash(reg))), tx.bagHead(A), "a flushed row is read in the transaction");
            tx.commit();
        }
        assertEquals(Optional.of(new EntryRef(1, hash(reg))), store.last());
        assertEquals(Optional.of(new EntryRef(1, hash(reg))), store.bagHead(A));
        assertEquals(1, store.history(B).size());
        assertArrayEquals(reg.canonicalBytes(), store.history(B).get(0).canonicalBytes());
        List<Long> registrations = new ArrayList<>();
        store.entries(0, Set.of("register"), (seq, h, e) -> registrations.add(seq));
        assertEquals(List.of(1L), registrations);
        try (LedgerStore.Transaction tx = store.begin()) {
            Map<String, LedgerStore.StoredEntry> found = tx.byRecordId(List.of("reg-1", "no-such-record"));
            assertEquals(Set.of("reg-1"), found.keySet());
            assertEquals(1, found.get("reg-1").seq());
            assertArrayEquals(reg.signed().canonicalRecord(), found.get("reg-1").canonicalRecord());
        }
    }

    @Test
    void close_withoutCommit_leavesNothing_andTheTreeStaysRight() {
        try (LedgerStore.Transaction tx = store.begin()) {
            add(tx, registration("reg-lost", A), links(A, null));
            tx.flush();
        }
        written.remove(written.size() - 1);
        assertEquals(Optional.of(new EntryRef(0, hash(written.get(0)))), store.last());
        assertTrue(store.entry(1).isEmpty());
        assertTrue(store.bagHead(A).isEmpty());
        for (int i = 0; i < 40; i++) {
            try (LedgerStore.Transaction tx = store.begin()) {
                add(tx, registration("reg-" + i, BagId.of("K01." + (10 + i) + ".S1.ENG.A")), Map.of());
                tx.commit();
            }
        }
        MemoryTree expected = MemoryTree.create(Suite.ED25519_SHA256.hash());
        TreeHasher hasher = TreeHasher.of(Suite.ED25519_SHA256.hash());
        written.forEach(e -> expected.append(hasher.leafHash(e.canonicalBytes())));
        assertEquals(expected.root(), ProofBuilder.of(Suite.ED25519_SHA256.hash(), store.tree(written.size())).root(written.size()));
    }

    @Test
    void advance_refusesAHeadThatMoved_andStoresNothing() {
        Entry genesis = written.get(0);
        try (LedgerStore.Transaction tx = store.begin()) {
            Entry entry = Entry.create(1, hash(genesis), registration("reg-1", A));
            tx.add(1, hash(entry), entry, Map.of());
            LedgerStoreException e = assertThrows(LedgerStoreException.class, () -> tx.advance(
                    Optional.of(new EntryRef(0, Hash.of(new byte[32]))), new EntryRef(1, hash(entry))));
            assertTrue(e.getMessage().contains("head moved"), e.getMessage());
            assertThrows(LedgerStoreException.class, () -> tx.advance(Optional.empty(), new EntryRef(1, hash(entry))));
        }
        assertEquals(Optional.of(new EntryRef(0, hash(genesis))), store.last());
        assertTrue(store.entry(1).isEmpty());
    }

    @Test
    void begin_whileATransactionIsOpen_isABug() {
        LedgerStore.Transaction tx = store.begin();
        assertThrows(IllegalStateException.class, store::begin);
        tx.close();
        store.begin().close();
    }

    @Test
    void keysAndCheckpoints_readBackWhatWasPut() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        Instant revoked = Cast.T0.plusSeconds(3600);
        StoredKey stored = new StoredKey(key.id(), PersonId.of("P001"), SignatureAlgorithm.ED25519, key.publicKey().encoded(),
                0, revoked, 5);
        String origin = CheckpointStore.origin(Cast.LEDGER);
        SignedNote note = NoteSigner.of(origin, key).sign(Checkpoint.of(origin, 1, hash(written.get(0))).text());
        try (LedgerStore.Transaction tx = store.begin()) {
            assertTrue(tx.key(key.id()).isEmpty());
            tx.putKey(stored);
            tx.addCheckpoint(1, hash(written.get(0)), note, Instant.now());
            tx.commit();
        }
        try (LedgerStore.Transaction tx = store.begin()) {
            StoredKey read = tx.key(key.id()).orElseThrow();
            assertEquals(List.of(stored.id(), stored.person(), stored.algorithm(), stored.enrolledSeq(), stored.revokedFrom(),
                    stored.revokedSeq()), List.of(read.id(), read.person(), read.algorithm(), read.enrolledSeq(),
                    read.revokedFrom(), read.revokedSeq()));
            assertArrayEquals(stored.encoded(), read.encoded());
            assertEquals(note.text(), tx.checkpoint(1).orElseThrow().text());
            assertEquals(note.text(), store.checkpoint(-1).orElseThrow().text(), "the largest checkpoint");
            assertThrows(LedgerStoreException.class, () -> tx.replaceCheckpoint(2, note));
        }
    }

    private static Map<BagId, Long> links(Object... bagThenPrev) {
        Map<BagId, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < bagThenPrev.length; i += 2) {
            out.put((BagId) bagThenPrev[i], (Long) bagThenPrev[i + 1]);
        }
        return out;
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        store.close();
    }
}
