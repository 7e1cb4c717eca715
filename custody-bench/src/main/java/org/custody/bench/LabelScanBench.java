package org.custody.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.custody.cli.qr.QrReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a label photo as {@code custody scan} does ({@link QrReader#decode}); target under 50 ms (issue
 * "custody-cli"). The photo, {@code label-photo.jpg} beside this class, is a real label QR code (level Q) turned
 * 17°, seen at a slight angle, blurred, in light falling to 45 % across the picture, with sensor noise, saved as
 * 1600 × 1200 JPEG (made by the CLI tests' {@code PhotoSimulator}, seed 2021; the payload is in
 * {@code label-photo.txt}). {@code decode} starts from the decoded image; {@code readAndDecode} includes the JPEG
 * decoding; {@code decodeTwelveMegapixel} decodes the same photo enlarged to a phone camera's 4032 × 3024.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class LabelScanBench {
    private byte[] jpeg;
    private BufferedImage photo;
    private BufferedImage large;

    @Setup
    public void setUp() {
        jpeg = resource("label-photo.jpg");
        String payload = new String(resource("label-photo.txt"), StandardCharsets.US_ASCII).strip();
        photo = read(jpeg);
        large = new BufferedImage(4032, 3024, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, large.getWidth(), large.getHeight(), null);
        g.dispose();
        for (BufferedImage image : List.of(photo, large)) {
            if (!QrReader.decode(image).equals(List.of(payload))) {
                throw new IllegalStateException("the benchmark photo does not decode to " + payload);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LabelScanBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the benchmark jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage read(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public List<String> decode() {
        return QrReader.decode(photo);
    }

    @Benchmark
    public List<String> readAndDecode() {
        return QrReader.decode(read(jpeg));
    }

    @Benchmark
    public List<String> decodeTwelveMegapixel() {
        return QrReader.decode(large);
    }
}
