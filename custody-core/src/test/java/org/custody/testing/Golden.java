package org.custody.testing;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Reading and writing the golden vector files under {@code src/test/resources/golden/}. */
public final class Golden {
    /** Classpath folder of the golden vectors. */
    public static final String FOLDER = "/golden/";
    public static final String KEYS = "keys.json";
    public static final String SIGNATURES = "signatures.json";
    public static final String NEGATIVE = "negative.json";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();

    private Golden() {}

    /** The golden ledger file of a suite, e.g. {@code ledger-ed25519-sha256.json}. */
    public static String ledgerFile(String suiteWire) {
        return "ledger-" + suiteWire + ".json";
    }

    /** Loads a committed golden vector file from the test classpath. */
    public static JsonNode load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("golden vector file " + FOLDER + name + " is not on the test classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden vector file " + name, e);
        }
    }

    /** A vector file as written: two-space indent, {@code "key": value}, LF line ends, a final newline. */
    public static byte[] render(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return (JSON.writer(printer).writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code bytes} as text if they are valid UTF-8, else {@code null}. */
    public static String textIfUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
