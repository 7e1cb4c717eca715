package org.custody.cli.qr;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A handoff receipt (交接单) as a PDF: on A4, the title with the QR code at the top right and the fields in a table
 * below; on an 80 mm receipt roll, one column (the fields, then the code, then the footer) on a page exactly as long as
 * its content, as a thermal printer fed through CUPS ({@code lp}) prints it. All text is set in {@link LabelFont}, a
 * subset of which the PDF embeds, as for labels.
 */
public final class ReceiptSlip {
    /** The paper a receipt is laid out for. */
    public enum Paper {
        /** ISO A4 portrait, for an office printer. */
        A4("a4"),
        /** An 80 mm receipt roll (72 mm printable), for a thermal receipt printer. */
        ROLL_80MM("80mm");

        private final String option;

        Paper(String option) {
            this.option = option;
        }

        /** The name a user gives ({@code a4}, {@code 80mm}). */
        public String option() {
            return option;
        }

        /** The paper named {@code option}, or {@code null} if none is. */
        public static Paper of(String option) {
            for (Paper p : values()) {
                if (p.option.equalsIgnoreCase(option.strip())) {
                    return p;
                }
            }
            return null;
        }
    }

    /** A field: its name (Chinese and English) and value (possibly several lines). */
    public record Line(String name, String value) {
        public Line {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * What a receipt shows.
     *
     * @param title    the heading, e.g. 试卷交接单 Handoff receipt
     * @param subtitle the line under it (ledger and entry)
     * @param lines    the fields, in order
     * @param payload  the text of the QR code
     * @param footer   small print at the end (how to verify)
     */
    public record Content(String title, String subtitle, List<Line> lines, String payload, List<String> footer) {
        public Content {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(subtitle, "subtitle");
            Objects.requireNonNull(payload, "payload");
            lines = List.copyOf(lines);
            footer = List.copyOf(footer);
        }

        List<String> texts() {
            List<String> t = new ArrayList<>(List.of(title, subtitle));
            lines.forEach(l -> {
                t.add(l.name());
                t.add(l.value());
            });
            t.addAll(footer);
            return t;
        }
    }

    /** Width of an 80 mm roll, in points. */
    static final float ROLL_WIDTH = 80 / 25.4f * 72;
    /** Margin on the roll: 4 mm a side leaves the 72 mm most 80 mm printers print. */
    static final float ROLL_MARGIN = 4 / 25.4f * 72;
    /** Side of the code on the roll: 50 mm. */
    static final float ROLL_CODE = 50 / 25.4f * 72;
    /** Side of the code on A4: 60 mm. */
    static final float A4_CODE = 60 / 25.4f * 72;
    private static final float A4_MARGIN = 40f;
    private static final Color GREY = new Color(0x55, 0x55, 0x55);
    private static final Color LINE = new Color(0xb0, 0xb0, 0xb0);

    private ReceiptSlip() {}

    /** Writes {@code content} as a PDF for {@code paper} to {@code out} (not closed). */
    public static void write(Content content, Paper paper, String documentTitle, OutputStream out) throws IOException {
        BaseFont font = LabelFont.create();
        LabelFont.requireGlyphs(font, "the receipt", content.texts());
        try {
            Image code = Image.getInstance(QrCodes.png(content.payload(), 8));
            PdfPTable body = paper == Paper.A4 ? a4(content, font, code) : roll(content, font, code);
            Rectangle page = PageSize.A4;
            float margin = A4_MARGIN;
            if (paper == Paper.ROLL_80MM) {
                margin = ROLL_MARGIN;
                page = new Rectangle(ROLL_WIDTH, body.getTotalHeight() + 2 * margin + 4);
            }
            Document document = new Document(page, margin, margin, margin, margin);
            try {
                PdfWriter writer = PdfWriter.getInstance(document, out);
                writer.setCloseStream(false);
                document.addTitle(documentTitle);
                document.addCreator("custody receipt");
                document.open();
                document.add(body);
            } finally {
                if (document.isOpen()) {
                    document.close();
                }
            }
        } catch (DocumentException e) {
            throw new IOException("cannot write the receipt: " + e.getMessage(), e);
        }
    }

    /** A4: title and subtitle left, the code right; the fields in a two-column table below; the footer last. */
    private static PdfPTable a4(Content c, BaseFont font, Image code) {
        float width = PageSize.A4.getWidth() - 2 * A4_MARGIN;
        PdfPTable t = new PdfPTable(new float[] {0.28f, 0.72f});
        t.setTotalWidth(width);
        t.setLockedWidth(true);
        t.setHeaderRows(0);
        PdfPTable head = new PdfPTable(new float[] {width - A4_CODE - 8, A4_CODE + 8});
        Paragraph title = new Paragraph();
        title.add(new Phrase(c.title() + "\n", new Font(font, 20f, Font.BOLD)));
        title.add(new Phrase(c.subtitle(), new Font(font, 10f, Font.NORMAL, GREY)));
        head.addCell(plain(title, Element.ALIGN_TOP));
        code.scaleAbsolute(A4_CODE, A4_CODE);
        PdfPCell codeCell = new PdfPCell(code, false);
        codeCell.setBorder(Rectangle.NO_BORDER);
        codeCell.setHorizontalAlignment(Element.ALIGN_RIGHT);
        head.addCell(codeCell);
        PdfPCell headCell = new PdfPCell(head);
        headCell.setColspan(2);
        headCell.setBorder(Rectangle.NO_BORDER);
        headCell.setPaddingBottom(10);
        t.addCell(headCell);
        for (Line l : c.lines()) {
            PdfPCell name = new PdfPCell(new Phrase(l.name(), new Font(font, 9.5f, Font.NORMAL, GREY)));
            PdfPCell value = new PdfPCell(new Phrase(l.value(), new Font(font, 10.5f, Font.NORMAL)));
            for (PdfPCell cell : List.of(name, value)) {
                cell.setBorderColor(LINE);
                cell.setBorderWidth(0.5f);
                cell.setPadding(4);
                t.addCell(cell);
            }
        }
        PdfPCell foot = plain(footer(c, font, 8.5f), Element.ALIGN_TOP);
        foot.setColspan(2);
        foot.setPaddingTop(8);
        t.addCell(foot);
        return t;
    }

    /** The roll: one column of name over value, the code, the footer. */
    private static PdfPTable roll(Content c, BaseFont font, Image code) {
        PdfPTable t = new PdfPTable(1);
        t.setTotalWidth(ROLL_WIDTH - 2 * ROLL_MARGIN);
        t.setLockedWidth(true);
        Paragraph title = new Paragraph();
        title.setAlignment(Element.ALIGN_CENTER);
        title.add(new Phrase(c.title() + "\n", new Font(font, 13f, Font.BOLD)));
        title.add(new Phrase(c.subtitle(), new Font(font, 8f, Font.NORMAL, GREY)));
        PdfPCell head = plain(title, Element.ALIGN_TOP);
        head.setHorizontalAlignment(Element.ALIGN_CENTER);
        head.setPaddingBottom(4);
        t.addCell(head);
        for (Line l : c.lines()) {
            Paragraph p = new Paragraph();
            p.add(new Phrase(l.name() + "\n", new Font(font, 7f, Font.NORMAL, GREY)));
            p.add(new Phrase(l.value(), new Font(font, 8.5f, Font.NORMAL)));
            p.setLeading(10.5f);
            PdfPCell cell = plain(p, Element.ALIGN_TOP);
            cell.setBorder(Rectangle.BOTTOM);
            cell.setBorderColor(LINE);
            cell.setBorderWidth(0.5f);
            cell.setPaddingBottom(3);
            t.addCell(cell);
        }
        code.scaleAbsolute(ROLL_CODE, ROLL_CODE);
        PdfPCell codeCell = new PdfPCell(code, false);
        codeCell.setBorder(Rectangle.NO_BORDER);
        codeCell.setHorizontalAlignment(Element.ALIGN_CENTER);
        codeCell.setPaddingTop(6);
        codeCell.setPaddingBottom(4);
        t.addCell(codeCell);
        t.addCell(plain(footer(c, font, 6.5f), Element.ALIGN_TOP));
        return t;
    }

    private static Paragraph footer(Content c, BaseFont font, float size) {
        Paragraph p = new Paragraph();
        p.add(new Phrase(String.join("\n", c.footer()), new Font(font, size, Font.NORMAL, GREY)));
        p.setLeading(size * 1.3f);
        return p;
    }

    private static PdfPCell plain(Paragraph p, int vertical) {
        PdfPCell cell = new PdfPCell();
        cell.addElement(p);
        cell.setBorder(Rectangle.NO_BORDER);
        cell.setVerticalAlignment(vertical);
        return cell;
    }
}
