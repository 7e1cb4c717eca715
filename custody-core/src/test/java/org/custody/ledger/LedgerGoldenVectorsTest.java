package org.custody.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.record.Entry;
import org.custody.testing.Golden;
import org.custody.testing.Integrity;
import org.custody.testing.SetClock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The golden ledgers ({@code src/test/resources/golden/ledger-*.json}) pass the append gate: appending their
 * signed records to a new ledger, whose clock shows each entry's committed append time, stores exactly the committed
 * entry bytes, and the verifier finds them intact.
 */
class LedgerGoldenVectorsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void append_goldenRecords_storesCommittedEntriesAndVerifiesClean(Suite suite) {
        JsonNode committed = Golden.load(Golden.ledgerFile(suite.wire())).get("entries");
        List<Entry> golden = new ArrayList<>();
        committed.forEach(e -> golden.add(Entry.decode(e.get("entry").asText().getBytes(StandardCharsets.UTF_8))));
        Path file = dir.resolve(suite.wire() + ".db");
        List<String> failures = new ArrayList<>();
        SetClock clock = new SetClock(golden.get(0).appended().orElseThrow());
        try (Ledger ledger = Ledger.create(file, golden.get(0).signed(), clock)) {
            assertEquals(suite, ledger.suite());
            for (Entry entry : golden.subList(1, golden.size())) {
                clock.set(entry.appended().orElseThrow());
                Appended appended = ledger.append(entry.signed());
                if (appended.seq() != entry.seq()) {
                    failures.add("entry " + entry.seq() + " was appended at " + appended.seq());
                }
            }
            for (int seq = 0; seq < golden.size(); seq++) {
                String expected = committed.get(seq).get("entry").asText();
                String stored = ledger.entry(seq).map(e -> new String(e.canonicalBytes(), StandardCharsets.UTF_8)).orElse("none");
                if (!expected.equals(stored)) {
                    failures.add("entry " + seq + " stored as\n    " + stored + "\n  committed\n    " + expected);
                }
            }
            Hash lastHash = Hash.fromHex(committed.get(golden.size() - 1).get("hash").get(suite.hash().wire()).asText());
            assertEquals(new Head(golden.size(), lastHash), ledger.head());
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
        assertEquals(List.of(), Integrity.findings(report), report.summary());
        assertEquals(golden.size(), report.entries());
    }
}
