package org.custody.cli.qr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real QR codes, made by {@link QrCodes}, photographed by {@link PhotoSimulator}, read back by {@link QrReader}. */
class QrReaderTest {
    static final String PAYLOAD = "CUSTODY1/HN-ZSB-2021/HN-ZSB-2021.K01.01.S1.ENG.A/42/APPKVVHJRDVVQEDCN3FAAQJ5PWVLWC5L";
    static final String LOWER = "CUSTODY1/hn-zsb-2021/k01.01.s1.eng.b_answers/1234567/D6X4VUBPYYCTMBJTD3RMZ5JY6QW6LOHN";

    static Stream<Arguments> photos() {
        return Stream.of(
                Arguments.of("straight, even light", new PhotoSimulator.Distortion(1200, 900, 500, 0, 0, 0, 2, 1, 0)),
                Arguments.of("typical hand-held shot", PhotoSimulator.Distortion.typical()),
                Arguments.of("turned 100 degrees", new PhotoSimulator.Distortion(1600, 1200, 520, 100, 0.1, 1.0, 5, 0.5, 0.8f)),
                Arguments.of("upside down", new PhotoSimulator.Distortion(1600, 1200, 520, 183, 0.05, 1.0, 5, 0.6, 0.8f)),
                Arguments.of("turned 45 degrees", new PhotoSimulator.Distortion(1600, 1200, 480, 45, 0.1, 1.0, 5, 0.6, 0.8f)),
                Arguments.of("seen at a steep angle", new PhotoSimulator.Distortion(1600, 1200, 620, -8, 0.25, 1.0, 5, 0.6, 0.8f)),
                Arguments.of("out of focus", new PhotoSimulator.Distortion(1600, 1200, 700, 12, 0.1, 2.2, 4, 0.7, 0.8f)),
                Arguments.of("dim and uneven light", new PhotoSimulator.Distortion(1600, 1200, 560, -20, 0.1, 1.0, 6, 0.25, 0.8f)),
                Arguments.of("noisy, low-quality JPEG", new PhotoSimulator.Distortion(1600, 1200, 560, 30, 0.1, 1.0, 14, 0.6, 0.5f)),
                Arguments.of("small in a 12-megapixel photo", new PhotoSimulator.Distortion(4000, 3000, 700, 8, 0.1, 2.5, 6, 0.5, 0.8f)),
                Arguments.of("from far away", new PhotoSimulator.Distortion(1600, 1200, 230, -15, 0.1, 0.7, 4, 0.6, 0.85f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("photos")
    void decode_phonePhoto_exactPayload(String name, PhotoSimulator.Distortion d) {
        BufferedImage photo = PhotoSimulator.photo(QrCodes.image(PAYLOAD, 10), d, name.hashCode());
        assertEquals(List.of(PAYLOAD), QrReader.decode(photo), name);
    }

    @Test
    void decode_lowerCaseIdsInByteMode_exactPayload() {
        BufferedImage photo = PhotoSimulator.photo(QrCodes.image(LOWER, 10), PhotoSimulator.Distortion.typical(), 3);
        assertEquals(List.of(LOWER), QrReader.decode(photo));
    }

    @Test
    void decode_twoLabelsInOnePhoto_both() {
        BufferedImage a = QrCodes.image(PAYLOAD, 8);
        BufferedImage b = QrCodes.image(LOWER, 8);
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth() + 40, Math.max(a.getHeight(), b.getHeight()) + 40,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 10, 20, null);
        g.drawImage(b, a.getWidth() + 30, 20, null);
        g.dispose();
        BufferedImage photo = PhotoSimulator.jpeg(both, 0.8f);
        List<String> found = QrReader.decode(photo);
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.containsAll(List.of(PAYLOAD, LOWER)), found.toString());
    }

    @Test
    void decode_lightOnDark_inverted() {
        BufferedImage code = QrCodes.image(PAYLOAD, 8);
        BufferedImage inverted = new BufferedImage(code.getWidth(), code.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < code.getHeight(); y++) {
            for (int x = 0; x < code.getWidth(); x++) {
                inverted.setRGB(x, y, ~code.getRGB(x, y));
            }
        }
        assertEquals(List.of(PAYLOAD), QrReader.decode(inverted));
    }

    @Test
    void decode_noCode_empty() {
        BufferedImage blank = PhotoSimulator.photo(new BufferedImage(300, 300, BufferedImage.TYPE_INT_RGB),
                PhotoSimulator.Distortion.typical(), 1);
        assertEquals(List.of(), QrReader.decode(blank));
    }

    @Test
    void png_pureCode_decodesWithPlainZxingAtLevelQ() throws Exception {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(QrCodes.png(PAYLOAD, 6)));
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(png))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE));
        assertEquals(PAYLOAD, result.getText());
        assertEquals(ErrorCorrectionLevel.Q.toString(), result.getResultMetadata().get(com.google.zxing.ResultMetadataType.ERROR_CORRECTION_LEVEL));
        // the quiet zone: 4 white modules of 6 px on every side
        for (int i = 0; i < 24; i++) {
            assertEquals(0xffffffff, png.getRGB(i, png.getHeight() / 2));
            assertEquals(0xffffffff, png.getRGB(png.getWidth() / 2, png.getHeight() - 1 - i));
        }
    }
}
