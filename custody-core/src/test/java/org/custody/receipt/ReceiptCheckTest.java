package org.custody.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.Witness;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerCheckpointTest;
import org.custody.ledger.LedgerTreeTest;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.bundle.Evidence;
import org.custody.ledger.verify.EntrySource;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.testing.Cast;
import org.custody.testing.Chains;
import org.custody.testing.Tamper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts checked against a real ledger file, a bundle and a bag's evidence: held before and after a checkpoint
 * covers the entry (and once an enrolled inspector cosigned it), and contradicted (I09) when the entry is changed or
 * removed in the file the way a forger with the file could, or the checkpoint on the receipt is not the ledger's.
 */
class ReceiptCheckTest {
    private static final Suite SUITE = Suite.ED25519_SHA256;
    private static final String INSPECTOR = "inspector.example/P003";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-06-05T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Path file;
    SigningKey logKey;
    long seq;
    BagId bag;
    /** The receipt printed right after the handoff, before any checkpoint. */
    Receipt early;

    @BeforeEach
    void build() {
        file = dir.resolve("ledger.db");
        logKey = SigningKey.generate(SUITE.signature(), Cast.seeded(99));
        Chains.Chain chain = Chains.build(SUITE, LedgerTreeTest.ops(20));
        Entry handoff = chain.entries().stream().filter(e -> e.record() instanceof Handoff).reduce((a, b) -> b).orElseThrow();
        seq = handoff.seq();
        bag = handoff.record().moves().get(0).bag();
        try (Ledger l = Ledger.create(file, chain.records().get(0), Chains.CLOCK)) {
            l.appendAll(chain.afterGenesis());
            l.append(LedgerCheckpointTest.enrolCheckpointKey(SUITE, logKey, "enrol-log-1"));
            early = ReceiptCheck.issue(l, seq);
        }
    }

    private ReceiptVerdict checkFile(Receipt r) {
        try (EntrySource source = EntrySource.file(file)) {
            return ReceiptCheck.check(r, source);
        }
    }

    private ReceiptVerdict checkBundle(Receipt r) throws Exception {
        Path bundle = dir.resolve("ledger.bundle");
        try (OutputStream out = Files.newOutputStream(bundle)) {
            Bundle.export(file, out);
        }
        try (EntrySource source = Bundle.source(bundle)) {
            return ReceiptCheck.check(r, source);
        }
    }

