package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.custody.audit.AuditReport;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Registration;
import org.custody.testing.AppendMain;
import org.custody.testing.Cast;
import org.custody.testing.Integrity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers racing on one ledger file: the chain never forks, and of two handoffs of one bag only one links. */
class ConcurrentAppendTest {
    private static final int THREADS_PER_LEDGER = 3;
    private static final int HANDOFFS_PER_THREAD = 5;
    private static final int CONTENDED_BAGS = 3;

    @TempDir
    Path dir;

    static BagId bag(String name) {
        return BagId.of("K01.01.S1." + name);
    }

    static Registration registration(String id, List<BagId> bags) {
        List<Bag> registered = bags.stream().map(b -> Bag.papers(b, BagKind.QUESTION_PAPER, Cast.LEDGER.value(), "K01", "01",
                "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)).toList();
        return new Registration(RecordId.of(id), Cast.LEDGER, Cast.T0.plusSeconds(60), registered, List.of(PersonId.of("P001")));
    }

    /** A handoff of {@code bag} at step {@code i}, passing it between P001 and P002 with P003 watching. */
    static Handoff handoff(String id, BagId bag, Hash prev, int i) {
        PersonId a = PersonId.of("P001");
        PersonId b = PersonId.of("P002");
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of(id)).ledger(Cast.LEDGER).at(Cast.T0.plusSeconds(3600 + i)).from(i % 2 == 0 ? a : b)
                .to(i % 2 == 0 ? b : a).witnesses(List.of(PersonId.of("P003"))).place(Place.of("VAULT-1", null)).bags(List.of(BagMove.of(bag, prev))).build();
    }

    @Test
    void append_twoLedgersSeveralThreads_oneChainAndOneWinnerPerContendedBag() throws Exception {
        Cast cast = new Cast(Suite.ED25519_SHA256, 11);
        Path file = dir.resolve("ledger.db");
        int threads = 2 * THREADS_PER_LEDGER;
        List<BagId> own = new ArrayList<>();
        List<BagId> contended = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            own.add(bag("OWN" + t));
        }
        for (int c = 0; c < CONTENDED_BAGS; c++) {
            contended.add(bag("SHARED" + c));
        }
        List<BagId> all = new ArrayList<>(own);
        all.addAll(contended);

        Map<BagId, List<String>> winners = new ConcurrentHashMap<>();
        List<AppendRefusedException> refusals = new CopyOnWriteArrayList<>();
        try (Ledger first = Ledger.create(file, cast.genesis()); Ledger second = Ledger.open(file)) {
            Hash registered = first.append(cast.sign(registration("reg-1", all))).hash();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    Ledger ledger = t % 2 == 0 ? first : second;
                    done.add(pool.submit(() -> {
                        start.await();
                        Hash prev = registered;
                        for (int i = 0; i < HANDOFFS_PER_THREAD; i++) {
                            prev = ledger.append(cast.sign(handoff("h-" + thread + "-" + i, own.get(thread), prev, i))).hash();
                            if (i == 1) {
                                for (BagId bag : contended) {
                                    String id = "c-" + bag.value() + "-" + thread;
                                    try {
                                        ledger.append(cast.sign(handoff(id, bag, registered, thread)));
                                        winners.computeIfAbsent(bag, b -> new CopyOnWriteArrayList<>()).add(id);
                                    } catch (AppendRefusedException e) {
                                        refusals.add(e);
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            for (BagId bag : contended) {
                List<String> won = winners.getOrDefault(bag, List.of());
                assertEquals(1, won.size(), "winners for " + bag + ": " + won);
                List<Entry> history = first.history(bag);
                assertEquals(2, history.size(), bag.value());
                assertEquals(won.get(0), history.get(1).record().id().value());
            }
            assertEquals(CONTENDED_BAGS * (threads - 1), refusals.size());
            for (AppendRefusedException e : refusals) {
                assertEquals(FindingCode.I07, e.code(), e.getMessage());
            }
            long expected = 2 + (long) threads * HANDOFFS_PER_THREAD + CONTENDED_BAGS;
            assertEquals(expected, first.head().size());
            assertEquals(first.head(), second.head());
        }
        assertVerifiesCleanAndContiguous(file, 2 + threads * HANDOFFS_PER_THREAD + CONTENDED_BAGS);
    }

    @Test
    void append_secondProcessAppendingToo_oneCleanChain() throws Exception {
        Cast cast = new Cast(Suite.ED25519_SHA256, AppendMain.CAST_SEED);
        Path file = dir.resolve("ledger.db");
        int count = 20;
        BagId mine = bag("PARENT");
        BagId theirs = bag(AppendMain.BAG_PREFIX + "CHILD");
        try (Ledger ledger = Ledger.create(file, cast.genesis())) {
            Hash prev = ledger.append(cast.sign(registration("reg-1", List.of(mine, theirs)))).hash();
            String output;
            try (AppendMain.Child child = AppendMain.start(file, "CHILD", count)) {
                child.go();
                for (int i = 0; i < count; i++) {
                    prev = ledger.append(cast.sign(handoff("parent-" + i, mine, prev, i))).hash();
                }
                output = child.finish(120);
                assertEquals(0, child.exitValue(), output);
            }
            assertEquals("done\n", output);
            assertEquals(count + 1, ledger.history(theirs).size(), output);
            assertEquals(count + 1, ledger.history(mine).size());
        }
        assertVerifiesCleanAndContiguous(file, 2 + 2 * count);
    }

    static void assertVerifiesCleanAndContiguous(Path file, long entries) throws Exception {
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), Integrity.findings(report), report.summary());
        assertEquals(entries, report.entries());
        List<Long> seqs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq FROM entries ORDER BY seq")) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        if (!seqs.equals(LongStream.range(0, entries).boxed().toList())) {
            fail("entries are not numbered 0.." + (entries - 1) + ": " + seqs);
        }
    }
}
