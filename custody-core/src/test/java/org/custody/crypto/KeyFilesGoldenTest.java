package org.custody.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key files committed under {@code src/test/resources/keyfile} (see its README) still open to the same keys, and the
 * JDK's PBKDF2-HMAC-SHA256 that decrypts Custody's scheme derives exactly what Bouncy Castle derives.
 */
class KeyFilesGoldenTest {
    @TempDir
    Path dir;

    /** A private copy of a committed file (the build copies resources readable by all, which KeyFiles refuses). */
    private Path golden(String name) {
        try (InputStream in = KeyFilesGoldenTest.class.getResourceAsStream("/keyfile/" + name)) {
            Path copy = dir.resolve(name);
            Files.write(copy, in.readAllBytes());
            if (copy.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ed25519-P001.key                        | correct horse battery | ED25519 | xLJ+q1/nFcWwr4ePg8J3dCh6mmlCuRN7TWi54XYCstk=",
            "sm2-P001.key                            | 保密员口令 2026 🔑      | SM2     | BLbFw/XBsVYV6X0QArGc2ZPFFWVRzCjXWTbaM7YBb6wvVG3EYHuageFhClUi7tW/OA9a0gXjZMIPKO/muA+gv54=",
            "ed25519-P002-openssl.key                | openssl wrote this    | ED25519 | BnGuTjdXbtVVvC1mImwwIYe2xd7FJ7XyUvRHgbDCGdM="})
    void read_goldenFile_sameKeyAsKeysJson(String file, String passphrase, SignatureAlgorithm algorithm, String publicKey) {
        SigningKey key = KeyFiles.read(golden(file), passphrase.toCharArray());

        assertEquals(algorithm, key.algorithm());
        assertEquals(publicKey, Base64.getEncoder().encodeToString(key.publicKey().encoded()));
    }

    @ParameterizedTest
    @CsvSource({"ed25519-P001.key", "sm2-P001.key", "ed25519-P002-openssl.key"})
    void read_goldenFileWrongPassphrase_refusedSayingSo(String file) {
        KeyFileException e = assertThrows(KeyFileException.class,
                () -> KeyFiles.read(golden(file), "correct horse battery!".toCharArray()));

        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
    }

    /** OpenSSL's AES-128 with PBKDF2-HMAC-SHA512 is weaker than formats.md §9; refused, and reencrypt makes it so. */
    @Test
    void read_opensslAes128Sha512_refusedThenReencryptedToSameKey() throws IOException {
        Path file = golden("ed25519-P003-openssl-aes128-sha512.key");
        char[] passphrase = "openssl wrote this".toCharArray();

        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.read(file, passphrase));
        assertTrue(e.getMessage().contains("AES-128-CBC, PBKDF2-HMAC-SHA512")
                && e.getMessage().contains("custody keys reencrypt " + file), e.getMessage());

        KeyFiles.reencrypt(file, passphrase, passphrase::clone, KeyFiles.MIN_ITERATIONS);
        SigningKey key = KeyFiles.read(file, passphrase);
        assertEquals("ZE6JanQnBA76h/QiNHaCclP2re1IclUqDuFZMJrml0o=", Base64.getEncoder().encodeToString(key.publicKey().encoded()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "correct horse battery | 00                                                               | 100000 | 32",
            "保密员口令 2026 🔑      | dd74205b6199a2e59ea71edadded03e848e3cb28a8fd27f54cb227abf22ad261 | 100000 | 32",
            "Ünïcödé passphrase    | 0102030405060708                                                 | 1      | 32",
            "x                     | 73616c74                                                         | 4096   | 64",
            "'a b\tc'              | ffffffffffffffffffffffffffffffff                                 | 2      | 16"})
    void pbkdf2_jdk_sameAsBouncyCastle(String passphrase, String saltHex, int iterations, int bytes) throws Exception {
        char[] password = passphrase.toCharArray();
        byte[] salt = java.util.HexFormat.of().parseHex(saltHex);

        byte[] jdk = KeyFiles.pbkdf2HmacSha256(password, salt, iterations, bytes);

        PKCS5S2ParametersGenerator lightweight = new PKCS5S2ParametersGenerator(new SHA256Digest());
        lightweight.init(passphrase.getBytes(StandardCharsets.UTF_8), salt, iterations);
        assertArrayEquals(((KeyParameter) lightweight.generateDerivedParameters(bytes * 8)).getKey(), jdk);
        byte[] provider = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256", new BouncyCastleProvider())
                .generateSecret(new PBEKeySpec(password, salt, iterations, bytes * 8)).getEncoded();
        assertArrayEquals(provider, jdk);
        assertArrayEquals(passphrase.toCharArray(), password, "the caller's passphrase is left as it was");
    }

    @Test
    void pbkdf2_rfc7914Vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64
        byte[] dk = KeyFiles.pbkdf2HmacSha256("passwd".toCharArray(), "salt".getBytes(StandardCharsets.US_ASCII), 1, 64);

        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783", java.util.HexFormat.of().formatHex(dk));
    }
}
