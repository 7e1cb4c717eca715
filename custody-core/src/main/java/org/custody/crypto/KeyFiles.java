package org.custody.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.custody.files.OwnerOnly;

/**
 * Private key files: PEM {@code ENCRYPTED PRIVATE KEY} (PKCS#8, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC),
 * readable by OpenSSL. Files are written with owner-only permissions and never overwritten (except by
 * {@link #reencrypt}). Reading refuses a file that other users may read or change, and a file encrypted with anything
 * weaker than that scheme (3DES, AES-128, HMAC-SHA1, too few iterations); {@link #reencrypt} turns such a file into
 * one in the scheme.
 */
public final class KeyFiles {
    /** PBKDF2 iterations used when writing. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Fewest PBKDF2 iterations a file may use; weaker files are refused. */
    public static final int MIN_ITERATIONS = 100_000;
    /** Most PBKDF2 iterations a file may use (some 15 s of unlocking); larger counts are refused, not computed for up to an hour. */
    public static final int MAX_ITERATIONS = 10_000_000;
    /** Shortest passphrase accepted when writing. */
    public static final int MIN_PASSPHRASE = 8;

    private static final String PEM_TYPE = "ENCRYPTED PRIVATE KEY";
    private static final int MAX_FILE = 16 * 1024;
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final int AES_256_KEY_BYTES = 32;
    /** Shortest PBKDF2 salt accepted (RFC 8018 §4.1 asks for at least 64 bits). */
    private static final int MIN_SALT_BYTES = 8;
    private static final String SCHEME = "PBES2 with PBKDF2-HMAC-SHA256 (at least " + MIN_ITERATIONS
            + " iterations) and AES-256-CBC, docs/formats.md §9";

    private KeyFiles() {}

    /** Writes {@code key} to a new file at {@code file}, encrypted under {@code passphrase}. */
    public static void write(Path file, SigningKey key, char[] passphrase) {
        write(file, key, passphrase, DEFAULT_ITERATIONS);
    }

    /** Like {@link #write(Path, SigningKey, char[])} with an explicit PBKDF2 iteration count (at least {@link #MIN_ITERATIONS}). */
    public static void write(Path file, SigningKey key, char[] passphrase, int iterations) {
        if (Files.exists(file)) {
            throw new KeyFileException("key file " + file + " already exists; choose another name or remove it first");
        }
        byte[] pem = encode(key, passphrase, iterations);
        Path tmp = null;
        try {
            tmp = OwnerOnly.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
            Files.write(tmp, pem);
            publish(tmp, file);
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException("key file " + file + " already exists", e);
        } catch (IOException e) {
            throw new KeyFileException("cannot write key file " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // the temporary file only ever holds encrypted bytes
            }
        }
    }

    /**
     * Gives the complete file {@code tmp} the name {@code file} unless that name is taken, atomically where the
     * file system has hard links: a rename would silently replace a file created since the caller checked.
     */
    private static void publish(Path tmp, Path file) throws IOException {
        try {
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(tmp, file);
        }
    }

