package org.custody.cli.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Binarizer;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds and decodes the QR codes in a photo, as a phone takes it: rotated, scaled, a little blurred, in uneven
 * light. The pipeline (image → luminance → binarizer → reader) runs in passes from cheap to expensive and stops at
 * the first pass that finds a code: the image scaled to at most {@value #WORKING_SIZE} pixels with the local
 * (hybrid) binarizer, which copes with uneven light; the same with the global binarizer, which copes with blur;
 * the image at full size; at half the working size (heavy blur or noise); turned 45°; and inverted (light on dark).
 * ZXing's {@code TRY_HARDER} is on and {@code PURE_BARCODE} off: the code may be anywhere in the picture.
 */
public final class QrReader {
    /** Longest side, in pixels, of the first passes: a phone's 12-megapixel photo is scaled down to this. */
    public static final int WORKING_SIZE = 1280;
    private static final Map<DecodeHintType, Object> HINTS = hints();

    private QrReader() {}

    private static Map<DecodeHintType, Object> hints() {
        Map<DecodeHintType, Object> h = new EnumMap<>(DecodeHintType.class);
        h.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        h.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        return h;
    }

    /** The text of every QR code found in {@code image}, each once, in the order found; empty if none. */
    public static List<String> decode(BufferedImage image) {
        BufferedImage working = scaled(image, WORKING_SIZE);
        LuminanceSource source = new BufferedImageLuminanceSource(working);
        List<Function<LuminanceSource, Binarizer>> binarizers = List.of(HybridBinarizer::new, GlobalHistogramBinarizer::new);
        List<String> found = new ArrayList<>();
        for (Function<LuminanceSource, Binarizer> b : binarizers) {
            if (!(found = read(b.apply(source))).isEmpty()) return found;
        }
        if (working != image && !(found = read(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).isEmpty()) {
            return found;
        }
        BufferedImage half = scaled(working, Math.max(working.getWidth(), working.getHeight()) / 2);
        if (half != working) {
            LuminanceSource small = new BufferedImageLuminanceSource(half);
            for (Function<LuminanceSource, Binarizer> b : binarizers) {
                if (!(found = read(b.apply(small))).isEmpty()) return found;
            }
        }
        LuminanceSource turned = source.rotateCounterClockwise45();
        for (Function<LuminanceSource, Binarizer> b : binarizers) {
            if (!(found = read(b.apply(turned))).isEmpty()) return found;
        }
        return read(new HybridBinarizer(source.invert()));
    }

    /** Every code in the bitmap (several bags in one photo), or failing that the single code ZXing finds. */
    private static List<String> read(Binarizer binarizer) {
        BinaryBitmap bitmap = new BinaryBitmap(binarizer);
        Set<String> texts = new LinkedHashSet<>();
        try {
            for (Result r : new QRCodeMultiReader().decodeMultiple(bitmap, HINTS)) {
                texts.add(r.getText());
            }
        } catch (NotFoundException e) {
            try {
                texts.add(new QRCodeReader().decode(bitmap, HINTS).getText());
            } catch (ReaderException again) {
                // none in this pass
            }
        }
        return new ArrayList<>(texts);
    }

    /** {@code image} scaled so that its longest side is at most {@code max} pixels (the same image if it already is). */
    static BufferedImage scaled(BufferedImage image, int max) {
        int longest = Math.max(image.getWidth(), image.getHeight());
        if (longest <= max || max < 64) {
            return image;
        }
        double f = (double) max / longest;
        int w = Math.max(1, (int) Math.round(image.getWidth() * f));
        int h = Math.max(1, (int) Math.round(image.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
