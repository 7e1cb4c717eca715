package org.custody.ledger.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.Witness;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerCheckpointTest;
import org.custody.ledger.LedgerTreeTest;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;

/** The per-bag evidence bundle: small, verifiable alone, and every omission or edit is named. */
class EvidenceTest {
    static final Suite SUITE = Suite.ED25519_SHA256;

    record Fixture(Path file, BagId bag, List<Entry> history, List<NoteKey> trusted, String text) {}

    static Fixture fixture(Scratch scratch) throws Exception {
        Path file = scratch.file("l.db");
        SigningKey logKey = SigningKey.generate(SUITE.signature());
        Chains.Chain chain = Chains.build(SUITE, LedgerTreeTest.ops(60));
        BagId bag = chain.bagEntries().entrySet().stream().filter(e -> e.getValue().size() >= 3)
                .map(Map.Entry::getKey).sorted(java.util.Comparator.comparing(BagId::value)).findFirst().orElseThrow();
        List<NoteKey> trusted = new ArrayList<>();
        List<Entry> history;
        try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            ledger.appendAll(chain.afterGenesis());
            ledger.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
            ledger.signCheckpoint(logKey);
            trusted.addAll(ledger.checkpointKeys(ledger.head().size()));
            try (Witness w = Witness.create(scratch.file("w.state"), "inspector.example/P003",
                    SigningKey.generate(SUITE.signature()), trusted, LedgerCheckpointTest.CLOCK)) {
                ledger.cosignLatest(w);
                trusted.add(w.key());
            }
            history = ledger.history(bag);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Evidence.export(file, bag, out);
        return new Fixture(file, bag, history, trusted, out.toString(StandardCharsets.UTF_8));
    }

