package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.custody.audit.AuditReport;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.bundle.Bundle;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.store.EntryRef;
import org.custody.store.LedgerStore;
import org.custody.testing.Cast;
import org.custody.testing.Chains;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One suite for every {@link LedgerStore}: each subclass says where a fresh ledger is kept (a SQLite file, a schema of
 * the test PostgreSQL database), and every test runs the same ledger through the facade and, where the contract is the
 * store's own, through the store. Answers are compared with a reference ledger in a SQLite file built from the same
 * records, so a PostgreSQL ledger must answer exactly as a SQLite one does, down to its exported bundle's bytes.
 */
abstract class StoreConformanceTest {
    static final Suite SUITE = Suite.ED25519_SHA256;
    private final Scratch scratch = new Scratch();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Where a new, empty ledger is to be kept; the subclass removes it after the test. */
    abstract LedgerLocation fresh();

    /** Runs {@code sql} on the store at {@code location}, outside the ledger (to damage a stored row). */
    abstract void execute(LedgerLocation location, String sql) throws Exception;

    /** The store at {@code location}, opened directly (not through the facade). */
    abstract LedgerStore openStore(LedgerLocation location);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        scratch.close();
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(0, closeable);
        return closeable;
    }

    /** A chain of registrations, handoffs, incidents, enrolments and revocations. */
    static Chains.Chain chain(int n) {
        return chain(n, Chains.Kind.REVOKE);
    }

    /**
     * A chain of registrations, handoffs, incidents, enrolments and {@code last}: a chain to which the cast appends more
     * has no revocation (which may revoke the key of the cast's signer).
     */
    static Chains.Chain chain(int n, Chains.Kind last) {
        List<Chains.Op> ops = new ArrayList<>();
        Chains.Kind[] kinds = {Chains.Kind.REGISTER, Chains.Kind.HANDOFF, Chains.Kind.ENROL, Chains.Kind.HANDOFF,
            Chains.Kind.INCIDENT, last};
        for (int i = 0; i < n; i++) {
            ops.add(new Chains.Op(kinds[i % kinds.length], i * 7919L));
        }
        return Chains.build(SUITE, ops);
    }

    private Ledger build(LedgerLocation location, Chains.Chain chain) {
        Ledger ledger = keep(Ledger.create(location, chain.records().get(0), Chains.CLOCK));
        ledger.appendAll(chain.afterGenesis());
        return ledger;
    }

    private Ledger reference(Chains.Chain chain) {
        return build(LedgerLocation.of(scratch.file("reference-" + open.size() + ".db")), chain);
    }

    static byte[] export(LedgerLocation location) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (location instanceof LedgerLocation.Database d) {
            Bundle.export(d.url(), out);
        } else {
            Bundle.export(((LedgerLocation.File) location).path(), out);
        }
        return out.toByteArray();
    }

    @Test
    void appendAndRead_answerAsTheReferenceDoes_entriesHistoryHeadsKeysTreeFindingsAndQuestions() {
        Chains.Chain chain = chain(48);
        Ledger ledger = build(fresh(), chain);
        Ledger reference = reference(chain);

        assertEquals(reference.head(), ledger.head());
        assertEquals(chain.size(), ledger.head().size());
        for (long seq = 0; seq < chain.size(); seq++) {
            assertArrayEquals(chain.entries().get((int) seq).canonicalBytes(), ledger.entry(seq).orElseThrow().canonicalBytes());
        }
        assertTrue(ledger.entry(chain.size()).isEmpty());
        assertFalse(chain.bagEntries().isEmpty());
        for (Map.Entry<BagId, List<Long>> bag : chain.bagEntries().entrySet()) {
            List<Long> seqs = ledger.history(bag.getKey()).stream().map(Entry::seq).toList();
            assertEquals(bag.getValue(), seqs, bag.getKey().value());
            assertEquals(reference.bagHead(bag.getKey()), ledger.bagHead(bag.getKey()));
            assertEquals(reference.findings(bag.getKey()).map(List::toString), ledger.findings(bag.getKey()).map(List::toString));
        }
        assertEquals(reference.bags(), ledger.bags());
        assertEquals(reference.keys(), ledger.keys());
        assertEquals(reference.positions(), ledger.positions());
        // every question over many bags and entries (formats.md §7.3), against a pass over the ledger
        LedgerQueriesTest.assertAnswersArePasses(ledger);
        for (long size : new long[] {1, 2, 17, chain.size()}) {
            assertEquals(reference.root(size), ledger.root(size), "root of " + size);
            assertEquals(reference.inclusionProof(size - 1, size), ledger.inclusionProof(size - 1, size));
            assertEquals(reference.consistencyProof(1, size), ledger.consistencyProof(1, size));
        }
    }

    @Test
    void export_isByteIdenticalToTheReferences_andBothVerifyClean() {
        Chains.Chain chain = chain(30, Chains.Kind.HANDOFF);
        SigningKey logKey = SigningKey.generate(SUITE.signature(), Cast.seeded(5));
        LedgerLocation location = fresh();
        Ledger ledger = build(location, chain);
        Ledger reference = reference(chain);
        for (Ledger l : List.of(ledger, reference)) {
            l.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
            l.signCheckpoint(logKey);
        }
        assertArrayEquals(export(reference.location()), export(location));

        AuditReport report = ledger.verify();
        assertEquals(List.of(), Integrity.findings(report), report.summary());
        assertEquals(chain.size() + 1, report.entries());
        assertEquals(reference.verify().head(), report.head());
    }

    @Test
    void checkpoints_andRuleState_surviveAReopen_andTheReopenedLedgerAppendsOn() {
        Chains.Chain chain = chain(36, Chains.Kind.HANDOFF);
        SigningKey logKey = SigningKey.generate(SUITE.signature(), Cast.seeded(6));
        LedgerLocation location = fresh();
        SignedNote note;
        Head head;
        Map<BagId, org.custody.rules.BagPosition> positions;
        try (Ledger ledger = Ledger.create(location, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis().subList(0, 20));
            ledger.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
            note = ledger.signCheckpoint(logKey);
            head = ledger.head();
            positions = ledger.positions();
            assertEquals(1, ledger.checkpointKeys(head.size()).size());
        }
        try (Ledger reopened = Ledger.open(location, Chains.CLOCK)) {
            assertEquals(head, reopened.head());
            assertEquals(Optional.of(note), reopened.latestCheckpoint());
            assertEquals(Optional.of(note), reopened.checkpoint(head.size()));
            assertEquals(positions, reopened.positions());
            assertEquals(1, reopened.checkpointKeys(head.size()).size());
            // the rest of the chain, registered after the checkpoint key's enrolment, appends on the reopened ledger
            reopened.appendAll(LedgerCheckpointTest.registrations(SUITE, "K09.01.S1.ENG", 3));
            assertEquals(head.size() + 3, reopened.head().size());
            assertEquals(List.of(), Integrity.findings(reopened.verify()));
        }
    }

    @Test
    void aVersion6Store_isMigratedTo7WhenOpened_andKeepsTheTimestampOfACheckpoint() throws Exception {
        Chains.Chain chain = chain(10);
        SigningKey logKey = SigningKey.generate(SUITE.signature(), Cast.seeded(6));
        LedgerLocation location = fresh();
        long size;
        try (Ledger ledger = Ledger.create(location, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
            ledger.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
            size = Checkpoint.parse(ledger.signCheckpoint(logKey).text()).size();
        }
        execute(location, "DROP TABLE checkpoint_timestamps");
        execute(location, "UPDATE custody_meta SET value = '6' WHERE name = 'schema_version'");
        org.custody.timestamp.TestPki pki = org.custody.timestamp.TestPki.generate("Conformance");
        try (org.custody.timestamp.LocalTsa tsa = org.custody.timestamp.LocalTsa.start(pki.tsa(), Chains.CLOCK);
             Ledger reopened = Ledger.open(location, Chains.CLOCK)) {
            var token = reopened.timestampCheckpoint(size, org.custody.timestamp.TsaClient.of(tsa.url()));
            assertEquals(Optional.of(token), reopened.timestamp(size));
        }
        try (Ledger again = Ledger.open(location, Chains.CLOCK)) {
            assertTrue(again.timestamp(size).isPresent());
            AuditReport report = Ledger.verify(location, org.custody.ledger.verify.LedgerVerifier.Options.defaults()
                    .withTsa(org.custody.timestamp.TimestampVerifier.of(List.of(pki.root()))), null);
            assertEquals(List.of(), Integrity.findings(report), report.summary());
        }
    }

    @Test
    void create_whereALedgerIsAlready_isRefused_andLeavesItAsItWas() {
        Chains.Chain chain = chain(4);
        LedgerLocation location = fresh();
        Head head = build(location, chain).head();
        LedgerStoreException e = assertThrows(LedgerStoreException.class,
                () -> Ledger.create(location, chain.records().get(0), Chains.CLOCK));
        assertTrue(e.getMessage().contains("already"), e.getMessage());
        try (Ledger reopened = Ledger.open(location, Chains.CLOCK)) {
            assertEquals(head, reopened.head());
        }
    }

    @Test
    void twoWritersRace_exactlyOneHandoffOfABagWins_andTheOtherIsToldWhichEntryRecordedItMeanwhile() throws Exception {
        Cast cast = new Cast(SUITE, 11);
        LedgerLocation location = fresh();
        BagId bag = ConcurrentAppendTest.bag("SHARED");
        Ledger first = keep(Ledger.create(location, cast.genesis()));
        Ledger second = keep(Ledger.open(location, java.time.Clock.systemUTC()));
        Hash registered = first.append(cast.sign(ConcurrentAppendTest.registration("reg-1", List.of(bag)))).hash();
        int writers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Object>> results = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Ledger ledger = w % 2 == 0 ? first : second;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return ledger.append(cast.sign(ConcurrentAppendTest.handoff("h-" + writer, bag, registered, writer)));
                    } catch (AppendRefusedException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            List<Appended> won = new ArrayList<>();
            List<AppendRefusedException> lost = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.get(60, TimeUnit.SECONDS);
                if (r instanceof Appended a) {
                    won.add(a);
                } else {
                    lost.add((AppendRefusedException) r);
                }
            }
            assertEquals(1, won.size(), "one winner");
            assertEquals(writers - 1, lost.size());
            for (AppendRefusedException e : lost) {
                assertEquals(FindingCode.I07, e.finding().code(), e.getMessage());
                assertTrue(e.getMessage().contains("does not link to its last entry (" + won.get(0).seq() + ")"), e.getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, first.head().size());
        assertEquals(first.head(), second.head());
        assertEquals(2, first.history(bag).size());
        assertEquals(List.of(), Integrity.findings(first.verify()));
    }

    @Test
    void aTransactionClosedWithoutCommit_leavesNothing_andTheHeadMovesOnlyByCompareAndSwap() {
        Chains.Chain chain = chain(8);
        LedgerLocation location = fresh();
        Ledger ledger = build(location, chain);
        Head head = ledger.head();
        Entry next = Entry.create(head.size(), head.hash(), LedgerCheckpointTest.registrations(SUITE, "K08.01.S1.ENG", 1).get(0));
        Hash nextHash = next.hash(SUITE.hash());
        try (LedgerStore store = openStore(location)) {
            EntryRef last = store.last().orElseThrow();
            try (LedgerStore.Transaction tx = store.begin()) {
                tx.add(head.size(), nextHash, next, Map.of());
                tx.advance(Optional.of(last), new EntryRef(head.size(), nextHash));
                tx.flush();
                assertEquals(head.size(), tx.last().orElseThrow().seq(), "the transaction sees its own head");
            }
            assertEquals(Optional.of(last), store.last());
            assertTrue(store.entry(head.size()).isEmpty());
            try (LedgerStore.Transaction tx = store.begin()) {
                EntryRef stale = new EntryRef(last.seq() - 1, chain.hashes().get((int) last.seq() - 1));
                LedgerStoreException e = assertThrows(LedgerStoreException.class,
                        () -> tx.advance(Optional.of(stale), new EntryRef(head.size(), nextHash)));
                assertTrue(e.getMessage().contains("head moved"), e.getMessage());
            }
            assertEquals(Optional.of(last), store.last());
        }
        assertEquals(head, ledger.head());
        assertEquals(List.of(), Integrity.findings(ledger.verify()));
    }

    @Test
    void verify_comparesTheStoredIndexes_aBagHeadAlteredBehindTheLedgersBack_isI11() throws Exception {
        Chains.Chain chain = chain(12);
        LedgerLocation location = fresh();
        Ledger ledger = build(location, chain);
        BagId bag = chain.bagEntries().keySet().iterator().next();
        execute(location, "UPDATE bag_heads SET seq = seq + 1000 WHERE bag = '" + bag.value() + "'");
        AuditReport report = ledger.verify();
        assertEquals(1, Integrity.counts(report).getOrDefault(FindingCode.I11, 0L), report.summary());
        assertTrue(report.findings(FindingCode.I11).get(0).message().contains(bag.value()), report.summary());
    }

    @Test
    void drafts_sharedByTwoLedgersOnOneStore_oneDraftPerRecordId_firstSignatureKept_andFinishedOnce() {
        Cast cast = new Cast(SUITE, 11);
        LedgerLocation location = fresh();
        Ledger one = keep(Ledger.create(location, cast.genesis()));
        Ledger two = keep(Ledger.open(location, java.time.Clock.systemUTC()));
        java.time.Instant t = java.time.Instant.parse("2026-06-07T08:00:00Z");
        byte[] record = cast.genesis().canonicalRecord();
        org.custody.store.KeptDraft draft = new org.custody.store.KeptDraft("d-1", "r-1", "officer", Hash.ZERO, record,
                java.util.Set.of("K01"), t, t.plusSeconds(900), org.custody.store.KeptDraft.OPEN, null, null, List.of());
        assertTrue(one.drafts().open(draft));
        assertFalse(two.drafts().open(new org.custody.store.KeptDraft("d-2", "r-1", "officer", Hash.ZERO, record,
                java.util.Set.of("K01"), t, t.plusSeconds(900), org.custody.store.KeptDraft.OPEN, null, null, List.of())),
                "one draft per record id, across the processes on a store");
        assertEquals("d-1", two.drafts().ofRecord("r-1").orElseThrow().id());
        SigningKey a = SigningKey.generate(SUITE.signature());
        SigningKey b = SigningKey.generate(SUITE.signature());
        org.custody.model.PersonId p = org.custody.model.PersonId.of("P010");
        two.drafts().sign("d-1", p, a.sign(record), t.plusSeconds(1));
        one.drafts().sign("d-1", p, b.sign(record), t.plusSeconds(2));
        org.custody.store.KeptDraft read = one.drafts().get("d-1").orElseThrow();
        assertEquals(List.of(a.id()), read.signatures().stream().map(s -> s.signature().key()).toList(), "the first signature is kept");
        assertArrayEquals(record, read.record());
        assertEquals(java.util.Set.of("K01"), read.sites());
        assertEquals(t, read.opened());
        assertEquals(1, one.drafts().openCount());
        assertTrue(two.drafts().finish("d-1", "cancelled", t.plusSeconds(3), null));
        assertFalse(one.drafts().finish("d-1", "expired", t.plusSeconds(4), null), "a draft leaves open once");
        org.custody.store.KeptDraft.Outcome outcome = new org.custody.store.KeptDraft.Outcome(7, Hash.ZERO, false,
                List.of("{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(one.drafts().finish("d-1", "committed", t.plusSeconds(5), outcome), "the ledger's answer replaces a cancel");
        org.custody.store.KeptDraft done = two.drafts().get("d-1").orElseThrow();
        assertEquals("committed", done.state());
        assertEquals(7, done.outcome().seq());
        assertEquals("{\"a\":1}", new String(done.outcome().findings().get(0), java.nio.charset.StandardCharsets.UTF_8));
        two.drafts().sign("d-1", org.custody.model.PersonId.of("P011"), b.sign(record), t.plusSeconds(6));
        assertEquals(1, two.drafts().get("d-1").orElseThrow().signatures().size(), "a finished draft takes no signature");
        assertEquals(0, one.drafts().openCount());
        assertTrue(one.drafts().open(new org.custody.store.KeptDraft("d-3", "r-3", "officer", Hash.ZERO, record,
                java.util.Set.of("*"), t, t.plusSeconds(10), org.custody.store.KeptDraft.OPEN, null, null, List.of())));
        assertEquals(0, two.drafts().expire(t.plusSeconds(9)));
        assertEquals(1, two.drafts().expire(t.plusSeconds(10)));
        assertEquals(t.plusSeconds(10), one.drafts().get("d-3").orElseThrow().finished(), "expired when its time ran out");
        assertEquals(List.of(), one.drafts().open());
        assertEquals(1, one.drafts().forget(t.plusSeconds(6)), "finished before: d-1 (at 5 s), not d-3 (at 10 s)");
        assertTrue(one.drafts().get("d-1").isEmpty());
        assertTrue(one.drafts().get("d-3").isPresent());
        assertEquals(List.of(), Integrity.findings(one.verify()), "drafts are no part of the ledger");
    }
}
