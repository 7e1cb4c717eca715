package org.custody.cli.qr;

import com.lowagie.text.DocumentException;
import com.lowagie.text.pdf.BaseFont;
import java.io.IOException;
import java.io.InputStream;
import org.custody.failure.MalformedInputException;

/**
 * The font of every PDF Custody writes: Noto Sans CJK SC Regular (SIL Open Font License 1.1, {@code OFL.txt} beside
 * it), which the build copies into the jar from Debian's fonts-noto-cjk. It covers GB 18030's characters, rare ones
 * such as 龘 and 𠀾 (U+2003E, CJK Extension B), and Latin. Each PDF embeds a subset of it, the glyphs that PDF uses,
 * so it prints the same on a machine with no Chinese font.
 */
public final class LabelFont {
    /** The collection in the jar, as the build copies it (custody-cli/pom.xml, custody.cjk.font.file). */
    static final String RESOURCE = "/org/custody/cli/fonts/NotoSansCJK-Regular.ttc";
    /** The face of the collection used: Noto Sans CJK SC (Simplified Chinese glyph forms). */
    static final int FACE = 2;
    /** The face's PostScript name, as PDF font names show it (after the subset tag). */
    public static final String POSTSCRIPT_NAME = "NotoSansCJKsc-Regular";

    private LabelFont() {}

    /**
     * A new font for one document, embedded as a subset, Identity-H encoded. Fails, rather than fall back to a font
     * the PDF would not carry, when the jar lacks the font.
     */
    public static BaseFont create() throws IOException {
        byte[] collection;
        try (InputStream in = LabelFont.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the label font " + RESOURCE + " is not in this build of custody; "
                        + "build it where Debian's fonts-noto-cjk is installed (see custody-cli/pom.xml)");
            }
            collection = in.readAllBytes();
        }
        try {
            BaseFont font = BaseFont.createFont("NotoSansCJK-Regular.ttc," + FACE, BaseFont.IDENTITY_H, BaseFont.EMBEDDED,
                    false, collection, null);
            font.setSubset(true);
            return font;
        } catch (DocumentException e) {
            throw new IOException("cannot read the label font " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses text with a character that {@code font} has no glyph for (OpenPDF would leave it out without a word, and
     * a label or receipt missing a character of a name is worse than none).
     *
     * @param what what would be printed, for the message, e.g. "the label of BAG"
     * @throws MalformedInputException naming the character and the text it is in
     */
    public static void requireGlyphs(BaseFont font, String what, java.util.Collection<String> texts) {
        for (String text : texts) {
            text.codePoints().filter(cp -> !Character.isWhitespace(cp) && !font.charExists(cp)).findFirst().ifPresent(cp -> {
                throw new MalformedInputException(what + " would print '" + text + "', but "
                        + Character.toString(cp) + " (U+" + String.format("%04X", cp) + ") is not in the label font ("
                        + POSTSCRIPT_NAME + "); write that name without it (nothing was written)");
            });
        }
    }
}
