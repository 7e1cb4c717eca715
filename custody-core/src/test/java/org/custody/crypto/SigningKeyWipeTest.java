package org.custody.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** A destroyed key's private bytes are zero and it refuses to sign; a device key's session is closed once. */
class SigningKeyWipeTest {
    private static final byte[] MESSAGE = "custody/test/v1\nwipe".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void destroy_generatedKey_zeroesItsBytesAndRefusesToSign(SignatureAlgorithm algorithm) {
        SigningKey key = SigningKey.generate(algorithm);
        key.publicKey().verify(MESSAGE, key.sign(MESSAGE));
        byte[] held = key.heldSecret();
        assertNotEquals(0, nonZero(held), "a live key holds its private bytes");

        key.destroy();

        assertTrue(key.isDestroyed());
        assertEquals(0, nonZero(held), "every byte of the held private key is zero after destroy");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> key.sign(MESSAGE));
        assertTrue(e.getMessage().contains("wiped") && e.getMessage().contains("密钥已清除"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> KeyFiles.encode(key, "long enough passphrase".toCharArray(), KeyFiles.MIN_ITERATIONS));
        assertTrue(key.toString().contains("wiped"));
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void close_keyReadFromFile_zeroesItsBytes(SignatureAlgorithm algorithm, @TempDir Path dir) {
        char[] passphrase = "correct horse battery".toCharArray();
        Path file = dir.resolve("p.key");
        SigningKey written = SigningKey.generate(algorithm);
        byte[] expected = written.heldSecret().clone();
        KeyFiles.write(file, written, passphrase, KeyFiles.MIN_ITERATIONS);
        written.close();

        byte[] held;
        try (SigningKey read = KeyFiles.read(file, passphrase)) {
            held = read.heldSecret();
            assertArrayEquals(expected, held, "the file holds the key that was written");
            read.publicKey().verify(MESSAGE, read.sign(MESSAGE));
        }
        assertEquals(0, nonZero(held));
    }

    @Test
    void destroy_twice_isHarmless() {
        SigningKey key = SigningKey.generate(SignatureAlgorithm.ED25519);
        key.destroy();
        key.destroy();
        assertTrue(key.isDestroyed());
    }

    @Test
    void destroy_deviceKey_closesTheDeviceOnceAndRefusesToSign() {
        SigningKey inside = SigningKey.generate(SignatureAlgorithm.ED25519);
        AtomicInteger closed = new AtomicInteger();
        SigningKey device = SigningKey.onDevice(inside.publicKey(), new SigningKey.Device() {
            @Override
            public byte[] sign(byte[] message) {
                return inside.sign(message).valueBytes();
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        });
        assertTrue(device.onDevice());
        assertFalse(inside.onDevice());
        device.publicKey().verify(MESSAGE, device.sign(MESSAGE));
        device.destroy();
        device.destroy();
        assertEquals(1, closed.get());
        assertThrows(IllegalStateException.class, () -> device.sign(MESSAGE));
    }

    @Test
    void sign_deviceSigningWithAnotherKey_isCaught() {
        SigningKey claimed = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey other = SigningKey.generate(SignatureAlgorithm.ED25519);
        SigningKey device = SigningKey.onDevice(claimed.publicKey(), new SigningKey.Device() {
            @Override
            public byte[] sign(byte[] message) {
                return other.sign(message).valueBytes();
            }

            @Override
            public void close() {}
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> device.sign(MESSAGE));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    private static int nonZero(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }
}
