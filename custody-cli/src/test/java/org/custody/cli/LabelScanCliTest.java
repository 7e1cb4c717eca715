package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.custody.cli.qr.PhotoSimulator;
import org.custody.cli.qr.QrCodes;
import org.custody.cli.qr.QrReader;
import org.custody.crypto.Suite;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcript tests of {@code custody label} and {@code custody scan} on a real ledger, with real QR PNGs and PDFs. */
class LabelScanCliTest {
    static final LedgerId LEDGER = LedgerId.of("HN-ZSB-2021");
    static final Instant T = Instant.parse("2021-06-02T01:00:00Z");
    static final BagId A = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.A");
    static final BagId B = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.B");
    static final BagId BOX = BagId.of("BOX-07");

    @TempDir
    Path dir;
    Path ledgerFile;
    List<BagId> papers = new ArrayList<>();
    final PrintCast cast = new PrintCast();

    private SignedRecord sign(Record r) {
        return cast.sign(r);
    }

    /** Twelve question-paper bags (rooms 01-06, sets A and B) and a box, registered at 1, scheduled at 2, printed at 3, sealed at 4. */
    @BeforeEach
    void createLedger() {
        ledgerFile = dir.resolve("ledger.db");
        List<Founder> founders = cast.founders();
        List<Bag> bags = new ArrayList<>();
        for (int room = 1; room <= 6; room++) {
            for (String set : List.of("A", "B")) {
                BagId id = BagId.of(String.format("HN-ZSB-2021.K01.%02d.S1.ENG.%s", room, set));
                papers.add(id);
                bags.add(Bag.papers(id, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", String.format("%02d", room), "S1", "ENG",
                        set, 30, Secrecy.CONFIDENTIAL));
            }
        }
        bags.add(Bag.container(BOX, BagKind.TRANSPORT_BOX, "HN-ZSB-2021", "K01"));
        try (Ledger ledger = Ledger.create(ledgerFile, sign(new Genesis(RecordId.of("g"), LEDGER, T, Suite.ED25519_SHA256, founders)))) {
            List<PersonId> by = List.of(PersonId.of("P001"));
            ledger.append(sign(new Registration(RecordId.of("reg"), LEDGER, T.plusSeconds(60), bags, by)));
            ledger.append(sign(new ScheduleRecord(RecordId.of("sched"), LEDGER, T.plusSeconds(90), "HN-ZSB-2021",
                    List.of(new ExamSession("S1", "ENG", Instant.parse("2021-06-09T01:00:00Z"), Instant.parse("2021-06-09T03:30:00Z"))), by)));
            handoff(ledger, "print", Step.PRINT, null, 120);
            handoff(ledger, "seal", Step.SEAL, "P002", 180);
        }
    }

    private void handoff(Ledger ledger, String id, Step step, String from, long seconds) {
        List<BagMove> moves = new ArrayList<>();
        for (BagId b : papers) {
            moves.add(BagMove.of(b, ledger.bagHead(b).orElseThrow()));
        }
        ledger.append(sign(Handoff.builder(step).id(RecordId.of(id)).ledger(LEDGER).at(T.plusSeconds(seconds))
                .from(from == null ? null : PersonId.of(from)).to(PersonId.of("P001")).witnesses(List.of(PersonId.of("P003")))
                .place(Place.of("PRINT-1", "湘印保密印刷厂")).bags(moves).build()));
    }

