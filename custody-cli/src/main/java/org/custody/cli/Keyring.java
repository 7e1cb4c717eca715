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
    private static final BatchScope<Keyring> SCOPE = new BatchScope<>();

    private final Map<Path, SigningKey> keys = new HashMap<>();

    private Keyring() {}

    /** Runs {@code work} with a fresh keyring that the commands it runs share; forgets every key afterwards. */
    static <T> T during(Supplier<T> work) {
        return SCOPE.during(new Keyring(), work, ring -> ring.keys.clear());
    }

    /** The key already unlocked from {@code file} in the running batch, or {@code null}. */
    static SigningKey known(Path file) {
        Keyring ring = SCOPE.current();
        return ring == null ? null : ring.keys.get(BatchScope.key(file));
    }

    /** Keeps {@code key}, unlocked from (or just written to) {@code file}, for the rest of the running batch, if any. */
    static void remember(Path file, SigningKey key) {
        Keyring ring = SCOPE.current();
        if (ring != null) {
            ring.keys.put(BatchScope.key(file), key);
        }
    }
}
