package org.custody.cli.qr;

import com.google.zxing.common.PerspectiveTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns a printed label into what a phone photographs: the label lies on a darker desk, turned, scaled, seen at
 * an angle (a true perspective warp, computed with ZXing's {@link PerspectiveTransform}), out of focus (Gaussian
 * blur), in uneven light (a brightness gradient across the picture), with sensor noise, saved as JPEG.
 * Deterministic for a given seed.
 */
public final class PhotoSimulator {
    /**
     * How to distort.
     *
     * @param width       photo width in pixels
     * @param height      photo height in pixels
     * @param labelSize   side of the label in the photo, in pixels, before perspective
     * @param rotation    turn of the label, in degrees
     * @param keystone    perspective: 0 flat; 0.3 the far edge of the label looks 30 % shorter than the near one
     * @param blur        Gaussian blur sigma in pixels (0 none)
     * @param noise       sensor noise sigma in grey levels (0 none)
     * @param darkest     brightness factor at the dark corner of the picture (1 even light)
     * @param jpegQuality 0-1, or 0 for no JPEG round trip
     */
    public record Distortion(int width, int height, int labelSize, double rotation, double keystone, double blur,
                             double noise, double darkest, float jpegQuality) {
        /** A typical hand-held shot: turned 17°, a slight angle, a little blur, light falling off to one side. */
        public static Distortion typical() {
            return new Distortion(1600, 1200, 560, 17, 0.15, 1.2, 6, 0.45, 0.75f);
        }
    }

    private PhotoSimulator() {}

    /** The photo of {@code label} under {@code d}. */
    public static BufferedImage photo(BufferedImage label, Distortion d, long seed) {
        Random random = new Random(seed);
        int w = d.width();
        int h = d.height();
        float[] px = new float[w * h];
        double cx = w / 2.0 + (random.nextDouble() - 0.5) * w * 0.1;
        double cy = h / 2.0 + (random.nextDouble() - 0.5) * h * 0.1;
        double half = d.labelSize() / 2.0;
        double[][] corners = {{-half, -half}, {half, -half}, {half, half}, {-half, half}};
        double a = Math.toRadians(d.rotation());
        float[] dst = new float[8];
        for (int i = 0; i < 4; i++) {
            double x = corners[i][0];
            double y = corners[i][1];
            if (i < 2) {
                x *= 1 - d.keystone(); // the far (top) edge looks shorter
                y *= 1 - d.keystone() / 2;
            }
            dst[2 * i] = (float) (cx + x * Math.cos(a) - y * Math.sin(a));
            dst[2 * i + 1] = (float) (cy + x * Math.sin(a) + y * Math.cos(a));
        }
        int lw = label.getWidth();
        int lh = label.getHeight();
        PerspectiveTransform toLabel = PerspectiveTransform.quadrilateralToQuadrilateral(
                dst[0], dst[1], dst[2], dst[3], dst[4], dst[5], dst[6], dst[7],
                0, 0, lw, 0, lw, lh, 0, lh);
        float[] grey = luminance(label);
        float[] point = new float[2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                point[0] = x + 0.5f;
                point[1] = y + 0.5f;
                toLabel.transformPoints(point);
                float u = point[0] - 0.5f;
                float v = point[1] - 0.5f;
                // the desk: mid grey with a faint grain
                float value = 110 + 12 * (float) Math.sin(x * 0.05) * (float) Math.cos(y * 0.07);
                if (u >= 0 && v >= 0 && u < lw - 1 && v < lh - 1) {
                    value = bilinear(grey, lw, u, v);
                }
                px[y * w + x] = value;
            }
        }
        if (d.blur() > 0) {
            px = blur(px, w, h, d.blur());
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = ((double) x / w + (double) y / h) / 2; // 0 at top left, 1 at bottom right
                double light = d.darkest() + (1 - d.darkest()) * t;
                double v = px[y * w + x] * light + random.nextGaussian() * d.noise();
                px[y * w + x] = (float) Math.max(0, Math.min(255, v));
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = new byte[w * h];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Math.round(px[i]);
        }
        out.getRaster().setDataElements(0, 0, w, h, data);
        return d.jpegQuality() > 0 ? jpeg(out, d.jpegQuality()) : out;
    }

    private static float[] luminance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                out[y * w + x] = 0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff);
            }
        }
        return out;
    }

    private static float bilinear(float[] g, int w, float u, float v) {
        int x = (int) u;
        int y = (int) v;
        float fx = u - x;
        float fy = v - y;
        float top = g[y * w + x] * (1 - fx) + g[y * w + x + 1] * fx;
        float bottom = g[(y + 1) * w + x] * (1 - fx) + g[(y + 1) * w + x + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /** Separable Gaussian blur, edges clamped. */
    static float[] blur(float[] in, int w, int h, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        float sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * in[y * w + Math.min(w - 1, Math.max(0, x + i))];
                }
                tmp[y * w + x] = s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /** {@code image} saved as JPEG of {@code quality} and read back, as a phone stores its photos. */
    public static BufferedImage jpeg(BufferedImage image, float quality) {
        try {
            return ImageIO.read(new ByteArrayInputStream(jpegBytes(image, quality)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code image} as JPEG bytes of {@code quality}. */
    public static byte[] jpegBytes(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
