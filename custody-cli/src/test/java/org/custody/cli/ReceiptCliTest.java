package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.Witness;
import org.custody.cli.qr.PhotoSimulator;
import org.custody.cli.qr.QrReader;
import org.custody.crypto.Suite;
import org.custody.label.Label;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.receipt.Receipt;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custody receipt} on a real ledger: A4 and 80 mm PDFs checked with Poppler (every font embedded, the text
 * there, the page rendered and its QR code decoded), and receipts photographed crooked (perspective, blur, uneven
 * light, JPEG) verified against the ledger file, an export bundle and a bag's evidence; a receipt of an entry changed or
 * removed in the file is I09 (exit 3).
 */
class ReceiptCliTest {
    static final LedgerId LEDGER = LedgerId.of("HN-ZSB-2021");
    static final Instant T = Instant.parse("2021-06-02T01:00:00Z");
    static final BagId A = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.A");
    static final BagId B = BagId.of("HN-ZSB-2021.K01.02.S1.ENG.A");
    static final String INSPECTOR = "inspector.example/P003";

    @TempDir
    Path dir;
    Path ledgerFile;
    /** The seal handoff: P002 to P001, witnessed by P003, both bags with counts and seal numbers. */
    long seal;
    final PrintCast cast = new PrintCast("LOG");

    private SignedRecord sign(Record r) {
        return cast.sign(r);
    }

