package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.custody.audit.AuditReport;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.record.SignedRecord;
import org.custody.testing.Chains;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Scratch;

/** Properties of the verifier over random valid ledgers (see {@link Chains}): a valid ledger verifies clean. */
class LedgerVerifierPropertiesTest {
    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 24);
    }

    @Provide
    Arbitrary<Chain> sm2Chains() {
        return Chains.chains(Suite.SM2_SM3, 8);
    }

    @Property(tries = 40)
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

    // ------------------------------------------------------------------ helpers

    /** Writes {@code chain} to a new ledger at {@code file} in batches of {@code batch}, checking where each record lands. */
    static Head store(Chain chain, Path file, int batch) {
        try (Ledger ledger = Ledger.create(file, chain.records().get(0))) {
            List<SignedRecord> rest = chain.afterGenesis();
            List<Appended> appended = new ArrayList<>();
            for (int i = 0; i < rest.size(); i += batch) {
                List<SignedRecord> part = rest.subList(i, Math.min(rest.size(), i + batch));
                appended.addAll(part.size() == 1 ? List.of(ledger.append(part.get(0))) : ledger.appendAll(part));
            }
            for (int i = 0; i < appended.size(); i++) {
                assertEquals(new Appended(i + 1, chain.hashes().get(i + 1), false), appended.get(i));
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

    private static void assertClean(Chain chain, Path file) {
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(AuditReport.EXIT_CLEAN, report.exitStatus(), report.findings().toString());
        assertTrue(report.findings().isEmpty());
        assertEquals(chain.size(), report.entries());
        assertEquals(chain.lastHash(), report.head());
        AuditReport kept = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().expecting(new Head(chain.size(), chain.lastHash())));
        assertEquals(AuditReport.EXIT_CLEAN, kept.exitStatus(), kept.findings().toString());
    }
}
