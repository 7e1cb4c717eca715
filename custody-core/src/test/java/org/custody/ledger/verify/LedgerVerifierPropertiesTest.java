package org.custody.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Chains;
import org.custody.testing.Integrity;
import org.custody.testing.Scratch;
import org.custody.testing.Tamper;

/**
 * Properties of the verifier over random valid ledgers (see {@link Chains}): a valid ledger verifies clean,
 * and each kind of tampering with the SQLite file is reported with the right code at the right entry.
 */
class LedgerVerifierPropertiesTest {
    /** Codes an edited entry body may be reported with. */
    private static final Set<FindingCode> ENTRY_CODES = EnumSet.of(FindingCode.I01, FindingCode.I02, FindingCode.I03,
            FindingCode.I04, FindingCode.I06, FindingCode.I07);

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 24);
    }

    /** Chains with at least three entries after the genesis, so there is something to delete, copy or swap. */
    @Provide
    Arbitrary<Chain> longChains() {
        return Chains.chains(Suite.ED25519_SHA256, 24).filter(c -> c.size() >= 4);
    }

    @Provide
    Arbitrary<Chain> sm2Chains() {
        return Chains.chains(Suite.SM2_SM3, 8);
    }

    @Property(tries = 30)
    void verify_validChain_cleanWithEveryEntry(@ForAll("chains") Chain chain, @ForAll @IntRange(min = 1, max = 5) int batch) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            store(chain, file, batch);
            assertClean(chain, file);
        }
    }

    @Property(tries = 4)
    void verify_validSm2Chain_clean(@ForAll("sm2Chains") Chain chain) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            store(chain, file, 3);
            assertClean(chain, file);
        }
    }

    /** Which part of an entry body a byte is changed in; uniform offsets seldom hit the short fields. */
    enum Region { ANYWHERE, SEQ, PREV, SIGNATURES, RECORD, APPENDED }

    @Property(tries = 40, edgeCases = EdgeCasesMode.NONE)
    void verify_oneByteChanged_findingAtThatEntry(@ForAll("chains") Chain chain, @ForAll @IntRange(min = 0, max = 10_000) int pick,
                                                  @ForAll Region region, @ForAll @IntRange(min = 0, max = 100_000) int offsetPick,
                                                  @ForAll @IntRange(min = 1, max = 255) int delta) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            write(chain, file);
            long seq = pick % chain.size();
            byte[] body;
            int offset;
            try (Tamper t = Tamper.open(file)) {
                body = t.body(seq);
                offset = offset(body, region, offsetPick);
                body[offset] = (byte) (body[offset] + delta);
                t.setBody(seq, body);
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            String context = "byte " + offset + " of entry " + seq + " changed by " + delta + ": " + report.findings();
            assertEquals(AuditReport.EXIT_INTEGRITY, report.exitStatus(), context);
            // the append time is the ledger's, signed by nobody: a change to it that still decodes breaks the link to the
            // entry, found at the next entry (I02), at the head (the last entry), or as a time going back (I12)
            String text = new String(body, StandardCharsets.ISO_8859_1);
            int from = text.indexOf("\"appended\":\"") + 12;
            boolean inAppended = from >= 12 && offset >= from && offset < text.indexOf('"', from);
            assertTrue(report.findings().stream().anyMatch(f -> f.seq() == seq && ENTRY_CODES.contains(f.code())
                    || inAppended && (f.code() == FindingCode.I02 || f.code() == FindingCode.I12) && (f.seq() == seq || f.seq() == seq + 1)),
                    context);
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void verify_entryDeleted_i06NamingTheMissingEntry(@ForAll("longChains") Chain chain, @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            write(chain, file);
            long seq = pick % (chain.size() - 1);
            try (Tamper t = Tamper.open(file)) {
                t.deleteEntry(seq);
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertHas(report, FindingCode.I06, seq, "entry " + seq + " deleted");
            assertHas(report, FindingCode.I02, seq + 1, "entry " + seq + " deleted");
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void verify_entryCopiedOverLaterOne_i06NamingTheCopy(@ForAll("longChains") Chain chain,
                                                         @ForAll @IntRange(min = 0, max = 10_000) int pick1,
                                                         @ForAll @IntRange(min = 0, max = 10_000) int pick2) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            write(chain, file);
            long from = pick1 % (chain.size() - 1);
            long over = from + 1 + pick2 % (chain.size() - 1 - from);
            try (Tamper t = Tamper.open(file)) {
                t.setBody(over, t.body(from));
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertHas(report, FindingCode.I06, over, "entry " + from + " copied over entry " + over);
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void verify_entryCopiedToTheEnd_i06NamingTheCopy(@ForAll("longChains") Chain chain, @ForAll @IntRange(min = 0, max = 10_000) int pick) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            write(chain, file);
            long from = pick % chain.size();
            long end = chain.size();
            try (Tamper t = Tamper.open(file)) {
                t.appendCopy(from, end);
                t.headAt(end);
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertEquals(end + 1, report.entries());
            assertHas(report, FindingCode.I06, end, "entry " + from + " copied to the end");
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void verify_twoEntriesSwapped_i06NamingBoth(@ForAll("longChains") Chain chain, @ForAll @IntRange(min = 0, max = 10_000) int pick1,
                                               @ForAll @IntRange(min = 0, max = 10_000) int pick2) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            write(chain, file);
            long a = pick1 % (chain.size() - 1);
            long b = a + 1 + pick2 % (chain.size() - 1 - a);
            try (Tamper t = Tamper.open(file)) {
                byte[] bodyA = t.body(a);
                t.setBody(a, t.body(b));
                t.setBody(b, bodyA);
            }
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertHas(report, FindingCode.I06, a, "entries " + a + " and " + b + " swapped");
            assertHas(report, FindingCode.I06, b, "entries " + a + " and " + b + " swapped");
        }
    }

    @Property(tries = 20, edgeCases = EdgeCasesMode.NONE)
    void verify_tailTruncatedAndHeadRewritten_i09AgainstKeptHead(@ForAll("longChains") Chain chain,
                                                                 @ForAll @IntRange(min = 1, max = 10_000) int pick) {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            Head kept = write(chain, file);
            int k = 1 + (pick - 1) % (chain.size() - 1);
            long keep = chain.size() - k;
            try (Tamper t = Tamper.open(file)) {
                t.deleteFrom(keep);
                t.headAt(keep - 1);
                t.deleteTreeFrom(keep);
                t.deleteIndexesFrom(keep);
            }
            AuditReport alone = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertEquals(List.of(), Integrity.findings(alone), "a consistent truncation is invisible without a kept head");
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().expecting(kept));
            assertHas(report, FindingCode.I09, keep, "last " + k + " entries removed");
            assertEquals(Map.of(FindingCode.I09, 1L), Integrity.counts(report), report.findings().toString());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Writes {@code chain} to a new ledger at {@code file} in batches of {@code batch}, checking where each record lands. */
    static Head store(Chain chain, Path file, int batch) {
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            List<SignedRecord> rest = chain.afterGenesis();
            List<Appended> appended = new ArrayList<>();
            for (int i = 0; i < rest.size(); i += batch) {
                List<SignedRecord> part = rest.subList(i, Math.min(rest.size(), i + batch));
                appended.addAll(part.size() == 1 ? List.of(ledger.append(part.get(0))) : ledger.appendAll(part));
            }
            for (int i = 0; i < appended.size(); i++) {
                Appended a = appended.get(i);
                assertEquals(List.of(i + 1L, chain.hashes().get(i + 1), false), List.of(a.seq(), a.hash(), a.alreadyPresent()));
            }
            Head head = ledger.head();
            assertEquals(new Head(chain.size(), chain.lastHash()), head);
            for (Map.Entry<BagId, List<Long>> bag : chain.bagEntries().entrySet()) {
                assertEquals(bag.getValue(), ledger.history(bag.getKey()).stream().map(Entry::seq).toList(), bag.getKey().value());
                List<Long> seqs = bag.getValue();
                assertEquals(chain.hashes().get(seqs.get(seqs.size() - 1).intValue()), ledger.bagHead(bag.getKey()).orElseThrow());
            }
            return head;
        }
    }

    /** Writes {@code chain} to a new ledger at {@code file} in one batch (to tamper with), returning its head. */
    static Head write(Chain chain, Path file) {
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
            return ledger.head();
        }
    }

    private static void assertClean(Chain chain, Path file) {
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), Integrity.findings(report), report.summary());
        assertEquals(chain.size(), report.entries());
        assertEquals(chain.lastHash(), report.head());
        AuditReport kept = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().expecting(new Head(chain.size(), chain.lastHash())));
        assertEquals(List.of(), Integrity.findings(kept), kept.summary());
    }

    private static void assertHas(AuditReport report, FindingCode code, long seq, String what) {
        List<Finding> named = report.findings().stream().filter(f -> f.code() == code && f.seq() == seq).toList();
        assertFalse(named.isEmpty(), what + ": expected " + code + " at entry " + seq + ", got " + report.findings());
    }

    /** An offset into {@code body} in {@code region}, chosen by {@code pick}. */
    private static int offset(byte[] body, Region region, int pick) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int from;
        int to;
        switch (region) {
            case SEQ:
                from = text.lastIndexOf("\"seq\":") + 6;
                to = text.indexOf(',', from);
                break;
            case PREV:
                from = text.indexOf("\"prev\":\"") + 8;
                to = from + 64;
                break;
            case SIGNATURES:
                from = text.lastIndexOf("\"signatures\":");
                to = body.length;
                break;
            case RECORD:
                from = text.indexOf("\"record\":");
                to = text.lastIndexOf("\"seq\":");
                break;
            case APPENDED:
                from = text.indexOf("\"appended\":\"") + 12;
                to = text.indexOf('"', from);
                break;
            default:
                from = 0;
                to = body.length;
        }
        return from + pick % (to - from);
    }
}