    record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    private static Result runWithInput(String input, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    private Label issued(BagId bag) {
        try (Ledger l = Ledger.open(ledgerFile)) {
            return l.label(bag);
        }
    }

    /** A label as a phone photographs it, saved as a JPEG file. */
    private Path photo(String payload, String name, long seed) throws Exception {
        BufferedImage img = PhotoSimulator.photo(QrCodes.image(payload, 10), PhotoSimulator.Distortion.typical(), seed);
        Path file = dir.resolve(name);
        Files.write(file, PhotoSimulator.jpegBytes(img, 0.8f));
        return file;
    }

    // ---------------------------------------------------------------- label

    @Test
    void label_pngAndPdf_everyBagWrittenAndPngsDecodeToTheirPayload() throws Exception {
        Path png = dir.resolve("png");
        Path pdf = dir.resolve("labels.pdf");
        Result r = run("label", "--ledger", ledgerFile.toString(), "--png", png.toString(), "--pdf", pdf.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("labels for 13 bags: 13 PNG in " + png + ", " + pdf + " (2 A4 pages)"), r.out());
        assertTrue(r.out().contains(A + "  seal entry 4  " + issued(A).payload()), r.out());
        for (BagId bag : papers) {
            BufferedImage image = ImageIO.read(png.resolve(bag.value() + ".png").toFile());
            String text = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
                    Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
            assertEquals(issued(bag).payload(), text, bag.value());
        }
        assertEquals(1, issued(BOX).seq());
        assertTrue(Files.exists(png.resolve("BOX-07.png")));
    }

    @Test
    void label_pdf_parsesWithTwoPagesAndTheReadableFields() throws Exception {
        Path pdf = dir.resolve("labels.pdf");
        assertEquals(0, run("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString()).status());
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertEquals(2, doc.getNumberOfPages());
            String text = new PDFTextStripper().getText(doc);
            for (String field : List.of("科目", "场次", "考场", "份数", "密级", "袋号", "机密", "试卷袋", "试卷运送专用箱",
                    "S1  06-09 09:00–11:30", "K01 考点 01 考场", "ENG", "30")) {
                assertTrue(text.contains(field), "'" + field + "' missing from the PDF text:\n" + text);
            }
            for (BagId bag : papers) {
                assertTrue(text.contains(bag.value()), bag.value());
            }
            PDFTextStripper page2 = new PDFTextStripper();
            page2.setStartPage(2);
            page2.setEndPage(2);
            String second = page2.getText(doc);
            assertTrue(second.contains("BOX-07") && second.contains(papers.get(11).value()), second);
        }
    }

    @Test
    void label_pdf_codesOnTheRenderedPageDecodeToTheLabels() throws Exception {
        Path pdf = dir.resolve("labels.pdf");
        assertEquals(0, run("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString()).status());
        Set<String> found = new HashSet<>();
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 150);
            int w = page.getWidth() / 2;
            int h = page.getHeight() / 5;
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 2; col++) {
                    found.addAll(QrReader.decode(page.getSubimage(col * w, row * h, w, h)));
                }
            }
        }
        Set<String> expected = new HashSet<>();
        for (BagId bag : papers.subList(0, 10)) {
            expected.add(issued(bag).payload());
        }
        assertEquals(expected, found);
    }

    @Test
    void label_oneBagOfASession_onlyThatBag() throws Exception {
        Path png = dir.resolve("png");
        Result r = run("label", "--ledger", ledgerFile.toString(), "--png", png.toString(), "--bag", A.value(), "--session", "S1");
        assertEquals(0, r.status(), r.err());
        try (var files = Files.list(png)) {
            assertEquals(List.of(png.resolve(A.value() + ".png")), files.toList());
        }
    }

    @Test
    void label_noOutputGiven_exit2SayingWhatToGive() {
        Result r = run("label", "--ledger", ledgerFile.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--png DIR, --pdf FILE"), r.err());
    }

    @Test
    void label_unknownBag_exit2NothingWritten() {
        Path pdf = dir.resolve("labels.pdf");
        Result r = run("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString(), "--bag", "K99.NOPE");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bag K99.NOPE is not registered"), r.err());
        assertFalse(Files.exists(pdf));
    }

