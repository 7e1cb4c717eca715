package org.custody.ledger.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.ReportWriter;
import org.custody.checkpoint.Checkpoint;
import org.custody.ledger.Ledger;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.testing.Scratch;
import org.custody.testing.Tamper;
import org.junit.jupiter.api.Test;

/** The export bundle: golden vectors, negatives named after the defect, and the same report as the ledger file. */
public class BundleTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BundleTest.class.getResourceAsStream(BundleVectors.FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("missing vector " + name + "; run BundleVectors.main");
            }
            return in.readAllBytes();
        }
    }

    public static byte[] export(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Bundle.export(file, out);
        return out.toByteArray();
    }

    static AuditReport verifyBundle(byte[] bundle, Path workDir, Checkpoint kept) {
        return Bundle.verify(new ByteArrayInputStream(bundle), workDir, LedgerVerifier.Options.defaults().withThreads(1), kept);
    }

    @Test
    void exportOfTheGoldenLedger_isTheGoldenBundle_byteForByte() throws IOException {
        assertArrayEquals(resource(BundleVectors.VALID), BundleVectors.export(),
                "the export format changed: if on purpose, run BundleVectors.main and document it in formats.md §11");
    }

    @Test
    void goldenBundle_verifiesIntact_withItsEntriesAndCheckpoints() throws IOException {
        try (Scratch scratch = new Scratch()) {
            AuditReport report = verifyBundle(resource(BundleVectors.VALID), scratch.dir(), null);
            assertTrue(report.intact(), ReportWriter.text(report, java.time.ZoneOffset.UTC));
            assertEquals(40, report.entries());
            assertEquals(List.of(), listDir(scratch.dir()), "the temporary ledger is removed");
        }
    }

    @Test
    void negativeVectors_areRefused_namingTheLine() throws IOException {
        String index = new String(resource("negatives.txt"), StandardCharsets.UTF_8);
        int checked = 0;
        for (String line : index.split("\n")) {
            String[] f = line.split(" ");
            byte[] bytes = resource(f[0]);
            try (Scratch scratch = new Scratch()) {
                MalformedBundleException e = assertThrows(MalformedBundleException.class,
                        () -> verifyBundle(bytes, scratch.dir(), null), f[0]);
                assertEquals(Long.parseLong(f[1]), e.line(), f[0] + ": " + e.getMessage());
                assertEquals(List.of(), listDir(scratch.dir()), "nothing left behind for " + f[0]);
            }
            checked++;
        }
        assertEquals(BundleVectors.negatives(resource(BundleVectors.VALID)).size(), checked);
    }

    @Test
    void goldenEvidence_isReproducedByteForByte_andVerifiesWithItsKeys() throws IOException {
        BundleVectors.EvidenceVector fresh = BundleVectors.evidence();
        String text = new String(resource(BundleVectors.EVIDENCE), StandardCharsets.UTF_8);
        assertEquals(text, fresh.text(), "the evidence format changed: if on purpose, run BundleVectors.main");
        List<org.custody.checkpoint.NoteKey> keys = new String(resource(BundleVectors.EVIDENCE_KEYS), StandardCharsets.UTF_8)
                .lines().map(org.custody.checkpoint.NoteKey::parse).toList();
        Evidence.Report report = Evidence.verify(new ByteArrayInputStream(resource(BundleVectors.EVIDENCE)), keys, 1);
        assertTrue(report.intact(), report.findings().toString());
        assertEquals(fresh.bag(), report.bag().value());
        assertTrue(report.entries().size() >= BundleVectors.EVIDENCE_MIN_ENTRIES);
    }

    @Test
    void bundleOfAnIntactLedger_givesTheFilesReport() throws IOException {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            BundleVectors.build(file, scratch.file("w.state"));
            assertSameReport(file, scratch);
        }
    }

    @Test
    void bundleOfATamperedLedger_givesTheFilesReport_findingsAndAll() throws IOException {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            BundleVectors.build(file, scratch.file("w.state"));
            try (Tamper t = Tamper.open(file)) {
                byte[] body = t.body(7);
                body[body.length / 2] ^= 1;
                t.setBody(7, body);
                t.deleteEntry(12);
                t.appendCopy(3, 60);
            }
            AuditReport fileReport = assertSameReport(file, scratch);
            assertTrue(!fileReport.intact());
        }
    }

    @Test
    void bundleAgainstAKeptCheckpoint_givesTheFilesReport() throws IOException {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            BundleVectors.build(file, scratch.file("w.state"));
            Checkpoint kept;
            try (Ledger ledger = Ledger.open(file)) {
                kept = Checkpoint.parse(ledger.latestCheckpoint().orElseThrow().text());
            }
            try (Tamper t = Tamper.open(file)) {
                t.deleteFrom(30);
                t.headAt(29);
            }
            AuditReport fromFile = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().withThreads(1), kept);
            AuditReport fromBundle = verifyBundle(export(file), scratch.dir(), kept);
            assertEquals(ReportWriter.json(withoutI11(fromFile)), ReportWriter.json(fromBundle));
            assertEquals(1L, fromBundle.counts().get(org.custody.audit.FindingCode.I09));
        }
    }

    @Test
    void bundleFile_isVerifiedWhereItIs_withNoCopyAndTheFilesReport() throws IOException {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            BundleVectors.build(file, scratch.file("w.state"));
            try (Tamper t = Tamper.open(file)) {
                t.deleteEntry(12);
            }
            Path bundle = scratch.file("l.bundle");
            Files.write(bundle, export(file));
            List<Path> before = listDir(scratch.dir());
            AuditReport fromFile = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().withThreads(1));
            AuditReport fromBundle = Bundle.verify(bundle, LedgerVerifier.Options.defaults().withThreads(1), null);
            assertEquals(ReportWriter.json(withoutI11(fromFile)), ReportWriter.json(fromBundle));
            assertEquals(before, listDir(scratch.dir()), "nothing written beside the bundle");
        }
    }

    @Test
    void bundleWithATamperedTile_reportsItWhereTheFileDoes() throws IOException {
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("l.db");
            BundleVectors.build(file, scratch.file("w.state"));
            String text = new String(export(file), StandardCharsets.UTF_8);
            String tile = text.lines().filter(l -> l.startsWith("t 0 1 ")).findFirst().orElseThrow();
            byte[] hashes = java.util.Base64.getDecoder().decode(tile.substring("t 0 1 ".length()));
            hashes[5] ^= 1;
            String changed = text.replace(tile, "t 0 1 " + java.util.Base64.getEncoder().encodeToString(hashes));
            AuditReport report = verifyBundle(changed.getBytes(StandardCharsets.UTF_8), scratch.dir(), null);
            List<org.custody.audit.Finding> i08 = report.findings().stream()
                    .filter(f -> f.code() == org.custody.audit.FindingCode.I08).toList();
            assertEquals(1, i08.size(), ReportWriter.text(report, java.time.ZoneOffset.UTC));
            assertEquals(31, i08.get(0).seq(), "named at the entry that completes tile (0, 1), as for a file");
            assertTrue(i08.get(0).message().contains("tile (0, 1)"), i08.get(0).message());
        }
    }

    @Test
    void bundleThatChangesBetweenItsTwoReads_isRefused_notReportedOnAMix() throws IOException {
        // the same structure, another entry: only the later reads see it
        assertRefusedWhenChangedBetweenReads(text -> {
            String entry = text.lines().filter(l -> l.startsWith("e 5 ")).findFirst().orElseThrow();
            return text.replace(entry + "\n", "").replace("e 6 ", "e 5 ");
        });
    }

    @Test
    void bundleWhoseEntryIsEditedBetweenTheReads_isRefused() throws IOException {
        assertRefusedWhenChangedBetweenReads(text -> {
            String entry = text.lines().filter(l -> l.startsWith("e 20 ")).findFirst().orElseThrow();
            String edited = entry.replaceFirst("\"at\":\"2", "\"at\":\"1");
            assertTrue(!edited.equals(entry), entry);
            return text.replace(entry, edited);
        });
    }

    /** The golden bundle read once, then changed by {@code change} before the verifier reads its entries again. */
    private static void assertRefusedWhenChangedBetweenReads(java.util.function.UnaryOperator<String> change) throws IOException {
        try (Scratch scratch = new Scratch()) {
            Path bundle = scratch.file("golden.bundle");
            byte[] golden = resource(BundleVectors.VALID);
            Files.write(bundle, golden);
            BundleSource source = BundleSource.read(bundle);
            Files.write(bundle, change.apply(new String(golden, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            MalformedBundleException e = assertThrows(MalformedBundleException.class,
                    () -> LedgerVerifier.verify(source, LedgerVerifier.Options.defaults().withThreads(1), null));
            assertTrue(e.getMessage().contains("changed while it was being verified"), e.getMessage());
        }
    }

    @Test
    void tileLinesNoEntryCanComplete_areCountedNotKept_andReported() throws IOException {
        String text = new String(resource(BundleVectors.VALID), StandardCharsets.UTF_8);
        String[] end = text.lines().filter(l -> l.startsWith("end ")).findFirst().orElseThrow().split(" ");
        int extra = 50_000;
        StringBuilder tiles = new StringBuilder();
        for (int i = 0; i < extra; i++) {
            tiles.append("t 9 ").append(i).append(" \n");
        }
        String firstCheckpoint = text.lines().filter(l -> l.startsWith("c ")).findFirst().orElseThrow();
        String changed = text.replace(firstCheckpoint + "\n", tiles + firstCheckpoint + "\n")
                .replace(String.join(" ", end), "end " + end[1] + " " + (Long.parseLong(end[2]) + extra) + " " + end[3]);
        try (Scratch scratch = new Scratch()) {
            AuditReport report = verifyBundle(changed.getBytes(StandardCharsets.UTF_8), scratch.dir(), null);
            assertTrue(report.findings().stream().anyMatch(f -> f.code() == org.custody.audit.FindingCode.I08
                    && f.message().contains("has " + (Long.parseLong(end[2]) + extra) + " tiles")),
                    ReportWriter.text(report, java.time.ZoneOffset.UTC));
        }
    }

    private static AuditReport assertSameReport(Path file, Scratch scratch) {
        AuditReport fromFile = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().withThreads(1));
        Path work = scratch.dir().resolve("work");
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        AuditReport fromBundle = verifyBundle(export(file), work, null);
        assertEquals(ReportWriter.json(withoutI11(fromFile)), ReportWriter.json(withoutI11(fromBundle)));
        assertTrue(fromFile.findings().containsAll(fromBundle.findings(org.custody.audit.FindingCode.I11)),
                "the bundle's I11 findings (its metadata) are the file's");
        return fromFile;
    }

    /**
     * The report without its I11 findings: a bundle carries no index tables or index columns (formats.md §11), so the
     * file's findings about those are the one part of its report a bundle cannot give.
     */
    static AuditReport withoutI11(AuditReport r) {
        java.util.Map<org.custody.audit.FindingCode, Long> counts = new java.util.EnumMap<>(r.counts());
        counts.remove(org.custody.audit.FindingCode.I11);
        return new AuditReport(r.ledger(), r.asOf(), r.entries(), r.head(),
                r.findings().stream().filter(f -> f.code() != org.custody.audit.FindingCode.I11).toList(), counts,
                r.exceptions(), r.exceptionCount(), r.untrustedCosignatures());
    }

    private static List<Path> listDir(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("bundle-")).toList();
        }
    }
}