    static Evidence.Report verify(String text, List<NoteKey> trusted, int cosignatures) {
        return Evidence.verify(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), trusted, cosignatures);
    }

    @Test
    void evidence_ofABag_verifiesAlone_withTheBagsWholeHistory() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            Evidence.Report report = verify(f.text(), f.trusted(), 1);
            assertTrue(report.intact(), report.findings().toString());
            assertEquals(f.history().stream().map(Entry::seq).toList(), report.entries().stream().map(Entry::seq).toList());
            assertTrue(f.text().length() < 40_000, "small: " + f.text().length() + " bytes");
        }
    }

    @Test
    void editedEntry_isI08_notInTheCheckpoint() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            long seq = f.history().get(1).seq();
            String edited = f.text().lines().map(l -> l.startsWith("e " + seq + " ") ? l.replace("\"count\":", "\"count\":1") : l)
                    .reduce("", (a, b) -> a + b + "\n");
            Evidence.Report report = verify(edited.equals(f.text()) ? f.text().replace("e " + seq + " {", "e " + seq + " { ")
                    : edited, f.trusted(), 1);
            assertEquals(FindingCode.I08, report.findings().get(0).code(), report.findings().toString());
            assertEquals(seq, report.findings().get(0).seq());
        }
    }

    @Test
    void omittedMiddleEntry_isI07() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            long seq = f.history().get(1).seq();
            List<String> lines = new ArrayList<>(f.text().lines().toList());
            lines.removeIf(l -> l.startsWith("e " + seq + " ") || l.startsWith("p " + seq + " ") || l.equals("p " + seq));
            int end = lines.size() - 1;
            lines.set(end, "end " + (Long.parseLong(lines.get(end).substring(4)) - 1));
            Evidence.Report report = verify(String.join("\n", lines) + "\n", f.trusted(), 1);
            assertTrue(report.findings().stream().anyMatch(x -> x.code() == FindingCode.I07), report.findings().toString());
        }
    }

    @Test
    void omittedEnrolment_isI04() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            List<String> lines = new ArrayList<>(f.text().lines().toList());
            int genesis = lines.indexOf(lines.stream().filter(l -> l.startsWith("e 0 ")).findFirst().orElseThrow());
            lines.remove(genesis + 1);
            lines.remove(genesis);
            int end = lines.size() - 1;
            lines.set(end, "end " + (Long.parseLong(lines.get(end).substring(4)) - 1));
            Evidence.Report report = verify(String.join("\n", lines) + "\n", f.trusted(), 1);
            assertTrue(report.findings().stream().anyMatch(x -> x.code() == FindingCode.I04), report.findings().toString());
        }
    }

    @Test
    void checkpointNotVouchedFor_isRefused() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            List<NoteKey> twoInspectors = new ArrayList<>(f.trusted());
            twoInspectors.add(NoteKey.of("inspector.example/P007", org.custody.checkpoint.NoteKeyType.COSIGNATURE_ED25519,
                    SigningKey.generate(SUITE.signature()).publicKey()));
            NoteVerificationException e = assertThrows(NoteVerificationException.class, () -> verify(f.text(), twoInspectors, 2),
                    "two cosignatures needed, one made");
            assertEquals(NoteVerificationException.Reason.TOO_FEW_SIGNATURES, e.reason());
            List<NoteKey> onlyInspector = f.trusted().subList(1, 2);
            assertThrows(NoteVerificationException.class, () -> verify(f.text(), onlyInspector, 1), "no log signature");
        }
    }

    @Test
    void truncatedEvidence_isRefusedNamingTheLine() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            List<String> lines = f.text().lines().toList();
            String cut = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n";
            MalformedBundleException e = assertThrows(MalformedBundleException.class, () -> verify(cut, f.trusted(), 1));
            assertEquals(lines.size(), e.line());
        }
    }

    @Test
    void carriageReturns_orAMissingFinalNewline_areRefused() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Fixture f = fixture(scratch);
            MalformedBundleException crlf = assertThrows(MalformedBundleException.class,
                    () -> verify(f.text().replace("\n", "\r\n"), f.trusted(), 1));
            assertEquals(1, crlf.line());
            MalformedBundleException cut = assertThrows(MalformedBundleException.class,
                    () -> verify(f.text().substring(0, f.text().length() - 1), f.trusted(), 1));
            assertEquals(f.text().lines().count(), cut.line());
        }
    }

    @Test
    void bagWithEntriesAfterTheLatestCheckpoint_isNotExported() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            Chains.Chain chain = Chains.build(SUITE, LedgerTreeTest.ops(8));
            SigningKey logKey = SigningKey.generate(SUITE.signature());
            try (Ledger ledger = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
                ledger.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
                ledger.signCheckpoint(logKey);
                ledger.appendAll(LedgerCheckpointTest.registrations(SUITE, "NEW", 1));
            }
            MalformedInputException e = assertThrows(MalformedInputException.class,
                    () -> Evidence.export(file, BagId.of("NEW.0"), new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("make a checkpoint first"), e.getMessage());
        }
    }

    @Test
    void keyRevoked_thenDeclaredCompromisedFromEarlier_evidenceListsR18AsTheVerifierDoes() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            org.custody.testing.Cast cast = Chains.cast(SUITE);
            SigningKey logKey = SigningKey.generate(SUITE.signature());
            java.time.Instant t0 = org.custody.testing.Cast.T0;
            long moved;
            List<NoteKey> trusted;
            try (Ledger ledger = Ledger.create(file, cast.genesis(), Chains.CLOCK)) {
                var reg = ledger.append(cast.sign(org.custody.ledger.LedgerTest.register(cast)));
                moved = ledger.append(cast.sign(org.custody.ledger.LedgerTest.handoff("h-1", reg.hash(), "P001", "P002", "P003"))).seq();
                var p002 = List.of(org.custody.model.PersonId.of("P002"));
                // P002 gives up the key from now on (alone, as an owner may), then it is found copied since before h-1
                ledger.append(cast.sign(new org.custody.record.Revocation(org.custody.model.RecordId.of("revoke-1"),
                        org.custody.testing.Cast.LEDGER, t0.plusSeconds(7200), cast.key("P002").id(), t0.plusSeconds(7200),
                        "handing over", p002)));
                ledger.append(cast.sign(new org.custody.record.Revocation(org.custody.model.RecordId.of("revoke-2"),
                        org.custody.testing.Cast.LEDGER, t0.plusSeconds(9000), cast.key("P002").id(), t0.plusSeconds(1800),
                        "key file found copied", List.of(org.custody.model.PersonId.of("P001"), org.custody.model.PersonId.of("P003")))));
                ledger.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
                ledger.signCheckpoint(logKey);
                trusted = ledger.checkpointKeys(ledger.head().size());
            }
            var full = org.custody.ledger.verify.LedgerVerifier.verify(file, org.custody.ledger.verify.LedgerVerifier.Options.defaults());
            // h-1, and the plain revocation itself, were signed with the key after the time it is declared compromised from
            assertEquals(List.of(moved, moved + 1), full.findings(FindingCode.R18).stream().map(f -> f.seq()).toList(), full.summary());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Evidence.export(file, org.custody.ledger.LedgerTest.BAG, out);
            Evidence.Report report = verify(out.toString(StandardCharsets.UTF_8), trusted, 0);
            var listed = report.findings().stream().filter(f -> f.code() == FindingCode.R18 && f.seq() == moved).toList();
            assertEquals(1, listed.size(), report.findings().toString());
            assertEquals(moved, listed.get(0).seq());
            assertEquals(List.of(org.custody.model.PersonId.of("P002")), listed.get(0).people());
            assertEquals(t0.plusSeconds(3600), listed.get(0).at());
            assertTrue(report.findings().stream().noneMatch(f -> f.code().findingClass() == org.custody.audit.FindingClass.INTEGRITY),
                    report.findings().toString());
        }
    }
}