    @Test
    void label_existingFile_exit2UnlessForced() throws Exception {
        Path pdf = dir.resolve("labels.pdf");
        Files.writeString(pdf, "keep me");
        Result r = run("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("exists; nothing was written (use --force"), r.err());
        assertEquals("keep me", Files.readString(pdf));
        assertEquals(0, run("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString(), "--force").status());
        assertTrue(Files.readString(pdf, StandardCharsets.ISO_8859_1).startsWith("%PDF-"));
    }

    @Test
    void label_missingLedger_exit2() {
        Result r = run("label", "--ledger", dir.resolve("none.db").toString(), "--pdf", dir.resolve("x.pdf").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error: no ledger at"), r.err());
    }

    // ---------------------------------------------------------------- scan: photos

    @Test
    void scan_photoOfGoodLabel_exit0Ok() throws Exception {
        Path photo = photo(issued(A).payload(), "a.jpg", 1);
        Result r = run("scan", "--ledger", ledgerFile.toString(), photo.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals(photo + "  " + A + "  OK  label matches seal entry 4 (标签相符)\n1 label: 1 OK\n", r.out());
    }

    @Test
    void scan_photoOfSwappedLabel_exit3I10WithExpectedAndFound() throws Exception {
        Label b = issued(B);
        Label forged = new Label(LEDGER, A, b.seq(), b.tag());
        Path photo = photo(forged.payload(), "forged.jpg", 2);
        Result r = run("scan", "--ledger", ledgerFile.toString(), photo.toString());
        assertEquals(3, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith(photo + "  " + A + "  I10 integrity/critical  the label of bag " + A
                + " names its seal entry 4 but its tag does not match that entry"), r.out());
        assertTrue(r.out().contains("(expected entry 4 tag " + issued(A).tag() + ", found entry 4 tag " + b.tag() + ")"), r.out());
        assertTrue(r.out().endsWith("1 label: 1 I10\n"), r.out());
    }

    @Test
    void scan_photoOfLabelPrintedBeforeSealing_exit3Stale() throws Exception {
        Label early;
        try (Ledger l = Ledger.open(ledgerFile)) {
            early = Label.bind(l.suite().hash(), LEDGER, A, 1, l.entry(1).orElseThrow().hash(l.suite().hash()));
        }
        Result r = run("scan", "--ledger", ledgerFile.toString(), photo(early.payload(), "early.jpg", 3).toString());
        assertEquals(3, r.status());
        assertTrue(r.out().contains("the label is stale"), r.out());
    }

    @Test
    void scan_json_listsEveryLabelWithStatusAndCode() throws Exception {
        Label b = issued(B);
        Path good = photo(issued(A).payload(), "a.jpg", 4);
        Path forged = photo(new Label(LEDGER, A, b.seq(), b.tag()).payload(), "forged.jpg", 5);
        Result r = run("scan", "--format", "json", "--ledger", ledgerFile.toString(), good.toString(), forged.toString());
        assertEquals(3, r.status());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("custody-scan/v1", json.get("schema").asText());
        assertEquals(3, json.get("exitStatus").asInt());
        JsonNode first = json.get("labels").get(0);
        assertEquals("ok", first.get("status").asText());
        assertEquals(A.value(), first.get("bag").asText());
        assertEquals(4, first.get("seq").asInt());
        JsonNode second = json.get("labels").get(1);
        assertEquals("mismatch", second.get("status").asText());
        assertEquals("I10", second.get("code").asText());
        assertEquals("entry 4 tag " + issued(A).tag(), second.get("expected").asText());
        assertEquals(issued(A).payload(), second.get("expectedLabel").asText());
    }

    @Test
    void scan_withoutLedger_readsButDoesNotCheck() throws Exception {
        Result r = run("scan", photo(issued(A).payload(), "a.jpg", 6).toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(A + "  read  ledger HN-ZSB-2021, seal entry 4 (not checked: give --ledger FILE)"), r.out());
    }

    @Test
    void scan_imageWithoutCode_exit2SayingRetake() throws Exception {
        BufferedImage blank = PhotoSimulator.photo(new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB),
                PhotoSimulator.Distortion.typical(), 7);
        Path file = dir.resolve("blank.jpg");
        Files.write(file, PhotoSimulator.jpegBytes(blank, 0.8f));
        Result r = run("scan", "--ledger", ledgerFile.toString(), file.toString());
        assertEquals(2, r.status());
        assertTrue(r.out().contains("error: no QR code found; retake the photo"), r.out());
    }

    @Test
    void scan_notAnImageOrMissing_exit2() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        Result r = run("scan", text.toString(), dir.resolve("gone.jpg").toString());
        assertEquals(2, r.status());
        assertTrue(r.out().contains(text + "  error: not an image this program reads"), r.out());
        assertTrue(r.out().contains("gone.jpg  error: no such file"), r.out());
        assertTrue(r.out().endsWith("2 labels: 2 errors\n"), r.out());
    }

    @Test
    void scan_photoOfAnotherQrCode_exit2NotACustodyLabel() throws Exception {
        Result r = run("scan", "--ledger", ledgerFile.toString(), photo("https://example.org/", "url.jpg", 8).toString());
        assertEquals(2, r.status());
        assertTrue(r.out().contains("error: label prefix: not a Custody label: it must start with CUSTODY1/"), r.out());
    }

    // ---------------------------------------------------------------- scan: USB scanner lines

    @Test
    void scan_scannerLines_eachCheckedInOrder() {
        Label a = issued(A);
        Label b = issued(B);
        String input = a.payload() + "\r\n"
                + "\n"
                + new Label(LEDGER, A, b.seq(), b.tag()).payload() + "\n"
                + a.payload().toLowerCase() + "\n"
                + new Label(LEDGER, BagId.of("K99.01.S1.ENG.A"), a.seq(), a.tag()).payload() + "\n"
                + new Label(LedgerId.of("HN-ZSB-2020"), A, a.seq(), a.tag()).payload() + "\n"
                + "  " + b.payload() + "  ";
        Result r = runWithInput(input, "scan", "--ledger", ledgerFile.toString());
        assertEquals(3, r.status(), r.out() + r.err());
        String[] lines = r.out().split("\n");
        assertEquals(7, lines.length, r.out());
        assertTrue(lines[0].startsWith("stdin:1  " + A + "  OK"), lines[0]);
        assertTrue(lines[1].startsWith("stdin:3  " + A + "  I10 integrity/critical  "), lines[1]);
        assertTrue(lines[2].startsWith("stdin:4  error: label prefix: starts with 'custody1/'") && lines[2].contains("Caps Lock"), lines[2]);
        assertTrue(lines[3].startsWith("stdin:5  K99.01.S1.ENG.A  I10 integrity/critical  UNKNOWN BAG  bag K99.01.S1.ENG.A is not registered"),
                lines[3]);
        assertTrue(lines[4].startsWith("stdin:6  " + A + "  OTHER LEDGER  the label of bag " + A + " is for ledger HN-ZSB-2020"), lines[4]);
        assertTrue(lines[5].startsWith("stdin:7  " + B + "  OK"), lines[5]);
        assertEquals("6 labels: 2 OK, 2 I10, 1 of another ledger, 1 error", lines[6]);
    }

    @Test
    void scan_labelOfAnotherLedgerOnly_exit2CheckItAgainstThatLedger() {
        Label a = issued(A);
        Result r = runWithInput(new Label(LedgerId.of("HN-ZSB-2020"), A, a.seq(), a.tag()).payload() + "\n",
                "scan", "--ledger", ledgerFile.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("OTHER LEDGER"), r.out());
    }

    @Test
    void scan_scannerLinesAllGood_exit0() {
        String input = issued(A).payload() + "\n" + issued(BOX).payload() + "\n";
        Result r = runWithInput(input, "scan", "--ledger", ledgerFile.toString(), "-");
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().endsWith("2 labels: 2 OK\n"), r.out());
    }

    @Test
    void scan_nothingScanned_exit2() {
        Result r = runWithInput("\n\n", "scan", "--ledger", ledgerFile.toString());
        assertEquals(2, r.status());
        assertTrue(r.out().contains("0 labels: nothing scanned"), r.out());
    }
}
