package org.custody.timestamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;

/**
 * The committed time-stamp vector ({@code src/test/resources/timestamp/}, see its README): a fixed token over a fixed
 * checkpoint note text, by a fixed test TSA, checked here and by OpenSSL's {@code ts -verify}, so another implementation
 * can check itself against the same files. {@link #main} wrote them (the keys were discarded).
 */
class TimestampVectorsTest {
    static final String FOLDER = "/timestamp/";
    static final Instant GEN_TIME = Instant.parse("2026-12-07T00:00:00Z");

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TimestampVectorsTest.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException(FOLDER + name + " is not on the test classpath");
            }
            return in.readAllBytes();
        }
    }

    static TimestampVerifier trustingRoot(Scratch scratch) throws IOException {
        return TimestampVerifier.readPem(Files.write(scratch.file("root.pem"), resource("root.pem")));
    }

    @Test
    void vector_verifiesUnderTheCommittedRoot_atItsTime() throws Exception {
        try (Scratch scratch = new Scratch()) {
            VerifiedTimestamp t = trustingRoot(scratch).verify(TimestampToken.parse(resource("token.der")), resource("note.txt"));
            assertEquals(GEN_TIME, t.time());
            assertTrue(t.tsa().contains("Custody vector TSA"), t.tsa());
        }
    }

    @Test
    void vector_imprint_isTheSha256OfTheNoteText_givenInTheReadme() throws Exception {
        String hex = HexFormat.of().formatHex(TimestampVerifier.imprint(resource("note.txt")));
        assertTrue(new String(resource("README.md"), StandardCharsets.UTF_8).contains(hex), hex);
        assertTrue(new String(resource("note.txt"), StandardCharsets.UTF_8).startsWith("custody/ledger/"));
    }

    @Test
    void vector_overAnotherText_isImprintMismatch() throws Exception {
        try (Scratch scratch = new Scratch()) {
            byte[] other = new String(resource("note.txt"), StandardCharsets.UTF_8).replace("\n40\n", "\n41\n")
                    .getBytes(StandardCharsets.UTF_8);
            assertNotEquals(new String(other, StandardCharsets.UTF_8), new String(resource("note.txt"), StandardCharsets.UTF_8));
            assertEquals(TimestampVerificationException.Reason.IMPRINT_MISMATCH, assertThrows(TimestampVerificationException.class,
                    () -> trustingRoot(scratch).verify(TimestampToken.parse(resource("token.der")), other)).reason());
        }
    }

    /** OpenSSL (Debian's openssl, installed by tools/build/debian-packages.sh) agrees: OK for the note, not for another. */
    @Test
    void vector_opensslTsVerify_agrees() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path root = Files.write(scratch.file("root.pem"), resource("root.pem"));
            Path token = Files.write(scratch.file("token.der"), resource("token.der"));
            Path note = Files.write(scratch.file("note.txt"), resource("note.txt"));
            Path other = Files.writeString(scratch.file("other.txt"), "custody/ledger/other\n1\n");
            String ok = openssl(List.of("ts", "-verify", "-data", note.toString(), "-in", token.toString(), "-token_in",
                    "-CAfile", root.toString()));
            assertTrue(ok.contains("Verification: OK"), ok);
            String bad = openssl(List.of("ts", "-verify", "-data", other.toString(), "-in", token.toString(), "-token_in",
                    "-CAfile", root.toString()));
            assertTrue(bad.contains("FAILED") && bad.contains("message imprint mismatch"), bad);
        }
    }

    private static String openssl(List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("openssl is not installed: run tools/build/debian-packages.sh (" + e.getMessage() + ")", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** Writes the vector files into the folder {@code args[0]} (src/test/resources/timestamp): a new PKI each time. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        TestPki pki = TestPki.generate("Custody vector");
        // the text of a checkpoint note: what its signatures and the token cover (docs/formats.md §15)
        byte[] text = "custody/ledger/HN-ZSB-2021\n40\nmOJyp1xHpcgvX9Ci2pa3G7Q5mB+0hv5xFmQzQ03S2iI=\n".getBytes(StandardCharsets.UTF_8);
        TimeStampRequestGenerator request = new TimeStampRequestGenerator();
        request.setCertReq(true);
        byte[] token = LocalTsa.generator(pki.tsa()).generate(request.generate(TSPAlgorithms.SHA256,
                TimestampVerifier.imprint(text), BigInteger.valueOf(0x5eed)), BigInteger.ONE, Date.from(GEN_TIME))
                .getTimeStampToken().getEncoded();
        Files.write(dir.resolve("note.txt"), text);
        Files.write(dir.resolve("token.der"), token);
        Files.writeString(dir.resolve("root.pem"), TestPki.pem(List.of(pki.root())));
        Files.writeString(dir.resolve("tsa.pem"), TestPki.pem(List.of(pki.tsa().certificate())));
        System.out.println("imprint " + HexFormat.of().formatHex(TimestampVerifier.imprint(text)));
    }
}
