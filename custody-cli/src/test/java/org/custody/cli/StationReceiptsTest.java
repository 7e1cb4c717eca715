package org.custody.cli;

import static org.custody.cli.StationFixture.MORNING;
import static org.custody.cli.StationFixture.Q1;
import static org.custody.cli.StationFixture.Q2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.custody.cli.qr.QrReader;
import org.custody.cli.qr.ReceiptSlip;
import org.custody.ledger.Appended;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Step;
import org.custody.receipt.Receipt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station's receipt after a handoff, on the real station fixture: the PDF kept in the receipts folder, its code the
 * entry's receipt (rendered by Poppler and decoded), the printer command given the file; a printer that fails is
 * reported and the handoff stays recorded.
 */
class StationReceiptsTest {
    @TempDir
    static Path shared;
    static StationFixture made;

    @TempDir
    Path dir;
    StationFixture f;

    @BeforeAll
    static void makeLedger() throws Exception {
        made = StationFixture.create(shared);
    }

    @BeforeEach
    void copy() throws Exception {
        f = made.copyTo(dir);
    }

    private static PersonId p(String id) {
        return PersonId.of(id);
    }

    /** A distribution of Q1 and Q2 at the vault, signed and appended by a station making receipts as {@code receipts} says. */
    private String distribute(StationReceipts receipts, List<Appended> appended) {
        try (Station s = f.station("VAULT", new StationFixture.HandClock(MORNING), Duration.ofMinutes(10))) {
            s.receipts(receipts);
            for (BagId b : List.of(Q1, Q2)) {
                assertTrue(s.scan(f.label(b).payload()).ok());
            }
            s.signIn(List.of(f.credential("P007"), f.credential("P011"), f.credential("P006"), f.credential("P009")));
            Station.Prepared prepared = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"),
                    List.of(p("P006"), p("P009")), Map.of(), Map.of(), null, null, null));
            for (PersonId party : prepared.draft().missing()) {
                s.sign(prepared, party);
            }
            Appended done = s.append(prepared);
            appended.add(done);
            return s.receipt(done);
        }
    }

    @Test
    void afterAHandoff_theReceiptIsKeptAndGivenToThePrinter_itsCodeTheEntrysReceipt() throws Exception {
        Path folder = dir.resolve("receipts");
        Path spool = Files.createDirectory(dir.resolve("spool"));
        List<Appended> appended = new java.util.ArrayList<>();
        // the "printer": GNU cp copying the file it is given into the spool folder
        String shown = distribute(new StationReceipts(folder, "cp -t " + spool, ReceiptSlip.Paper.ROLL_80MM, StationFixture.ZONE,
                new StationFixture.HandClock(MORNING)), appended);
        long seq = appended.get(0).seq();
        Path pdf;
        try (var files = Files.list(folder)) {
            pdf = files.findFirst().orElseThrow();
        }
        assertTrue(pdf.getFileName().toString().endsWith("-" + seq + ".pdf"), pdf.toString());
        assertTrue(shown.contains("written to " + pdf) && shown.contains("sent to the printer"), shown);
        try (var printed = Files.list(spool)) {
            assertEquals(List.of(pdf.getFileName()), printed.map(Path::getFileName).toList(), "the printer got the file");
        }
        Path png = dir.resolve("page");
        LabelPdfFontsTest.poppler("pdftoppm", "-r", "150", "-png", "-singlefile", pdf.toString(), png.toString());
        List<String> codes = QrReader.decode(ImageIO.read(dir.resolve("page.png").toFile()));
        assertEquals(1, codes.size(), codes.toString());
        Receipt r = Receipt.parse(codes.get(0));
        assertEquals(seq, r.seq());
        assertEquals(appended.get(0).hash(), r.entry());
        Cli.Result verified = Cli.run("", "receipt", "verify", "--ledger", f.ledger.toString(), dir.resolve("page.png").toString());
        assertEquals(0, verified.status(), verified.out() + verified.err());
    }

    @Test
    void aPrinterThatFails_isReported_theHandoffStaysRecorded() {
        List<Appended> appended = new java.util.ArrayList<>();
        long before = f.size();
        String shown = distribute(new StationReceipts(null, "false", ReceiptSlip.Paper.A4, StationFixture.ZONE,
                new StationFixture.HandClock(MORNING)), appended);
        assertTrue(shown.contains("receipt NOT printed") && shown.contains("'false' failed (exit 1)")
                && shown.contains("custody receipt " + appended.get(0).seq()), shown);
        assertEquals(before + 1, f.size());
    }

    @Test
    void withoutReceiptsOptions_theStationMakesNone() {
        assertEquals(null, distribute(new StationReceipts(null, null, ReceiptSlip.Paper.ROLL_80MM, StationFixture.ZONE,
                new StationFixture.HandClock(MORNING)), new java.util.ArrayList<>()));
    }
}
