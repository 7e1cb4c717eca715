package org.custody.cli.qr;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The QR codes in a photo file (a phone's picture of a label or a receipt): PNG, JPEG, GIF, BMP or TIFF, at most
 * {@value #MAX_PIXELS} pixels, decoded by {@link QrReader}.
 */
public final class Photos {
    /** Largest image read: a 50-megapixel camera's photos. */
    public static final long MAX_PIXELS = 50_000_000L;

    /** A photo that could not be read, or holds no QR code: the message says why and what to do. */
    public static final class UnreadablePhotoException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadablePhotoException(String message) {
            super(message);
        }
    }

    private Photos() {}

    /**
     * The text of every QR code in the image file, each once, in the order found; never empty.
     *
     * @throws UnreadablePhotoException if the file is missing, not an image this program reads, too large, or shows no code
     */
    public static List<String> codes(Path file) throws UnreadablePhotoException {
        if (!Files.isRegularFile(file)) {
            throw new UnreadablePhotoException(Files.exists(file) ? "not a file" : "no such file");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new UnreadablePhotoException("not an image this program reads (PNG, JPEG, GIF, BMP, TIFF); "
                        + "convert other formats, such as HEIC, to JPEG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new UnreadablePhotoException("the image has " + pixels / 1_000_000 + " megapixels; at most "
                            + MAX_PIXELS / 1_000_000 + " are read: scale it down");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new UnreadablePhotoException("cannot read the image: " + e.getMessage());
        }
        List<String> payloads = QrReader.decode(image);
        if (payloads.isEmpty()) {
            throw new UnreadablePhotoException("no QR code found; retake the photo closer, with the code flat, in focus and evenly lit");
        }
        return payloads;
    }
}