    /** The PEM text of {@code key} encrypted under {@code passphrase}. */
    public static byte[] encode(SigningKey key, char[] passphrase, int iterations) {
        if (passphrase == null || passphrase.length < MIN_PASSPHRASE) {
            throw new KeyFileException("passphrase too short: use at least " + MIN_PASSPHRASE + " characters");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new KeyFileException(MIN_ITERATIONS + " to " + MAX_ITERATIONS + " PBKDF2 iterations are required, got " + iterations);
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(key.privateParameters());
            if (info.hasPublicKey()) {
                // Bouncy Castle writes Ed25519 keys as PKCS#8 v2 (RFC 5958) with the public key, which OpenSSL 3.0
                // cannot read; v1 holds everything needed, as the public key is derived from the private one.
                info = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(), info.getAttributes());
            }
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(iterations)
                    .setPassword(passphrase)
                    .setProvider(BC)
                    .build();
            PemObject pem = new PKCS8Generator(info, encryptor).generate();
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(pem);
            }
            return out.toString().getBytes(StandardCharsets.US_ASCII);
        } catch (IOException | OperatorCreationException e) {
            throw new KeyFileException("cannot encrypt the private key: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and decrypts the key file at {@code file}.
     *
     * @throws KeyFileException if the file is missing or malformed, other users may read or change it, it is encrypted
     *                          more weakly than Custody's scheme, or the passphrase is wrong
     */
    public static SigningKey read(Path file, char[] passphrase) {
        return decode(readPrivate(file), passphrase, file.toString(), false);
    }

    /**
     * Re-encrypts the key file at {@code file} in Custody's scheme (PBKDF2-HMAC-SHA256 with {@code iterations}, AES-256)
     * under a new passphrase, replacing it atomically: the file holds the old content or the new, never a mix. The
     * file may be encrypted in any scheme Bouncy Castle reads (PBES1 with 3DES, PBES2 with AES-128, HMAC-SHA1, few
     * iterations...), but still not be readable or changeable by other users.
     *
     * @param newPassphrase asked only once {@code passphrase} has unlocked the file; the array it returns is cleared
     * @return the key, the same as before
     * @throws KeyFileException if the file cannot be read or decrypted, or the new file cannot be written
     */
    public static SigningKey reencrypt(Path file, char[] passphrase, Supplier<char[]> newPassphrase, int iterations) {
        SigningKey key = decode(readPrivate(file), passphrase, file.toString(), true);
        char[] fresh = newPassphrase.get();
        byte[] pem;
        try {
            pem = encode(key, fresh, iterations);
        } finally {
            Arrays.fill(fresh, '\0');
        }
        try {
            OwnerOnly.replace(file, pem);
        } catch (IOException e) {
            throw new KeyFileException("cannot rewrite key file " + file + ": " + e.getMessage() + "; it is unchanged", e);
        }
        return key;
    }

    private static byte[] readPrivate(Path file) {
        try {
            Optional<String> exposed = OwnerOnly.exposure(file, "key file", "密钥文件");
            if (exposed.isPresent()) {
                throw new KeyFileException(exposed.get());
            }
            if (Files.size(file) > MAX_FILE) {
                throw new KeyFileException("key file " + file + " is larger than " + MAX_FILE + " bytes; it is not a Custody key file");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts PEM text produced by {@link #encode}; {@code source} names it in errors.
     *
     * @throws KeyFileException if the text is malformed, encrypted more weakly than Custody's scheme, or the passphrase
     *                          is wrong
     */
    public static SigningKey decode(byte[] pemText, char[] passphrase, String source) {
        return decode(pemText, passphrase, source, false);
    }

    private static SigningKey decode(byte[] pemText, char[] passphrase, String source, boolean anyScheme) {
        PemObject pem;
        try (PemReader reader = new PemReader(new StringReader(new String(pemText, StandardCharsets.US_ASCII)))) {
            pem = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyFileException(source + " is not a PEM file: " + e.getMessage(), e);
        }
        if (pem == null || !PEM_TYPE.equals(pem.getType())) {
            throw new KeyFileException(source + " is not an encrypted private key (expected a PEM block '" + PEM_TYPE + "')");
        }
        try {
            PKCS8EncryptedPrivateKeyInfo encrypted = new PKCS8EncryptedPrivateKeyInfo(pem.getContent());
            Optional<String> weakness = weakness(encrypted.getEncryptionAlgorithm());
            Optional<BigInteger> count = iterations(encrypted.getEncryptionAlgorithm());
            if (count.isPresent() && count.get().compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
                // in any scheme, re-encryption included: deriving a key that many times would not end for hours
                throw new KeyFileException(source + " asks for " + count.get() + " key-derivation iterations, more than this"
                        + " reader handles (" + MAX_ITERATIONS + "); it is not a key file Custody or OpenSSL writes / 密钥文件 "
                        + source + " 的迭代次数过多，拒绝读取");
            }
            if (weakness.isPresent() && !anyScheme) {
                throw new KeyFileException(source + " is encrypted with " + weakness.get() + ", weaker than Custody requires ("
                        + SCHEME + "); re-encrypt it: custody keys reencrypt " + source + " / 密钥文件 " + source
                        + " 的加密强度低于规定（" + weakness.get() + "；规定为 PBKDF2-HMAC-SHA256 与 AES-256），请执行 custody keys reencrypt "
                        + source + " 重新加密");
            }
            PrivateKeyInfo info = weakness.isEmpty()
                    ? decryptCustodyScheme(encrypted, PBES2Parameters.getInstance(encrypted.getEncryptionAlgorithm().getParameters()),
                            passphrase)
                    : encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase));
            return SigningKey.fromPrivate(PrivateKeyFactory.createKey(info));
        } catch (PKCSException e) {
            throw new KeyFileException("cannot decrypt " + source + ": wrong passphrase, or the file is damaged", e);
        } catch (IOException | OperatorCreationException | RuntimeException e) {
            if (e instanceof KeyFileException k) {
                throw k;
            }
            throw new KeyFileException(source + " does not hold a usable Ed25519 or SM2 private key: " + e.getMessage(), e);
        }
    }

    /**
     * What makes {@code algorithm} weaker than the scheme Custody writes (PBES2 with PBKDF2-HMAC-SHA256, at least
     * {@link #MIN_ITERATIONS} iterations, a salt of at least 8 bytes, AES-256-CBC), or empty if it is that scheme.
     */
    static Optional<String> weakness(AlgorithmIdentifier algorithm) {
        if (!PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
            return Optional.of("PBES1 (" + name(algorithm.getAlgorithm()) + ")");
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(pbes2.getKeyDerivationFunc().getAlgorithm())) {
            return Optional.of("the key derivation " + name(pbes2.getKeyDerivationFunc().getAlgorithm()) + " instead of PBKDF2");
        }
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        List<String> weak = new ArrayList<>();
        ASN1ObjectIdentifier cipher = pbes2.getEncryptionScheme().getAlgorithm();
        if (!NISTObjectIdentifiers.id_aes256_CBC.equals(cipher)) {
            weak.add(name(cipher));
        }
        if (!PKCSObjectIdentifiers.id_hmacWithSHA256.equals(kdf.getPrf().getAlgorithm())) {
            weak.add("PBKDF2-" + name(kdf.getPrf().getAlgorithm()));
        }
        BigInteger iterations = kdf.getIterationCount();
        if (iterations.compareTo(BigInteger.valueOf(MIN_ITERATIONS)) < 0) {
            weak.add("only " + iterations + " PBKDF2 iterations");
        } else if (iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            weak.add(iterations + " PBKDF2 iterations, more than this reader handles (" + MAX_ITERATIONS + ")");
        }
        if (kdf.getSalt().length < MIN_SALT_BYTES) {
            weak.add("a PBKDF2 salt of " + kdf.getSalt().length + " bytes");
        }
        if (kdf.getKeyLength() != null && !BigInteger.valueOf(AES_256_KEY_BYTES).equals(kdf.getKeyLength())) {
            weak.add("a derived key of " + kdf.getKeyLength() + " bytes");
        }
        return weak.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", weak));
    }

    /**
     * The iteration count of the password-based key derivation {@code algorithm} names: PBES2's PBKDF2, or PBES1's
     * and PKCS#12's (salt, iterations); empty if it names none this reader knows.
     */
    private static Optional<BigInteger> iterations(AlgorithmIdentifier algorithm) {
        try {
            if (PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
                PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
                return PKCSObjectIdentifiers.id_PBKDF2.equals(pbes2.getKeyDerivationFunc().getAlgorithm())
                        ? Optional.of(PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters()).getIterationCount())
                        : Optional.empty();
            }
            return Optional.of(org.bouncycastle.asn1.pkcs.PKCS12PBEParams.getInstance(algorithm.getParameters()).getIterations());
        } catch (RuntimeException e) { // parameters of another shape: the decryption below names what is wrong
            return Optional.empty();
        }
    }

    private static String name(ASN1ObjectIdentifier oid) {
        if (PKCSObjectIdentifiers.des_EDE3_CBC.equals(oid)) {
            return "3DES (des-ede3-cbc)";
        } else if (NISTObjectIdentifiers.id_aes128_CBC.equals(oid)) {
            return "AES-128-CBC";
        } else if (NISTObjectIdentifiers.id_aes192_CBC.equals(oid)) {
            return "AES-192-CBC";
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA1.equals(oid)) {
            return "HMAC-SHA1";
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA224.equals(oid)) {
            return "HMAC-SHA224";
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA384.equals(oid)) {
            return "HMAC-SHA384";
        } else if (PKCSObjectIdentifiers.id_hmacWithSHA512.equals(oid)) {
            return "HMAC-SHA512";
        } else if (PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC.equals(oid)) {
            return "pbeWithSHAAnd3-KeyTripleDES-CBC";
        } else if (MiscObjectIdentifiers.id_scrypt.equals(oid)) {
            return "scrypt";
        }
        return oid.getId();
    }

    /**
     * Decrypts a file in the scheme Custody writes with the JDK's own {@code PBKDF2WithHmacSHA256} and AES-CBC, which
     * derive the same key as Bouncy Castle's at about half its CPU cost (the unlock an officer waits for); Bouncy
     * Castle still parses the ASN.1 and reads every other scheme. A wrong passphrase surfaces as a
     * {@link PKCSException}, as it does from Bouncy Castle's decryptor.
     */
    private static PrivateKeyInfo decryptCustodyScheme(PKCS8EncryptedPrivateKeyInfo encrypted, PBES2Parameters pbes2,
            char[] passphrase) throws PKCSException {
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        byte[] iv = ASN1OctetString.getInstance(pbes2.getEncryptionScheme().getParameters()).getOctets();
        byte[] key = pbkdf2HmacSha256(passphrase, kdf.getSalt(), kdf.getIterationCount().intValueExact(), AES_256_KEY_BYTES);
        byte[] plain = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            plain = cipher.doFinal(encrypted.getEncryptedData());
            return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(plain));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new PKCSException("unable to read encrypted data: " + e.getMessage(), e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /**
     * PBKDF2-HMAC-SHA256 (RFC 8018) of {@code passphrase} (as UTF-8), by the JDK's {@code PBKDF2WithHmacSHA256}.
     * The caller clears the returned array.
     */
    static byte[] pbkdf2HmacSha256(char[] passphrase, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("this Java runtime cannot derive keys with PBKDF2WithHmacSHA256: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }
}
