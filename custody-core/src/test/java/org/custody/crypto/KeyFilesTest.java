package org.custody.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.custody.testing.Cast;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KeyFilesTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    private static final byte[] MESSAGE = "custody/test\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static SigningKey key(SignatureAlgorithm algorithm, long seed) {
        return SigningKey.generate(algorithm, Cast.seeded(seed));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void read_writtenFile_sameKey(SignatureAlgorithm algorithm) {
        SigningKey key = key(algorithm, 1);
        Path file = dir.resolve("p001.key");
        KeyFiles.write(file, key, PASSPHRASE, KeyFiles.MIN_ITERATIONS);

        SigningKey read = KeyFiles.read(file, PASSPHRASE);

        assertEquals(key.publicKey(), read.publicKey());
        assertEquals(key.id(), read.id());
        assertEquals(algorithm, read.algorithm());
        key.publicKey().verify(MESSAGE, read.sign(MESSAGE));
        assertArrayEquals(privateBytes(key), privateBytes(read));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void read_wrongPassphrase_refusedSayingSo(SignatureAlgorithm algorithm) {
        Path file = dir.resolve("p001.key");
        KeyFiles.write(file, key(algorithm, 2), PASSPHRASE, KeyFiles.MIN_ITERATIONS);

        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.read(file, "wrong horse battery".toCharArray()));

        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void write_fewerIterationsThanMinimum_refusedAndNoFile() {
        Path file = dir.resolve("p001.key");

        KeyFileException e = assertThrows(KeyFileException.class,
                () -> KeyFiles.write(file, key(SignatureAlgorithm.ED25519, 3), PASSPHRASE, KeyFiles.MIN_ITERATIONS - 1));

        assertTrue(e.getMessage().contains("iterations"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(KeyFiles.MIN_ITERATIONS - 1)), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void read_fileWithFewIterations_refusedNamingTheCount() throws IOException {
        SigningKey key = key(SignatureAlgorithm.ED25519, 4);
        Path file = dir.resolve("weak.key");
        privateFile(file, bouncyCastlePem(key, 10_000));

        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.read(file, PASSPHRASE));

        assertTrue(e.getMessage().contains("10000 PBKDF2 iterations"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void read_pkcs8v2File_sameKey(SignatureAlgorithm algorithm) throws IOException {
        SigningKey key = key(algorithm, 10);
        Path file = dir.resolve("v2.key");
        privateFile(file, bouncyCastlePem(key, KeyFiles.MIN_ITERATIONS));

        assertEquals(key.publicKey(), KeyFiles.read(file, PASSPHRASE).publicKey());
    }

    @Test
    void read_notAKeyFile_refusedSayingWhat() throws IOException {
        Path file = dir.resolve("notes.txt");
        privateFile(file, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));

        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.read(file, PASSPHRASE));

        assertTrue(e.getMessage().contains("not an encrypted private key"), e.getMessage());
    }

    @Test
    void write_shortPassphrase_refused() {
        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.write(dir.resolve("p001.key"),
                key(SignatureAlgorithm.ED25519, 5), "short".toCharArray(), KeyFiles.MIN_ITERATIONS));

        assertTrue(e.getMessage().contains("passphrase too short"), e.getMessage());
    }

    @Test
    void write_existingFile_refusedAndFileUntouched() throws IOException {
        Path file = dir.resolve("p001.key");
        Files.writeString(file, "someone else's key");

        KeyFileException e = assertThrows(KeyFileException.class,
                () -> KeyFiles.write(file, key(SignatureAlgorithm.ED25519, 6), PASSPHRASE, KeyFiles.MIN_ITERATIONS));

        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("someone else's key", Files.readString(file));
    }

    @Test
    void write_twoWritersSamePath_oneWinsOtherRefused() throws Exception {
        Path file = dir.resolve("p001.key");
        int writers = 3;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<SigningKey>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                SigningKey key = key(SignatureAlgorithm.ED25519, 100 + i);
                results.add(pool.submit(() -> {
                    start.await();
                    KeyFiles.write(file, key, PASSPHRASE, KeyFiles.MIN_ITERATIONS);
                    return key;
                }));
            }
            start.countDown();
            List<SigningKey> winners = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (Future<SigningKey> result : results) {
                try {
                    winners.add(result.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof KeyFileException, e.getCause().toString());
                    refusals.add(e.getCause().getMessage());
                }
            }
            assertEquals(1, winners.size(), "writers that believe they wrote the file; refusals: " + refusals);
            refusals.forEach(m -> assertTrue(m.contains("already exists"), m));
            assertEquals(winners.get(0).publicKey(), KeyFiles.read(file, PASSPHRASE).publicKey());
            try (var left = Files.list(dir)) {
                assertEquals(List.of(file), left.toList(), "temporary files left behind");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void write_newFile_ownerOnlyPermissions() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        Path file = dir.resolve("p001.key");

        KeyFiles.write(file, key(SignatureAlgorithm.ED25519, 7), PASSPHRASE, KeyFiles.MIN_ITERATIONS);

        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "temporary files left behind");
        }
    }

    /** As ssh refuses such a private key: a key file others may read or change is not used, whatever its passphrase. */
    @ParameterizedTest
    @CsvSource({"rw-r--r--", "rw-rw----", "rw----r--", "rw-----w-"})
    void read_othersMayReadOrChange_refusedNamingChmod600(String mode) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        SigningKey key = key(SignatureAlgorithm.ED25519, 11);
        Path file = dir.resolve("p001.key");
        KeyFiles.write(file, key, PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        KeyFileException e = assertThrows(KeyFileException.class, () -> KeyFiles.read(file, PASSPHRASE));

        assertTrue(e.getMessage().contains("key file " + file + " may be read or changed by other users (permissions " + mode + ")")
                && e.getMessage().contains("chmod 600 " + file) && e.getMessage().contains("密钥文件 " + file + " 其他用户可以读取或修改"),
                e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(key.publicKey(), KeyFiles.read(file, PASSPHRASE).publicKey());
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void toString_signingKey_showsNoKeyMaterial(SignatureAlgorithm algorithm) {
        SigningKey key = key(algorithm, 8);
        byte[] secret = privateBytes(key);

        String shown = key.toString();

        assertTrue(shown.contains(key.id().hex()), shown);
        for (String form : List.of(HexFormat.of().formatHex(secret), HexFormat.of().withUpperCase().formatHex(secret),
                Base64.getEncoder().encodeToString(secret), new java.math.BigInteger(1, secret).toString())) {
            assertFalse(shown.contains(form.substring(0, 16)), "toString shows key material: " + shown);
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void write_pem_readableByOpensslPkey(SignatureAlgorithm algorithm) throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not on PATH");
        SigningKey key = key(algorithm, 9);
        Path file = dir.resolve("p001.key");
        KeyFiles.write(file, key, PASSPHRASE, KeyFiles.MIN_ITERATIONS);

        ProcessBuilder pb = new ProcessBuilder("openssl", "pkey", "-in", file.toString(), "-passin", "env:CUSTODY_TEST_PASS",
                "-pubout", "-outform", "DER");
        pb.environment().put("CUSTODY_TEST_PASS", new String(PASSPHRASE));
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        byte[] der = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));

        assertEquals(0, p.exitValue(), err);
        byte[] raw = key.publicKey().encoded();
        assertArrayEquals(raw, Arrays.copyOfRange(der, der.length - raw.length, der.length),
                "openssl's public key (SubjectPublicKeyInfo) ends with the key's raw encoding");
    }

    private static void privateFile(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static byte[] privateBytes(SigningKey key) {
        if (key.privateParameters() instanceof Ed25519PrivateKeyParameters ed) {
            return ed.getEncoded();
        }
        return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, ((ECPrivateKeyParameters) key.privateParameters()).getD());
    }

    /**
     * A key file as Bouncy Castle writes it with {@code iterations} PBKDF2 iterations: like KeyFiles's, but
     * Ed25519 keys are PKCS#8 v2 with the public key, as KeyFiles wrote them before.
     */
    private static byte[] bouncyCastlePem(SigningKey key, int iterations) throws IOException {
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256).setIterationCount(iterations).setPassword(PASSPHRASE)
                    .setProvider(new BouncyCastleProvider()).build();
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PKCS8Generator(PrivateKeyInfoFactory.createPrivateKeyInfo(key.privateParameters()), encryptor));
            }
            return out.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
