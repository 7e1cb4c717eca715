package org.custody.cli.qr;

import com.lowagie.text.Chunk;
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
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.custody.failure.MalformedInputException;

/**
 * Printable A4 sheets of labels (PDF), {@value #COLUMNS} × {@value #ROWS} to a page, each cell a QR code with its
 * readable fields beside it and a thin grey cutting line around it. All text, Chinese and Latin, is set in
 * {@link LabelFont} (Noto Sans CJK SC), a subset of which the PDF embeds: a label prints the same, rare characters
 * included, on a machine with no Chinese font, and needs no font installed where it is written.
 */
public final class LabelSheet {
    public static final int COLUMNS = 2;
    public static final int ROWS = 5;
    /** Side of the printed QR code, in points: 42 mm, about 0.9 mm to a module for a typical label. */
    static final float CODE_SIZE = 120f;
    private static final float MARGIN = 28f;
    private static final float PADDING = 6f;
    private static final float CODE_COLUMN = CODE_SIZE + 6;
    private static final float TEXT_COLUMN = (PageSize.A4.getWidth() - 2 * MARGIN) / COLUMNS - 2 * PADDING - CODE_COLUMN;
    /** Width of a line of text beside a code, in points (the column less the cell's own padding). */
    private static final float TEXT_WIDTH = TEXT_COLUMN - 6;
    /** The smallest type a label's text shrinks to, as a share of the usual size. */
    private static final float MIN_SCALE = 0.7f;
    private static final Color LINE = new Color(0xb0, 0xb0, 0xb0);

    private LabelSheet() {}

    /** Labels per page. */
    public static int perPage() {
        return COLUMNS * ROWS;
    }

    /** Writes {@code cards} as a PDF of A4 pages to {@code out} (not closed). */
    public static void write(List<LabelCard> cards, String title, OutputStream out) throws IOException {
        if (cards.isEmpty()) {
            throw new MalformedInputException("no labels to print");
        }
        // every label laid out before the document opens: a label that cannot be printed whole writes nothing
        BaseFont font = LabelFont.create();
        float cellHeight = (PageSize.A4.getHeight() - 2 * MARGIN) / ROWS - 0.5f;
        List<PdfPCell> cells = new ArrayList<>();
        for (LabelCard card : cards) {
            requireGlyphs(font, card);
            cells.add(cell(card, cellHeight, font));
        }
        Document document = new Document(PageSize.A4, MARGIN, MARGIN, MARGIN, MARGIN);
        try {
            PdfWriter writer = PdfWriter.getInstance(document, out);
            writer.setCloseStream(false);
            document.addTitle(title);
            document.addCreator("custody label");
            document.open();
            for (int start = 0; start < cards.size(); start += perPage()) {
                if (start > 0) {
                    document.newPage();
                }
                PdfPTable page = new PdfPTable(COLUMNS);
                page.setWidthPercentage(100);
                cells.subList(start, Math.min(cells.size(), start + perPage())).forEach(page::addCell);
                page.completeRow();
                document.add(page);
            }
        } catch (DocumentException e) {
            throw new IOException("cannot write the label sheet: " + e.getMessage(), e);
        } finally {
            if (document.isOpen()) {
                document.close();
            }
        }
    }

    /** Refuses a label with a character the font has no glyph for ({@link LabelFont#requireGlyphs}). */
    private static void requireGlyphs(BaseFont font, LabelCard card) {
        List<String> texts = new ArrayList<>(List.of(card.titleName(), card.title()));
        card.fields().forEach(f -> {
            texts.add(f.name());
            texts.add(f.value());
        });
        LabelFont.requireGlyphs(font, "the label of " + card.title(), texts);
    }

    /**
     * The readable fields beside a code, in the largest type (down to {@value #MIN_SCALE} of the usual 9/10 pt) that
     * fits {@code height}: long site or subject names shrink the text rather than lose its last lines.
     */
    private static Paragraph fitted(LabelCard card, BaseFont font, float height) {
        for (float scale = 1f; scale >= MIN_SCALE - 0.001f; scale -= 0.05f) {
            ColumnText column = new ColumnText(null);
            column.setSimpleColumn(0, 0, TEXT_WIDTH, height);
            column.addElement(text(card, font, scale));
            if (!ColumnText.hasMoreText(column.go(true))) {
                return text(card, font, scale);
            }
        }
        throw new MalformedInputException("the label of " + card.title() + " has more text than fits beside its code;"
                + " shorten the site or subject name (nothing was written)");
    }

    private static Paragraph text(LabelCard card, BaseFont font, float scale) {
        Font name = new Font(font, 9f * scale, Font.NORMAL, Color.DARK_GRAY);
        Font value = new Font(font, 10f * scale, Font.BOLD);
        Paragraph text = new Paragraph();
        if (!card.titleName().isEmpty()) {
            text.add(new Phrase(card.titleName(), name));
            text.add(Chunk.NEWLINE);
        }
        // the title (bag id) on one line: as large as fits, 6-11 pt (the simulated bold is a little wider)
        float size = Math.max(6f, Math.min(11f * scale, 0.95f * TEXT_WIDTH / Math.max(1f, font.getWidthPoint(card.title(), 1f))));
        text.add(new Chunk(card.title(), new Font(font, size, Font.BOLD)));
        text.add(Chunk.NEWLINE);
        for (LabelCard.Field f : card.fields()) {
            text.add(new Phrase(f.name() + "  ", name));
            text.add(new Phrase(f.value(), value));
            text.add(Chunk.NEWLINE);
        }
        text.setLeading(13f * scale);
        return text;
    }

    private static PdfPCell cell(LabelCard card, float height, BaseFont font) throws IOException {
        Image code = Image.getInstance(QrCodes.png(card.payload(), 4));
        code.scaleAbsolute(CODE_SIZE, CODE_SIZE);
        PdfPCell codeCell = new PdfPCell(code, false);
        codeCell.setBorder(Rectangle.NO_BORDER);
        codeCell.setFixedHeight(CODE_SIZE + 4);
        codeCell.setVerticalAlignment(Element.ALIGN_MIDDLE);

        // the outer cell's padding, the text cell's own (2 pt a side) and a little to spare
        PdfPCell textCell = new PdfPCell(fitted(card, font, height - 2 * PADDING - 8));
        textCell.setBorder(Rectangle.NO_BORDER);
        textCell.setVerticalAlignment(Element.ALIGN_MIDDLE);

        PdfPTable inner = new PdfPTable(new float[] {CODE_COLUMN, TEXT_COLUMN});
        inner.setWidthPercentage(100);
        inner.addCell(codeCell);
        inner.addCell(textCell);

        PdfPCell outer = new PdfPCell(inner);
        outer.setFixedHeight(height);
        outer.setPadding(PADDING);
        outer.setBorderColor(LINE);
        outer.setBorderWidth(0.5f);
        outer.setVerticalAlignment(Element.ALIGN_MIDDLE);
        return outer;
    }
}
