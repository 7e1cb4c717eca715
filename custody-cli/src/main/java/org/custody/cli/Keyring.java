package org.custody.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.custody.crypto.SigningKey;

/**
 * Keys unlocked during one {@code custody batch}, by key file, so that each signer unlocks their key once for
 * the whole batch instead of once per command. Outside a batch there is no keyring and every command unlocks
 * its signers' keys itself. The keys live in memory only until the batch ends; nothing is written anywhere.
 */
final class Keyring {
    private static final ThreadLocal<Keyring> CURRENT = new ThreadLocal<>();

    private final Map<Path, SigningKey> keys = new HashMap<>();

    private Keyring() {}

    /** Runs {@code work} with a fresh keyring that the commands it runs share; forgets every key afterwards. */
    static <T> T during(Supplier<T> work) {
        Keyring outer = CURRENT.get();
        Keyring ring = new Keyring();
        CURRENT.set(ring);
        try {
            return work.get();
        } finally {
            ring.keys.clear();
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The key already unlocked from {@code file} in the running batch, or {@code null}. */
    static SigningKey known(Path file) {
        Keyring ring = CURRENT.get();
        return ring == null ? null : ring.keys.get(canonical(file));
    }

    /** Keeps {@code key}, unlocked from (or just written to) {@code file}, for the rest of the running batch, if any. */
    static void remember(Path file, SigningKey key) {
        Keyring ring = CURRENT.get();
        if (ring != null) {
            ring.keys.put(canonical(file), key);
        }
    }

    private static Path canonical(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
