package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.custody.crypto.SignatureAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key and passphrase files others may read or change are refused, naming {@code chmod 600} in English and Chinese, as a
 * token file is; a key file encrypted more weakly than formats.md §9 is refused naming {@code custody keys reencrypt},
 * which makes it usable.
 */
class KeyFileSecurityCliTest {
    @TempDir
    Path dir;

    private Path key;
    private Path pass;

    @BeforeEach
    void keyFile() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        Cli.keyFile(dir, "P001", SignatureAlgorithm.ED25519, new SecureRandom());
        key = dir.resolve("P001.key");
        pass = dir.resolve("P001.pass");
    }

    private static void chmod(Path file, String mode) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    @Test
    void keysNew_fileAndPassphrase_ownerOnly() throws Exception {
        Path fresh = dir.resolve("new/P002.key");
        Files.createDirectory(dir.resolve("new"));

        Cli.Result r = Cli.run("", "keys", "new", fresh.toString(), "--passphrase-file", pass.toString(), "--iterations",
                String.valueOf(Cli.FAST));

        assertEquals(0, r.status(), r.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }

    @Test
    void passphraseFile_readableByOthers_refusedNamingChmod600() throws Exception {
        chmod(pass, "rw-r--r--");

        Cli.Result r = Cli.run("", "keys", "show", key.toString(), "--passphrase-file", pass.toString());

        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("the passphrase file " + pass + " may be read or changed by other users (permissions rw-r--r--)")
                && r.err().contains("chmod 600 " + pass) && r.err().contains("口令文件 " + pass + " 其他用户可以读取或修改"), r.err());
        assertFalse(r.err().contains(Cli.passphrase("P001")) || r.out().contains(Cli.passphrase("P001")));
        chmod(pass, "rw-------");
        assertEquals(0, Cli.run("", "keys", "show", key.toString(), "--passphrase-file", pass.toString()).status());
    }

    @Test
    void passphraseFile_writableByGroup_refusedForSigning() throws Exception {
        chmod(pass, "rw-rw----");

        Cli.Result r = Cli.run("", "keys", "new", dir.resolve("P002.key").toString(), "--passphrase-file", pass.toString());

        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("chmod 600 " + pass), r.err());
        assertFalse(Files.exists(dir.resolve("P002.key")), "nothing written");
    }

    @Test
    void keyFile_readableByOthers_refusedNamingChmod600() throws Exception {
        chmod(key, "rw-r--r--");

        Cli.Result r = Cli.run("", "keys", "show", key.toString(), "--passphrase-file", pass.toString());

        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("the key file " + key + " may be read or changed by other users (permissions rw-r--r--)")
                && r.err().contains("chmod 600 " + key) && r.err().contains("密钥文件 " + key + " 其他用户可以读取或修改"), r.err());
    }

    @Test
    void keysReencrypt_3desSha1File_refusedThenReencryptedToSameKeyOwnerOnly() throws Exception {
        Ed25519PrivateKeyParameters other = new Ed25519PrivateKeyParameters(new SecureRandom());
        String publicKey = Base64.getEncoder().encodeToString(other.generatePublicKey().getEncoded());
        Path weak = dir.resolve("weak.key");
        Files.writeString(weak, weakPem(other), StandardCharsets.US_ASCII);
        chmod(weak, "rw-------");

        Cli.Result refused = Cli.run("", "keys", "show", weak.toString(), "--passphrase-file", pass.toString());
        assertEquals(2, refused.status(), refused.toString());
        assertTrue(refused.err().contains("is encrypted with 3DES (des-ede3-cbc), PBKDF2-HMAC-SHA1, weaker than Custody requires")
                && refused.err().contains("custody keys reencrypt " + weak) && refused.err().contains("重新加密"), refused.err());

        Path fresh = Cli.secret(dir.resolve("new.pass"), "a new passphrase\n");
        Cli.Result done = Cli.run("", "keys", "reencrypt", weak.toString(), "--passphrase-file", pass.toString(),
                "--new-passphrase-file", fresh.toString(), "--iterations", String.valueOf(Cli.FAST));
        assertEquals(0, done.status(), done.toString());
        assertTrue(done.out().startsWith("re-encrypted " + weak + " (PBKDF2-HMAC-SHA256, " + Cli.FAST
                + " iterations, AES-256-CBC): ed25519 key ") && done.out().contains(", unchanged"), done.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(weak)));

        Cli.Result shown = Cli.run("", "keys", "show", weak.toString(), "--passphrase-file", fresh.toString());
        assertEquals(0, shown.status(), shown.toString());
        assertTrue(shown.out().contains("public key " + publicKey), shown.out());
    }

    @Test
    void keysReencrypt_wrongPassphraseOnStandardInput_refusedFileUnchanged() throws Exception {
        byte[] before = Files.readAllBytes(key);

        Cli.Result r = Cli.run("not the passphrase\nanother passphrase\n", "keys", "reencrypt", key.toString());

        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("wrong passphrase"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(key)));
    }

    /** The key as OpenSSL 1.x {@code -v2 des3} wrote keys: PBES2, PBKDF2-HMAC-SHA1, 3DES-CBC; made by Bouncy Castle. */
    private static String weakPem(Ed25519PrivateKeyParameters key) throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.DES3_CBC).setPRF(PKCS8Generator.PRF_HMACSHA1)
                .setIterationCount(Cli.FAST).setPassword(Cli.passphrase("P001").toCharArray()).setProvider(new BouncyCastleProvider())
                .build();
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PKCS8Generator(PrivateKeyInfoFactory.createPrivateKeyInfo(key), encryptor));
        }
        return out.toString();
    }
}