    @BeforeEach
    void createLedger() {
        ledgerFile = dir.resolve("ledger.db");
        List<Founder> founders = cast.founders();
        List<Bag> bags = List.of(
                Bag.papers(A, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(B, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "02", "S1", "ENG", "A", 29, Secrecy.CONFIDENTIAL));
        try (Ledger ledger = Ledger.create(ledgerFile, sign(new Genesis(RecordId.of("g"), LEDGER, T, Suite.ED25519_SHA256, founders)))) {
            ledger.append(sign(new Enrolment(RecordId.of("enrol-log"), LEDGER, T, Person.of("LOG", "Checkpoint signer",
                    Role.CHECKPOINT_SIGNER), cast.key("LOG").publicKey(), PersonId.of("P001"))));
            ledger.append(sign(new Registration(RecordId.of("reg"), LEDGER, T.plusSeconds(60), bags, List.of(PersonId.of("P001")))));
            ledger.append(sign(Handoff.builder(Step.PRINT).id(RecordId.of("print")).ledger(LEDGER).at(T.plusSeconds(120))
                    .to(PersonId.of("P002")).witnesses(List.of(PersonId.of("P003"))).place(Place.of("PRINT-1", "湘印保密印刷厂"))
                    .bags(List.of(BagMove.of(A, ledger.bagHead(A).orElseThrow()), BagMove.of(B, ledger.bagHead(B).orElseThrow())))
                    .build()));
            List<BagMove> moves = new ArrayList<>();
            int n = 0;
            for (BagId b : List.of(A, B)) {
                n++;
                moves.add(new BagMove(b, ledger.bagHead(b).orElseThrow(), 31 - n, null, null, "S-000" + n, SealState.INTACT, null));
            }
            seal = ledger.append(sign(Handoff.builder(Step.SEAL).id(RecordId.of("seal")).ledger(LEDGER).at(T.plusSeconds(180))
                    .from(PersonId.of("P002")).to(PersonId.of("P001")).witnesses(List.of(PersonId.of("P003")))
                    .place(Place.of("PRINT-1", "湘印保密印刷厂")).bags(moves).note("两袋封装完好").build())).seq();
        }
    }

    private static Cli.Result run(String... args) {
        return Cli.run("", args);
    }

    /** Runs with {@code input} as standard input, which {@code receipt verify} reads as a USB scanner's lines (as scan does). */
    private static Cli.Result runWithInput(String input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    /** Prints the receipt of {@code entry} on {@code paper}; returns the PDF and the payload it printed. */
    private Path receipt(String entry, String paper) {
        Path pdf = dir.resolve("receipt-" + entry + "-" + paper + ".pdf");
        Cli.Result r = run("receipt", entry, "--ledger", ledgerFile.toString(), "--pdf", pdf.toString(), "--paper", paper);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith(Receipt.PREFIX), r.out());
        return pdf;
    }

    /** The first page of {@code pdf} rendered by Poppler at {@code dpi}. */
    private BufferedImage render(Path pdf, int dpi) throws Exception {
        Path prefix = dir.resolve(pdf.getFileName() + "-page");
        LabelPdfFontsTest.poppler("pdftoppm", "-r", Integer.toString(dpi), "-png", "-singlefile", pdf.toString(), prefix.toString());
        return ImageIO.read(prefix.resolveSibling(prefix.getFileName() + ".png").toFile());
    }

    /**
     * A phone photo of the part of the receipt with the code, saved as JPEG: the top right of an A4 page, the bottom of a
     * roll (a square as wide as the roll, above the small print).
     */
    private Path photo(Path pdf, String paper, long seed) throws Exception {
        BufferedImage page = render(pdf, 150);
        BufferedImage part;
        if (paper.equals("a4")) {
            int side = page.getWidth() / 2;
            part = page.getSubimage(page.getWidth() - side, 0, side, side);
        } else {
            int side = page.getWidth();
            part = page.getSubimage(0, page.getHeight() - side - side / 5, side, side);
        }
        BufferedImage img = PhotoSimulator.photo(part, PhotoSimulator.Distortion.typical(), seed);
        Path file = dir.resolve(pdf.getFileName() + "-" + seed + ".jpg");
        Files.write(file, PhotoSimulator.jpegBytes(img, 0.8f));
        return file;
    }

    private String issued(long seq) {
        try (Ledger l = Ledger.open(ledgerFile)) {
            return org.custody.receipt.ReceiptCheck.issue(l, seq).payload();
        }
    }

    /** Signs a checkpoint and has P003 cosign it; returns the log's and the inspector's verifier keys. */
    private List<String> checkpointCosigned() {
        try (Ledger l = Ledger.open(ledgerFile)) {
            l.signCheckpoint(cast.key("LOG"));
            List<NoteKey> logKeys = l.checkpointKeys(l.head().size());
            try (Witness w = Witness.create(dir.resolve("w.state"), INSPECTOR, cast.key("P003"), logKeys,
                    Clock.fixed(Instant.parse("2021-06-03T00:00:00Z"), ZoneOffset.UTC))) {
                l.cosignLatest(w);
                return List.of(logKeys.get(0).toString(), w.key().toString());
            }
        }
    }

    private void editEntry(long seq, String from, String to) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile)) {
            byte[] body;
            try (PreparedStatement s = c.prepareStatement("SELECT body FROM entries WHERE seq = ?")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next());
                    body = rs.getBytes(1);
                }
            }
            String text = new String(body, StandardCharsets.UTF_8);
            assertTrue(text.contains(from), text);
            try (PreparedStatement s = c.prepareStatement("UPDATE entries SET body = ? WHERE seq = ?")) {
                s.setBytes(1, text.replace(from, to).getBytes(StandardCharsets.UTF_8));
                s.setLong(2, seq);
                assertEquals(1, s.executeUpdate());
            }
        }
    }

    // ---------------------------------------------------------------- printing

    @Test
    void receipt_a4And80mm_embedEveryFont_showTheHandoff_andTheRenderedCodeIsTheEntrysReceipt() throws Exception {
        String expected = issued(seal);
        for (String paper : List.of("a4", "80mm")) {
            Path pdf = receipt(Long.toString(seal), paper);
            List<String[]> fonts = LabelPdfFontsTest.fonts(LabelPdfFontsTest.poppler("pdffonts", pdf.toString()));
            assertTrue(!fonts.isEmpty(), paper);
            for (String[] f : fonts) {
                assertEquals("yes", f[1], paper + ": font " + f[0] + " is not embedded");
            }
            String text = LabelPdfFontsTest.poppler("pdftotext", "-layout", pdf.toString(), "-");
            for (String shown : List.of("试卷交接单", "封装", "许春娜 (P002)", "于涵敏 (P001)", "杨丹 (P003)", "湘印保密印刷厂",
                    "S-0001", "份数 count 30", "完好", "两袋封装完好", "2021-06-02 09:03:00", "Asia/Shanghai",
                    expected.substring(Receipt.PREFIX.length() + LEDGER.value().length() + 3, 0 + Receipt.PREFIX.length()
                            + LEDGER.value().length() + 3 + 8).toLowerCase(java.util.Locale.ROOT),
                    "尚未纳入检查点", cast.key("P002").id().hex())) {
                assertTrue(text.contains(shown), paper + ": '" + shown + "' not in\n" + text);
            }
            assertEquals(List.of(expected), QrReader.decode(render(pdf, 150)), paper);
            try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
                float width = doc.getPage(0).getMediaBox().getWidth();
                assertEquals(paper.equals("a4") ? 595.0 : 226.8, width, 1.0, paper + " page width in points");
                assertEquals(1, doc.getNumberOfPages(), paper);
            }
        }
    }

    @Test
    void receipt_refusesAnExistingFileAndANonEntry_writingNothing() throws Exception {
        Path pdf = receipt("last", "80mm");
        byte[] before = Files.readAllBytes(pdf);
        Cli.Result again = run("receipt", "last", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString(), "--paper", "80mm");
        assertEquals(2, again.status());
        assertTrue(again.err().contains("exists"), again.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(pdf)));
        Cli.Result none = run("receipt", "99", "--ledger", ledgerFile.toString(), "--pdf", dir.resolve("n.pdf").toString());
        assertEquals(2, none.status());
        assertTrue(none.err().contains("has no entry 99"), none.err());
        Cli.Result paper = run("receipt", "1", "--ledger", ledgerFile.toString(), "--pdf", dir.resolve("p.pdf").toString(), "--paper", "A5");
        assertEquals(2, paper.status());
        assertTrue(paper.err().contains("a4 or 80mm"), paper.err());
        assertTrue(!Files.exists(dir.resolve("n.pdf")) && !Files.exists(dir.resolve("p.pdf")));
    }

    // ---------------------------------------------------------------- verifying

    @Test
    void verify_crookedPhotosOfBothPapers_beforeAnyCheckpoint_heldNotYetInACheckpoint() throws Exception {
        Path a4 = photo(receipt(Long.toString(seal), "a4"), "a4", 1);
        Path roll = photo(receipt(Long.toString(seal), "80mm"), "80mm", 2);
        Cli.Result r = run("receipt", "verify", "--ledger", ledgerFile.toString(), a4.toString(), roll.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals(2, r.out().lines().filter(l -> l.contains("  entry " + seal + "  HELD  ")).count(), r.out());
        assertTrue(r.out().contains("no checkpoint covers it yet"), r.out());
        assertTrue(r.out().contains("ledger: handoff seal 封装, P002 → P001, 2021-06-02 09:03 Asia/Shanghai, 2 bags"), r.out());
        assertTrue(r.out().contains("2 receipts read; every one held by the ledger"), r.out());
    }

    @Test
    void verify_afterACosignedCheckpoint_againstTheLedgerABundleAndTheBagsEvidence_heldAndCosigned() throws Exception {
        Path early = photo(receipt(Long.toString(seal), "80mm"), "80mm", 3);
        List<String> vkeys = checkpointCosigned();
        Path late = photo(receipt(Long.toString(seal), "a4"), "a4", 4);
        assertTrue(issued(seal).contains("/" + (seal + 1) + "/"), "the late receipt names the checkpoint");

        Cli.Result file = run("receipt", "verify", "--ledger", ledgerFile.toString(), early.toString(), late.toString());
        assertEquals(0, file.status(), file.out() + file.err());
        assertEquals(2, file.out().lines().filter(l -> l.contains("cosigned by P003")).count(), file.out());

        Path bundle = dir.resolve("ledger.bundle");
        assertEquals(0, run("export", ledgerFile.toString(), "-o", bundle.toString()).status());
        Cli.Result fromBundle = run("receipt", "verify", "--bundle", bundle.toString(), late.toString());
        assertEquals(0, fromBundle.status(), fromBundle.out() + fromBundle.err());
        assertTrue(fromBundle.out().contains("cosigned by P003"), fromBundle.out());

        Path evidence = dir.resolve("A.evidence");
        assertEquals(0, run("export", ledgerFile.toString(), "--bag", A.value(), "-o", evidence.toString()).status());
        Cli.Result fromEvidence = run("receipt", "verify", "--evidence", evidence.toString(), "--log-key", vkeys.get(0),
                "--inspector-key", vkeys.get(1), early.toString());
        assertEquals(0, fromEvidence.status(), fromEvidence.out() + fromEvidence.err());
        assertTrue(fromEvidence.out().contains("HELD") && fromEvidence.out().contains("cosigned by " + INSPECTOR), fromEvidence.out());

        Cli.Result untrusted = run("receipt", "verify", "--evidence", evidence.toString(), "--log-key", vkeys.get(1), early.toString());
        assertEquals(3, untrusted.status(), untrusted.out() + untrusted.err());
        assertTrue(untrusted.err().contains("not vouched for"), untrusted.err());
    }

    @Test
    void verify_receiptOfAnEntryChangedInTheLedger_exit3_I09_inTheFileAndTheBundle() throws Exception {
        String early = issued(seal);
        checkpointCosigned();
        Path late = photo(receipt(Long.toString(seal), "a4"), "a4", 6);
        editEntry(seal, "S-0001", "S-0009"); // a seal number rewritten in the file, signatures and all left as they were
        Cli.Result r = run("receipt", "verify", "--ledger", ledgerFile.toString(), late.toString());
        assertEquals(3, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("CONTRADICTED"), r.out());
        assertTrue(r.out().contains("I09") && r.out().contains("changed or replaced after the receipt was printed"), r.out());
        assertTrue(r.out().contains("交接单"), r.out());
        assertTrue(r.out().contains("do not have the root of the checkpoint on the receipt"), "the late receipt's checkpoint too:\n" + r.out());

        Path bundle = dir.resolve("tampered.bundle");
        assertEquals(0, run("export", ledgerFile.toString(), "-o", bundle.toString()).status());
        Cli.Result fromBundle = runWithInput(early + "\n", "receipt", "verify", "--bundle", bundle.toString());
        assertEquals(3, fromBundle.status(), fromBundle.out());
        assertTrue(fromBundle.out().contains("changed or replaced"), "the receipt printed before the checkpoint too:\n" + fromBundle.out());
        assertTrue(fromBundle.out().contains("I09"), fromBundle.out());
    }

    @Test
    void verify_receiptOfARemovedEntry_exit3_I09() throws Exception {
        String printed = issued(seal);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledgerFile);
             PreparedStatement s = c.prepareStatement("DELETE FROM entries WHERE seq = ?")) {
            s.setLong(1, seal);
            assertEquals(1, s.executeUpdate());
        }
        Cli.Result r = runWithInput(printed + "\n", "receipt", "verify", "--ledger", ledgerFile.toString());
        assertEquals(3, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("I09") && r.out().contains("holds no entry at position " + seal), r.out());
    }

    @Test
    void verify_scannedText_fromStandardInput_held() {
        Cli.Result r = runWithInput(issued(seal) + "\r\n", "receipt", "verify", "--ledger", ledgerFile.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("stdin:1  entry " + seal + "  HELD"), r.out());
    }

    @Test
    void verify_labelPhotoBlankPhotoOtherLedgerAndMissingSource_exit2() throws Exception {
        Path label = dir.resolve("label.png");
        String labelPayload;
        try (Ledger l = Ledger.open(ledgerFile)) {
            labelPayload = l.label(A).payload();
        }
        Files.write(label, org.custody.cli.qr.QrCodes.png(labelPayload, 8));
        BufferedImage blank = new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_GRAY);
        Path empty = dir.resolve("blank.png");
        ImageIO.write(blank, "png", empty.toFile());
        Cli.Result r = run("receipt", "verify", "--ledger", ledgerFile.toString(), label.toString(), empty.toString());
        assertEquals(2, r.status(), r.out());
        assertTrue(r.out().contains("this is a bag label: use custody scan"), r.out());
        assertTrue(r.out().contains("no QR code found"), r.out());
        assertTrue(Label.parse(labelPayload).bag().equals(A));

        String other = Receipt.of(LedgerId.of("OTHER-2021"), seal, org.custody.crypto.HashAlgorithm.SHA_256.digest(new byte[1])).payload();
        Cli.Result o = runWithInput(other + "\n", "receipt", "verify", "--ledger", ledgerFile.toString());
        assertEquals(2, o.status(), o.out());
        assertTrue(o.out().contains("OTHER LEDGER"), o.out());

        Cli.Result none = run("receipt", "verify", label.toString());
        assertEquals(2, none.status());
        assertTrue(none.err().contains("exactly one of --ledger FILE, --bundle FILE or --evidence FILE"), none.err());
    }
}
