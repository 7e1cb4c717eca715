package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label sheets print on a machine with no Chinese font: {@code custody label --pdf} is checked with Poppler's own tools
 * (Debian's poppler-utils; .ci/run installs them), run as processes on the real PDF. {@code pdffonts} must list every
 * font as embedded; {@code pdftotext} must give back the site and subject names of the room plan, rare characters
 * (龘, and 𠀾 U+2003E of CJK Extension B) included; {@code pdftoppm} renders the page, and each of those characters
 * must be drawn as a glyph of its own, not as the same empty box.
 */
class LabelPdfFontsTest {
    static final String EXAM = "ZK-2026";
    /** A site name with a 48-stroke character and an Extension B one (outside the Basic Multilingual Plane). */
    static final String RARE_SITE = "龘\uD840\uDC3E书院考点";
    static final BagId PLAIN = BagId.of("ZK-2026.K01.01.S1.00015.A");
    static final BagId RARE = BagId.of("ZK-2026.K02.07.S1.00015.A");
    static final BagId UNNAMED = BagId.of("ZK-2026.K02.07.S2.00016.A");

    @TempDir
    Path dir;
    Path ledgerFile;
    Path plan;
    final SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);

    @BeforeEach
    void createLedgerAndPlan() throws IOException {
        ledgerFile = dir.resolve("ledger.db");
        List<Founder> founders = List.of(new Founder(Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER), key.publicKey()));
        List<Bag> bags = List.of(
                Bag.papers(PLAIN, BagKind.QUESTION_PAPER, EXAM, "K01", "01", "S1", "00015", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(RARE, BagKind.QUESTION_PAPER, EXAM, "K02", "07", "S1", "00015", "A", 28, Secrecy.CONFIDENTIAL),
                Bag.papers(UNNAMED, BagKind.QUESTION_PAPER, EXAM, "K02", "07", "S2", "00016", "A", 28, Secrecy.CONFIDENTIAL),
                Bag.container(BagId.of("ZK-2026.BOX.K02.S1"), BagKind.TRANSPORT_BOX, EXAM, "K02", "S1"));
        Instant t = Instant.parse("2026-04-01T01:00:00Z");
        try (Ledger ledger = Ledger.create(ledgerFile, sign(new Genesis(RecordId.of("g"), LedgerId.of(EXAM), t, Suite.ED25519_SHA256, founders)))) {
            ledger.append(sign(new Registration(RecordId.of("reg"), LedgerId.of(EXAM), t.plusSeconds(60), bags, List.of(PersonId.of("P001")))));
        }
        // the sample plan's shape (../shared/sample-exam/plan.csv); 00016 has no subject_name
        plan = Files.writeString(dir.resolve("plan.csv"), "exam,site,site_name,room,standard_room,session,subject,subject_name,"
                + "starts_at,ends_at,candidates,sets\n"
                + "ZK-2026,K01,湘江学院考点,01,true,S1,00015,英语（二）,2026-04-11T09:00:00+08:00,2026-04-11T11:30:00+08:00,30,A\n"
                + "ZK-2026,K02," + RARE_SITE + ",07,true,S1,00015,英语（二）,2026-04-11T09:00:00+08:00,2026-04-11T11:30:00+08:00,28,A\n"
                + "ZK-2026,K02," + RARE_SITE + ",07,true,S2,00016,,2026-04-11T14:30:00+08:00,2026-04-11T17:00:00+08:00,28,A\n",
                StandardCharsets.UTF_8);
    }

    private SignedRecord sign(Record r) {
        return SignedRecord.unsigned(r).signedBy(key);
    }

    record Result(int status, String out, String err) {}

    private static Result custody(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    /** Runs a Poppler tool; fails (never skips) when it is not installed. */
    static String poppler(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed: install Debian's poppler-utils (.ci/run does): " + e.getMessage(), e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private Path labels() {
        Path pdf = dir.resolve("labels.pdf");
        Result r = custody("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString(), "--plan", plan.toString());
        assertEquals(0, r.status(), r.err());
        return pdf;
    }

    /** The rows of {@code pdffonts}: name and emb column of each font the PDF uses. */
    static List<String[]> fonts(String pdffonts) {
        List<String[]> fonts = new ArrayList<>();
        String[] lines = pdffonts.split("\n");
        assertTrue(lines.length >= 2 && lines[0].startsWith("name") && lines[1].startsWith("---"), pdffonts);
        for (int i = 2; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            // name type(may hold spaces) encoding emb sub uni object-number generation: read emb from the right
            String[] cols = lines[i].trim().split("\\s+");
            fonts.add(new String[] {cols[0], cols[cols.length - 5]});
        }
        return fonts;
    }

    @Test
    void label_pdf_everyFontEmbedded_notoSansCjkSubset() throws Exception {
        String out = poppler("pdffonts", labels().toString());
        List<String[]> fonts = fonts(out);
        assertFalse(fonts.isEmpty(), out);
        for (String[] f : fonts) {
            assertEquals("yes", f[1], "font " + f[0] + " is not embedded:\n" + out);
            // a subset: six capital letters and '+' before the PostScript name
            assertTrue(f[0].matches("[A-Z]{6}\\+NotoSansCJKsc-Regular.*"), "not a Noto Sans CJK subset: " + f[0] + "\n" + out);
        }
    }

    @Test
    void label_pdf_textGivesBackSiteAndSubjectNamesWithRareCharacters() throws Exception {
        Result r = custody("label", "--ledger", ledgerFile.toString(), "--pdf", dir.resolve("labels.pdf").toString(),
                "--plan", plan.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("names no subject 00016 of exam ZK-2026; its labels show the code only"), r.err());
        String text = poppler("pdftotext", "-layout", dir.resolve("labels.pdf").toString(), "-");
        for (String s : List.of("K01 湘江学院考点 01 考场", "K02 " + RARE_SITE + " 07 考场", "00015 英语（二）", "龘", "\uD840\uDC3E",
                "袋号", "科目", PLAIN.value(), RARE.value(), UNNAMED.value())) {
            assertTrue(text.contains(s), "'" + s + "' missing from pdftotext's text:\n" + text);
        }
        // the box carries the site's name too; 00016 is named nowhere, so shown by its code alone
        assertTrue(text.contains("K02 " + RARE_SITE + "\n") || text.contains("K02 " + RARE_SITE + " "), text);
        assertTrue(Pattern.compile("00016\\s").matcher(text).find(), text);
    }

    @Test
    void label_pdf_renderedRareCharactersAreGlyphsOfTheirOwn() throws Exception {
        Path pdf = labels();
        BufferedImage page = render(pdf);
        List<BufferedImage> cells = cells(pdf, page, RARE_SITE);
        assertEquals(RARE_SITE.codePointCount(0, RARE_SITE.length()), cells.size());
        assertDistinctGlyphs(RARE_SITE, cells);
    }

    /** The check above can fail: 口 looks like the empty box a missing glyph prints as, and three of them are one shape. */
    @Test
    void distinctGlyphCheck_threeBoxes_fails() throws Exception {
        Files.writeString(plan, Files.readString(plan).replace(RARE_SITE, "口口口考点"));
        Path pdf = labels();
        List<BufferedImage> cells = cells(pdf, render(pdf), "口口口考点");
        AssertionError e = assertThrows(AssertionError.class,
                () -> assertDistinctGlyphs("口口口考点", cells));
        assertTrue(e.getMessage().contains("'口' and '口' are drawn alike"), e.getMessage());
    }

    @Test
    void label_characterTheFontLacks_refusedNotDropped() throws Exception {
        // Thai ก: Noto Sans CJK has no glyph for it; the label must not silently print without it
        Files.writeString(plan, Files.readString(plan).replace("湘江学院考点", "湘江ก考点"));
        Path pdf = dir.resolve("labels.pdf");
        Result r = custody("label", "--ledger", ledgerFile.toString(), "--pdf", pdf.toString(), "--plan", plan.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("U+0E01"), r.err());
        assertFalse(Files.exists(pdf));
    }

    @Test
    void label_longestNames_smallerTypeEveryLinePrinted() throws Exception {
        String site = "湖南省长沙市岳麓区麓山南路湖南师范大学附属中学第二考点";
        String subject = "马克思主义基本原理概论与中国近现代史纲要综合";
        assertTrue(site.length() <= RoomPlan.MAX_NAME && subject.length() <= RoomPlan.MAX_NAME);
        Files.writeString(plan, Files.readString(plan).replace("湘江学院考点", site).replace("英语（二）", subject));
        String text = poppler("pdftotext", labels().toString(), "-").replaceAll("\\s+", "");
        // every label's text to its last line, the seal entry: long names wrap and shrink, nothing is cut off
        for (String s : List.of(site, subject, "封装记录#1")) {
            assertTrue(text.contains(s), "'" + s + "' missing from pdftotext's text:\n" + text);
        }
        assertEquals(4, text.split("封装记录", -1).length - 1, text);
    }

    /** Page 1 rendered by pdftoppm at 150 dpi, as a grey image. */
    private BufferedImage render(Path pdf) throws Exception {
        Path prefix = dir.resolve("page");
        poppler("pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", pdf.toString(), prefix.toString());
        BufferedImage image = ImageIO.read(dir.resolve("page.png").toFile());
        assertTrue(image != null && image.getWidth() > 1000, "pdftoppm gave no page image");
        return image;
    }

    private static final Pattern WORD = Pattern.compile(
            "<word xMin=\"([\\d.]+)\" yMin=\"([\\d.]+)\" xMax=\"([\\d.]+)\" yMax=\"([\\d.]+)\">([^<]*)</word>");

    /**
     * The rendered cell of each character of {@code word} (all full-width, one em each) on page 1, where
     * {@code pdftotext -bbox} places the first occurrence of that word.
     */
    private static List<BufferedImage> cells(Path pdf, BufferedImage page, String word) throws Exception {
        String boxes = poppler("pdftotext", "-bbox", "-f", "1", "-l", "1", pdf.toString(), "-");
        Matcher m = WORD.matcher(boxes);
        while (m.find()) {
            if (m.group(5).equals(word)) {
                double scale = 150 / 72.0;
                double x0 = Double.parseDouble(m.group(1)) * scale;
                double y0 = Double.parseDouble(m.group(2)) * scale;
                double x1 = Double.parseDouble(m.group(3)) * scale;
                double y1 = Double.parseDouble(m.group(4)) * scale;
                int n = word.codePointCount(0, word.length());
                double w = (x1 - x0) / n;
                List<BufferedImage> cells = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    cells.add(page.getSubimage((int) Math.floor(x0 + i * w), (int) Math.floor(y0), (int) Math.ceil(w), (int) Math.ceil(y1 - y0)));
                }
                return cells;
            }
        }
        throw new AssertionError("pdftotext -bbox finds no word '" + word + "' on page 1:\n" + boxes);
    }

    /**
     * Each cell holds ink, and no two different characters are drawn alike: a missing glyph prints as one and the same
     * box (or nothing) for every character, so two rare characters in boxes look the same. Shapes are compared on their
     * ink's bounding box scaled to 24 × 24, black and white.
     */
    static void assertDistinctGlyphs(String word, List<BufferedImage> cells) {
        int[] cps = word.codePoints().toArray();
        List<boolean[]> shapes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            boolean[] shape = shape(cells.get(i));
            assertTrue(shape != null, "no ink where '" + Character.toString(cps[i]) + "' should be drawn");
            shapes.add(shape);
        }
        for (int i = 0; i < shapes.size(); i++) {
            for (int j = i + 1; j < shapes.size(); j++) {
                int differ = 0;
                for (int k = 0; k < shapes.get(i).length; k++) {
                    differ += shapes.get(i)[k] != shapes.get(j)[k] ? 1 : 0;
                }
                double share = differ / (double) shapes.get(i).length;
                assertTrue(share > 0.12, "'" + Character.toString(cps[i]) + "' and '" + Character.toString(cps[j])
                        + "' are drawn alike (" + Math.round(share * 100) + "% of pixels differ): a missing glyph?");
            }
        }
    }

    private static final int SIDE = 24;

    private static boolean[] shape(BufferedImage cell) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < cell.getHeight(); y++) {
            for (int x = 0; x < cell.getWidth(); x++) {
                if (dark(cell, x, y)) {
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return null;
        }
        boolean[] shape = new boolean[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int sx = minX + (int) ((x + 0.5) * (maxX - minX + 1) / SIDE);
                int sy = minY + (int) ((y + 0.5) * (maxY - minY + 1) / SIDE);
                shape[y * SIDE + x] = dark(cell, sx, sy);
            }
        }
        return shape;
    }

    private static boolean dark(BufferedImage image, int x, int y) {
        return (image.getRGB(x, y) & 0xff) < 128;
    }
}