    /** Signs a checkpoint of the ledger as it is, cosigned by P003 (an enrolled inspector) if asked; returns the trusted keys. */
    private List<NoteKey> checkpoint(boolean cosign) {
        try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
            l.signCheckpoint(logKey);
            List<NoteKey> trusted = new ArrayList<>(l.checkpointKeys(l.head().size()));
            if (cosign) {
                try (Witness w = Witness.create(dir.resolve("w.state"), INSPECTOR, Chains.cast(SUITE).key("P003"), trusted, CLOCK)) {
                    l.cosignLatest(w);
                    trusted.add(w.key());
                }
            }
            return trusted;
        }
    }

    /** The receipt printed now, once a checkpoint covers the entry: it names that checkpoint. */
    private Receipt late() {
        try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
            Receipt late = ReceiptCheck.issue(l, seq);
            assertEquals(l.head().size(), late.checkpointSize());
            assertEquals(l.root(l.head().size()), late.checkpointRoot());
            return late;
        }
    }

    private void sql(String statement, Object... args) {
        Tamper.sql(file, statement, args);
    }


    @Test
    void receiptBeforeAnyCheckpoint_isHeld_notYetInACheckpoint() {
        assertFalse(early.inCheckpoint());
        ReceiptVerdict v = checkFile(early);
        assertEquals(ReceiptVerdict.Status.HELD, v.status(), v.message());
        assertNull(v.coverage());
        assertEquals(seq, v.entry().seq());
        assertTrue(v.message().contains("no checkpoint covers it yet"), v.message());
    }

    @Test
    void earlyReceipt_onceACheckpointCoversIt_isHeldInIt_andCosignedOnceTheInspectorCosigns() {
        checkpoint(false);
        ReceiptVerdict signed = checkFile(early);
        assertTrue(signed.held(), signed.message());
        assertFalse(signed.coverage().cosigned(), signed.message());
        checkpoint(true);
        ReceiptVerdict cosigned = checkFile(early);
        assertTrue(cosigned.held(), cosigned.message());
        assertEquals(List.of("P003"), cosigned.coverage().cosigners());
        assertTrue(cosigned.chinese().contains("纪检监察见证签名"), cosigned.chinese());
    }

    @Test
    void receiptNamingACheckpoint_isHeld_inTheFileAndInABundle() throws Exception {
        checkpoint(true);
        Receipt late = late();
        assertTrue(checkFile(late).held());
        ReceiptVerdict fromBundle = checkBundle(late);
        assertTrue(fromBundle.held(), fromBundle.message());
        assertEquals(List.of("P003"), fromBundle.coverage().cosigners());
    }

    @Test
    void receipt_againstTheBagsEvidence_isHeld_andAnotherBagsEvidenceCannotShowIt() throws Exception {
        List<NoteKey> trusted = checkpoint(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Evidence.export(file, bag, out);
        Evidence.Report report = Evidence.verify(new ByteArrayInputStream(out.toByteArray()), trusted, 1);
        ReceiptVerdict v = ReceiptCheck.check(early, report, List.of(INSPECTOR));
        assertTrue(v.held(), v.message());
        assertTrue(v.coverage().cosigned());

        Receipt ofAnother = Receipt.of(early.ledger(), 0, early.entry());
        assertEquals(ReceiptVerdict.Status.NOT_SHOWN, ReceiptCheck.check(ofAnother, report, List.of()).status());
        Receipt altered = Receipt.of(early.ledger(), seq, SUITE.hash().digest(new byte[] {1}));
        ReceiptVerdict contradicted = ReceiptCheck.check(altered, report, List.of());
        assertEquals(FindingCode.I09, contradicted.findings().get(0).code());
    }

    @Test
    void entryChangedInTheFile_isI09_withTheReceiptsHashExpected() throws Exception {
        checkpoint(true);
        Receipt late = late();
        String text = new String(Tamper.body(file, seq), StandardCharsets.UTF_8);
        sql("UPDATE entries SET body = ? WHERE seq = ?", text.replaceFirst("\"at\":\"20", "\"at\":\"19").getBytes(StandardCharsets.UTF_8), seq);
        ReceiptVerdict v = checkFile(early);
        assertEquals(ReceiptVerdict.Status.CONTRADICTED, v.status());
        assertEquals(FindingCode.I09, v.findings().get(0).code());
        assertEquals(seq, v.findings().get(0).seq());
        assertEquals(early.entry().hex(), v.findings().get(0).expected());
        // the receipt with the checkpoint is contradicted twice: the entry, and the root of the entries it covers
        ReceiptVerdict both = checkFile(late);
        assertEquals(List.of(FindingCode.I09, FindingCode.I09), both.findings().stream().map(f -> f.code()).toList());
        assertEquals(ReceiptVerdict.Status.CONTRADICTED, checkBundle(late).status());
    }

    @Test
    void entryRemovedFromTheFile_isI09_noEntry() {
        long last;
        Receipt ofLast;
        try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
            last = l.head().size() - 1;
            ofLast = ReceiptCheck.issue(l, last);
        }
        sql("DELETE FROM entries WHERE seq = ?", last);
        ReceiptVerdict v = checkFile(ofLast);
        assertEquals(ReceiptVerdict.Status.CONTRADICTED, v.status());
        assertEquals(FindingCode.I09, v.findings().get(0).code());
        assertTrue(v.findings().get(0).message().contains("holds no entry at position " + last), v.findings().get(0).message());
        assertNull(v.entry());
    }

    @Test
    void forgedCheckpointOnTheReceipt_isI09_namingTheCheckpointsLastEntry() {
        checkpoint(false);
        long size;
        try (Ledger l = Ledger.open(file, Chains.CLOCK)) {
            size = l.head().size();
        }
        Receipt forged = new Receipt(early.ledger(), seq, early.entry(), size, SUITE.hash().digest(new byte[] {7}));
        ReceiptVerdict v = checkFile(forged);
        assertEquals(ReceiptVerdict.Status.CONTRADICTED, v.status());
        assertEquals(size - 1, v.findings().get(0).seq());
        Receipt beyond = new Receipt(early.ledger(), seq, early.entry(), size + 5, SUITE.hash().digest(new byte[] {7}));
        assertTrue(checkFile(beyond).findings().get(0).message().contains("holds only " + size), "a checkpoint past the end");
    }

    @Test
    void receiptOfAnotherLedger_isNotJudged() {
        Receipt other = Receipt.of(LedgerId.of("OTHER-2021"), seq, early.entry());
        ReceiptVerdict v = checkFile(other);
        assertEquals(ReceiptVerdict.Status.OTHER_LEDGER, v.status());
        assertEquals(List.of(), v.findings());
    }
}
