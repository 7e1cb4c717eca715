package org.custody.cli;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * State that lives for one {@code custody batch} on the running thread, such as the keys unlocked so far
 * ({@link Keyring}) or the ledgers kept open ({@link OpenLedgers}). Outside a batch there is none. Batches may
 * nest; the inner one's state is dropped and the outer one's restored when it ends.
 */
final class BatchScope<S> {
    private final ThreadLocal<S> current = new ThreadLocal<>();

    /** Runs {@code work} with {@code state} as the current state, then {@code end} on it, whatever happened. */
    <T> T during(S state, Supplier<T> work, Consumer<S> end) {
        S outer = current.get();
        current.set(state);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
            end.accept(state);
        }
    }

    /** The running batch's state, or {@code null} outside a batch. */
    S current() {
        return current.get();
    }

    /** The key a batch files things under: {@code file} made absolute and normalised, however it was spelled. */
    static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
