package org.custody.cli.qr;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.custody.failure.MalformedInputException;

/**
 * QR codes of label payloads, made with ZXing. Error correction level Q (about 25 % of the code may be lost:
 * labels on paper bags get creased, scuffed and taped over) and the 4-module quiet zone the QR standard asks for.
 * The payload is left to ZXing's mode choice: with upper-case ids it is all QR alphanumeric, the densest mode
 * for such text; no ECI header is added, so every scanner reads it as plain ASCII.
 */
public final class QrCodes {
    /** Error correction level of every label. */
    public static final ErrorCorrectionLevel LEVEL = ErrorCorrectionLevel.Q;
    /** Quiet zone around the code, in modules (ISO/IEC 18004 minimum). */
    public static final int QUIET_ZONE = 4;
    /** Resolution written into PNG files, so that they print at the intended size. */
    public static final int DPI = 300;

    private QrCodes() {}

    /** The code's modules including the quiet zone, one bit per module. */
    public static BitMatrix matrix(String payload) {
        try {
            return new QRCodeWriter().encode(payload, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, LEVEL, EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new MalformedInputException("cannot encode '" + payload + "' as a QR code: " + e.getMessage(), e);
        }
    }

    /** The code as a black-on-white image, {@code pixelsPerModule} pixels to a module. */
    public static BufferedImage image(String payload, int pixelsPerModule) {
        if (pixelsPerModule < 1 || pixelsPerModule > 100) {
            throw new MalformedInputException("pixels per module must be 1-100, got " + pixelsPerModule);
        }
        BitMatrix m = matrix(payload);
        int size = m.getWidth() * pixelsPerModule;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
        int black = 0x000000;
        int white = 0xffffff;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, m.get(x / pixelsPerModule, y / pixelsPerModule) ? black : white);
            }
        }
        return img;
    }

    /** The code as PNG bytes marked {@value #DPI} dpi. */
    public static byte[] png(String payload, int pixelsPerModule) {
        return png(image(payload, pixelsPerModule));
    }

    /** {@code image} as PNG bytes marked {@value #DPI} dpi. */
    public static byte[] png(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java has no PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
            IIOMetadataNode size = new IIOMetadataNode("HorizontalPixelSize");
            size.setAttribute("value", Double.toString(25.4 / DPI));
            IIOMetadataNode vsize = new IIOMetadataNode("VerticalPixelSize");
            vsize.setAttribute("value", Double.toString(25.4 / DPI));
            IIOMetadataNode dimension = new IIOMetadataNode("Dimension");
            dimension.appendChild(size);
            dimension.appendChild(vsize);
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_1.0");
            root.appendChild(dimension);
            meta.mergeTree("javax_imageio_1.0", root);
            writer.write(new IIOImage(image, null, meta));
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException("cannot set the PNG resolution", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
