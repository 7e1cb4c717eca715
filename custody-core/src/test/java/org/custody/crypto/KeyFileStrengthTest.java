package org.custody.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.custody.files.OwnerOnly;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Key files encrypted more weakly than formats.md §9 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), made by Bouncy Castle
 * as other tools make them, are refused with a message saying how to re-encrypt them, and {@link KeyFiles#reencrypt}
 * turns each into a file in the specified scheme holding the same key.
 */
class KeyFileStrengthTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @TempDir
    Path dir;

    /** Each weak scheme: the cipher, the PBKDF2 PRF (null for PBES1), the iterations, and what the refusal must name. */
    static Stream<Arguments> weakSchemes() {
        return Stream.of(
                Arguments.of("3DES, HMAC-SHA1", PKCS8Generator.DES3_CBC, PKCS8Generator.PRF_HMACSHA1, 100_000,
                        "3DES (des-ede3-cbc), PBKDF2-HMAC-SHA1"),
                Arguments.of("3DES, HMAC-SHA256", PKCS8Generator.DES3_CBC, PKCS8Generator.PRF_HMACSHA256, 100_000,
                        "3DES (des-ede3-cbc)"),
                Arguments.of("AES-128, HMAC-SHA1", PKCS8Generator.AES_128_CBC, PKCS8Generator.PRF_HMACSHA1, 100_000,
                        "AES-128-CBC, PBKDF2-HMAC-SHA1"),
                Arguments.of("AES-128, HMAC-SHA256", PKCS8Generator.AES_128_CBC, PKCS8Generator.PRF_HMACSHA256, 100_000,
                        "AES-128-CBC"),
                Arguments.of("AES-256, HMAC-SHA1", PKCS8Generator.AES_256_CBC, PKCS8Generator.PRF_HMACSHA1, 100_000,
                        "PBKDF2-HMAC-SHA1"),
                Arguments.of("AES-256, HMAC-SHA256, 2048 iterations", PKCS8Generator.AES_256_CBC, PKCS8Generator.PRF_HMACSHA256, 2048,
                        "only 2048 PBKDF2 iterations"),
                Arguments.of("PBES1 3DES", PKCS8Generator.PBE_SHA1_3DES, null, 2048, "PBES1 (pbeWithSHAAnd3-KeyTripleDES-CBC)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weakSchemes")
    void read_weakScheme_refusedSayingHowToReencrypt(String label, ASN1ObjectIdentifier cipher, Object prf, int iterations,
            String named) throws Exception {
        Path file = weakFile(SigningKey.generate(SignatureAlgorithm.ED25519, Cast.seeded(1)), cipher, prf, iterations);

        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.read(file, PASSPHRASE));

        assertTrue(e.getMessage().contains(file + " is encrypted with " + named + ", weaker than Custody requires"), e.getMessage());
        assertTrue(e.getMessage().contains("re-encrypt it: custody keys reencrypt " + file)
                && e.getMessage().contains("请执行 custody keys reencrypt " + file + " 重新加密"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weakSchemes")
    void reencrypt_weakScheme_sameKeyInSpecifiedScheme(String label, ASN1ObjectIdentifier cipher, Object prf, int iterations,
            String named) throws Exception {
        for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
            SigningKey original = SigningKey.generate(algorithm, Cast.seeded(algorithm.ordinal()));
            Path file = weakFile(original, cipher, prf, iterations);
            char[] fresh = "a new passphrase".toCharArray();

            SigningKey reencrypted = KeyFiles.reencrypt(file, PASSPHRASE, fresh::clone, KeyFiles.MIN_ITERATIONS);

            assertEquals(original.publicKey(), reencrypted.publicKey());
            assertEquals(original.publicKey(), KeyFiles.read(file, fresh).publicKey());
            if (POSIX) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
            assertTrue(KeyFiles.weakness(encryptionOf(file)).isEmpty(), "the file is now in the specified scheme");
            try (var left = Files.list(dir)) {
                assertEquals(List.of(file), left.toList(), "temporary files left behind");
            }
            Files.delete(file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weakSchemes")
    void reencrypt_wrongPassphrase_refusedFileUnchanged(String label, ASN1ObjectIdentifier cipher, Object prf, int iterations,
            String named) throws Exception {
        Path file = weakFile(SigningKey.generate(SignatureAlgorithm.ED25519, Cast.seeded(1)), cipher, prf, iterations);
        byte[] before = Files.readAllBytes(file);

        KeyFileException e = assertThrows(KeyFileException.class,
                () -> KeyFiles.reencrypt(file, "not the passphrase".toCharArray(), () -> {
                    throw new AssertionError("the new passphrase is asked only after the old one unlocked the file");
                }, KeyFiles.MIN_ITERATIONS));

        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    /** A key file in a weak scheme, written by Bouncy Castle's PKCS#8 generator, owner-only. */
    private Path weakFile(SigningKey key, ASN1ObjectIdentifier cipher, Object prf, int iterations) throws Exception {
        JceOpenSSLPKCS8EncryptorBuilder builder = new JceOpenSSLPKCS8EncryptorBuilder(cipher).setIterationCount(iterations)
                .setPassword(PASSPHRASE).setProvider(new BouncyCastleProvider());
        if (prf != null) {
            builder.setPRF((org.bouncycastle.asn1.x509.AlgorithmIdentifier) prf);
        }
        PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(key.privateParameters());
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PKCS8Generator(info, builder.build()));
        }
        Path file = dir.resolve(key.algorithm() + ".key");
        Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    private static org.bouncycastle.asn1.x509.AlgorithmIdentifier encryptionOf(Path file) throws IOException {
        try (PemReader reader = new PemReader(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            return new PKCS8EncryptedPrivateKeyInfo(reader.readPemObject().getContent()).getEncryptionAlgorithm();
        }
    }

    /**
     * KeyFileFuzzTest's input timeout-pbkdf2-iterations-2147483647 (written by hand, the seed ed25519-P001.key with its
     * PBKDF2 iteration count set to 2^31 - 1): it was accepted as Custody's scheme and derived for about an hour before
     * the passphrase could be checked.
     */
    @Test
    void read_iterationCountAboveMaximum_refusedBeforeAnyDerivation() throws Exception {
        Path file = dir.resolve("many-iterations.key");
        try (var in = getClass().getResourceAsStream("KeyFileFuzzTestInputs/read/timeout-pbkdf2-iterations-2147483647")) {
            OwnerOnly.write(file, in.readAllBytes());
        }
        KeyFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(KeyFileException.class, () -> KeyFiles.read(file, PASSPHRASE)));
        assertTrue(e.getMessage().contains("2147483647 PBKDF2 iterations, more than this reader handles (10000000)")
                || e.getMessage().contains("2147483647 key-derivation iterations"), e.getMessage());
        // re-encryption reads any scheme, but not this one either: it would derive for an hour before asking anything
        byte[] before = java.nio.file.Files.readAllBytes(file);
        KeyFileException reencrypt = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(KeyFileException.class,
                () -> KeyFiles.reencrypt(file, PASSPHRASE, () -> "new passphrase".toCharArray(), KeyFiles.MIN_ITERATIONS)));
        assertTrue(reencrypt.getMessage().contains("2147483647 key-derivation iterations"), reencrypt.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, java.nio.file.Files.readAllBytes(file), "the file is unchanged");
        KeyFileException write = assertThrows(KeyFileException.class, () -> KeyFiles.encode(
                SigningKey.generate(SignatureAlgorithm.ED25519, Cast.seeded(1)), PASSPHRASE, KeyFiles.MAX_ITERATIONS + 1));
        assertTrue(write.getMessage().contains("100000 to 10000000 PBKDF2 iterations are required"), write.getMessage());
    }
}
