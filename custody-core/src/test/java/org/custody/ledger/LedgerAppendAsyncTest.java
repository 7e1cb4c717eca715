package org.custody.ledger;

import static org.custody.ledger.LedgerTest.BAG;
import static org.custody.ledger.LedgerTest.handoff;
import static org.custody.ledger.LedgerTest.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.audit.AuditReport;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.gate.EntryChecker;
import org.custody.ledger.gate.Prechecks;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.record.Entry;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;
import org.custody.testing.Cast;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Chains;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Ledger#appendAllAsync}: batches queued ahead (their signatures checked early) end exactly as
 * {@link Ledger#appendAll} in turn would, on real SQLite files; what depends on order (revocations, links) is still
 * judged in order.
 */
class LedgerAppendAsyncTest {
    @TempDir
    Path dir;

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 40);
    }

    @Property(tries = 25)
    void appendAllAsync_everyBatchQueuedAtOnce_sameEntriesAsTheChainAndVerifiesClean(
            @ForAll("chains") Chain chain, @ForAll @IntRange(min = 1, max = 7) int batch) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            List<CompletableFuture<List<Appended>>> futures = new ArrayList<>();
            try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                List<SignedRecord> rest = chain.afterGenesis();
                for (int i = 0; i < rest.size(); i += batch) {
                    futures.add(ledger.appendAllAsync(rest.subList(i, Math.min(rest.size(), i + batch))));
                }
                List<Appended> appended = new ArrayList<>();
                futures.forEach(f -> appended.addAll(f.join()));
                for (int i = 0; i < appended.size(); i++) {
                    Appended a = appended.get(i);
                    assertEquals(List.of(i + 1L, chain.hashes().get(i + 1), false), List.of(a.seq(), a.hash(), a.alreadyPresent()));
                }
                assertEquals(new Head(chain.size(), chain.lastHash()), ledger.head());
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertEquals(List.of(), Integrity.findings(report), report.summary());
            assertEquals(chain.size(), report.entries());
        }
    }

    @Test
    void appendAllAsync_keyRevokedByTheBatchQueuedBefore_refusedWithI05AndNothingOfItStored() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 7);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis(), Chains.CLOCK)) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            // P002's key is in the ledger's key cache, so the next batch's signatures are checked ahead with it
            SignedRecord h1 = cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003"));
            Appended first = ledger.append(h1);
            SignedRecord revoke = cast.sign(new Revocation(RecordId.of("revoke-P002"), Cast.LEDGER, Cast.T0.plusSeconds(7000),
                    cast.key("P002").publicKey().id(), Cast.T0.plusSeconds(7000), "key lost", List.of(PersonId.of("P001"))));
            Hash revokeHash = Entry.create(3, first.hash(), revoke, Chains.APPENDED).hash(Suite.ED25519_SHA256.hash());
            SignedRecord late = cast.sign(org.custody.record.Handoff.builder(handoff("x", first.hash(), "P002", "P001", "P003").step()).id(RecordId.of("h-2")).ledger(Cast.LEDGER)
                    .at(Cast.T0.plusSeconds(8000)).from(PersonId.of("P002"))
                    .to(PersonId.of("P001")).witnesses(List.of(PersonId.of("P003"))).place(handoff("x", first.hash(), "P002", "P001", "P003").place())
                    .bags(handoff("x", first.hash(), "P002", "P001", "P003").moves()).build());

            CompletableFuture<List<Appended>> a = ledger.appendAllAsync(List.of(revoke));
            CompletableFuture<List<Appended>> b = ledger.appendAllAsync(List.of(late));
            assertEquals(3L, a.join().get(0).seq());
            CompletionException e = assertThrows(CompletionException.class, b::join);
            AppendRefusedException refused = assertInstanceOf(AppendRefusedException.class, e.getCause());
            assertEquals(FindingCode.I05, refused.code());
            assertEquals(new Head(4, revokeHash), ledger.head());
        }
    }

    @Test
    void appendAllAsync_badSignatureInTheMiddle_refusedLikeAppendAllAndTheNextBatchStillAppended() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 4);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis(), Chains.CLOCK)) {
            Appended reg = ledger.append(cast.sign(register(cast)));
            // P001, P003 and P004 have signed, so their keys are read: the queued batches' signatures are checked ahead
            Appended h0 = ledger.append(cast.sign(handoff("h-0", reg.hash(), "P001", "P004", "P003")));
            SignedRecord first = cast.sign(handoff("h-1", h0.hash(), "P004", "P001", "P003"));
            Hash firstHash = Entry.create(3, h0.hash(), first, Chains.APPENDED).hash(Suite.ED25519_SHA256.hash());
            // P004's signature names P004's key but is over other bytes
            SignedRecord forged = SignedRecord.unsigned(handoff("h-2", firstHash, "P001", "P004", "P003"))
                    .signedBy(cast.key("P001")).with(cast.key("P004").sign("other bytes".getBytes(StandardCharsets.UTF_8)))
                    .signedBy(cast.key("P003"));

            CompletableFuture<List<Appended>> bad = ledger.appendAllAsync(List.of(first, forged));
            CompletableFuture<List<Appended>> good = ledger.appendAllAsync(List.of(first));
            CompletionException e = assertThrows(CompletionException.class, bad::join);
            AppendRefusedException refused = assertInstanceOf(AppendRefusedException.class, e.getCause());
            assertEquals(FindingCode.I03, refused.code());
            assertEquals(1, refused.index());
            assertTrue(refused.getMessage().contains("P004") && refused.getMessage().contains("does not verify"),
                    refused.getMessage());
            assertEquals(List.of(3L), good.join().stream().map(Appended::seq).toList());
            assertEquals(List.of(1L, 2L, 3L), ledger.history(BAG).stream().map(Entry::seq).toList());
        }
    }

    @Test
    void prechecks_keyKnownAhead_coverTheOrderedChecksAndReportABadSignatureAsTheyWould() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 8);
        SignedRecord good = cast.sign(handoff("h-1", Hash.ZERO, "P001", "P002", "P003"));
        SignedRecord forged = SignedRecord.unsigned(handoff("h-2", Hash.ZERO, "P001", "P002", "P003"))
                .signedBy(cast.key("P001")).with(cast.key("P002").sign(new byte[] {1})).signedBy(cast.key("P003"));
        java.util.Map<org.custody.crypto.KeyId, org.custody.crypto.PublicKey> known = new java.util.HashMap<>();
        for (String p : List.of("P001", "P002", "P003")) {
            known.put(cast.key(p).publicKey().id(), cast.key(p).publicKey());
        }
        try (Prechecks prechecks = Prechecks.start(List.of(good, forged), known)) {
            for (int i = 0; i < 2; i++) {
                SignedRecord record = i == 0 ? good : forged;
                EntryChecker.Pending pending = pending(record, i);
                assertTrue(prechecks.covers(i, record, pending));
                assertEquals(java.util.Arrays.asList(new org.custody.audit.Finding[] {pending.verify(0), pending.verify(1), pending.verify(2)}),
                        java.util.Arrays.asList(prechecks.results(i, pending)));
            }
            assertTrue(prechecks.results(1, pending(forged, 1))[1] != null, "P002's bad signature is reported");
            // another record at that position, or a key the ordered checks resolved differently: not covered
            assertEquals(false, prechecks.covers(0, forged, pending(forged, 0)));
            EntryChecker.Pending otherKey = new EntryChecker.Pending(0, Hash.ZERO, good.signedBytes(), List.of(
                    new EntryChecker.Check(good.signatures().get(0), cast.key("P002").publicKey(), PersonId.of("P001"))));
            assertEquals(false, prechecks.covers(0, good, otherKey));
        }
        try (Prechecks none = Prechecks.start(List.of(good), java.util.Map.of())) {
            assertEquals(false, none.covers(0, good, pending(good, 0)), "no key known: checked in order as usual");
        }
    }

    /** The signature checks the ordered checks would ask for: each signature against its own signer's key. */
    private static EntryChecker.Pending pending(SignedRecord record, long seq) {
        List<EntryChecker.Check> checks = new ArrayList<>();
        List<String> people = List.of("P001", "P002", "P003");
        Cast cast = new Cast(Suite.ED25519_SHA256, 8);
        for (int s = 0; s < record.signatures().size(); s++) {
            checks.add(new EntryChecker.Check(record.signatures().get(s), cast.key(people.get(s)).publicKey(),
                    PersonId.of(people.get(s))));
        }
        return new EntryChecker.Pending(seq, Hash.ZERO, record.signedBytes(), checks);
    }

    @Test
    void close_appendsWhatWasQueuedFirst_thenRefusesMore() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 5);
        Path file = dir.resolve("l.db");
        Ledger ledger = Ledger.create(file, cast.genesis());
        Appended reg = ledger.append(cast.sign(register(cast)));
        SignedRecord h1 = cast.sign(handoff("h-1", reg.hash(), "P001", "P002", "P003"));
        CompletableFuture<List<Appended>> queued = ledger.appendAllAsync(List.of(h1));
        ledger.close();
        assertTrue(queued.isDone(), "close waits for the queued batch");
        assertEquals(2L, queued.join().get(0).seq());
        CompletionException e = assertThrows(CompletionException.class, () -> ledger.appendAllAsync(List.of(h1)).join());
        assertInstanceOf(LedgerStoreException.class, e.getCause());
        try (Ledger reopened = Ledger.open(file, Chains.CLOCK)) {
            assertEquals(3, reopened.head().size());
        }
    }

    @Test
    void appendAllAsync_emptyBatch_completesAtOnceWithNothing() {
        Cast cast = new Cast(Suite.ED25519_SHA256, 6);
        try (Ledger ledger = Ledger.create(dir.resolve("l.db"), cast.genesis())) {
            assertEquals(List.of(), ledger.appendAllAsync(List.of()).join());
            assertEquals(1, ledger.head().size());
        }
    }
}
