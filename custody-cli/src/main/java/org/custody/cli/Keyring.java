package org.custody.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.custody.crypto.SigningKey;

/**
 * Keys unlocked by one command, or during one {@code custody batch} by the commands it runs, by key file or token
 * reference, so that each signer unlocks their key once for the whole batch instead of once per command. Every
 * command runs with a keyring ({@link Custody#commandLine}): its own, or the running batch's. The keys live in memory
 * only until the command or the batch ends, and are wiped then ({@link SigningKey#destroy()}: zeroed, or the token
 * session closed); nothing is written anywhere.
 */
final class Keyring {
    private static final BatchScope<Keyring> SCOPE = new BatchScope<>();

    private final Map<String, SigningKey> keys = new HashMap<>();

    private Keyring() {}

    /** Runs {@code work} with a fresh keyring that the commands it runs share; wipes every key afterwards. */
    static <T> T during(Supplier<T> work) {
        return SCOPE.during(new Keyring(), work, ring -> {
            ring.keys.values().forEach(SigningKey::destroy);
            ring.keys.clear();
        });
    }

    /** True while a batch runs: its keys outlive each command and are wiped when the batch ends. */
    static boolean active() {
        return SCOPE.current() != null;
    }

    /** The key already unlocked from {@code file} in the running command or batch, or {@code null}. */
    static SigningKey known(Path file) {
        return known(BatchScope.key(file).toString());
    }

    /** The key already unlocked from {@code ref} (a normalised key file path, or a token key's URI), or {@code null}. */
    static SigningKey known(String ref) {
        Keyring ring = SCOPE.current();
        return ring == null ? null : ring.keys.get(ref);
    }

    /** Keeps {@code key}, unlocked from (or just written to) {@code file}, for the rest of the running command or batch. */
    static void remember(Path file, SigningKey key) {
        remember(BatchScope.key(file).toString(), key);
    }

    /** Keeps {@code key}, unlocked from {@code ref}, for the rest of the running command or batch (which then wipes it). */
    static void remember(String ref, SigningKey key) {
        Keyring ring = SCOPE.current();
        if (ring != null) {
            SigningKey before = ring.keys.put(ref, key);
            if (before != null && before != key) {
                before.destroy();
            }
        }
    }
}
