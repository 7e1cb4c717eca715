package org.custody.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the external conformance vectors ({@code shared/vectors} beside the project root, see
 * {@code ../shared/vectors/README.md}). Tests that need them are skipped, with a message saying where
 * they looked, when the folder is absent (a clone without {@code shared/}).
 */
public final class SharedVectors {
    /** System property that points at the vectors folder explicitly. */
    public static final String PROPERTY = "custody.vectors";

    private static final int MAX_LEVELS = 4;

    private SharedVectors() {}

    /** The folder {@code sub} of the shared vectors, or the test is skipped if it cannot be found. */
    public static Path require(String sub) {
        Optional<Path> root = root();
        Assumptions.assumeTrue(root.isPresent(), () -> "external conformance vectors not found: no shared/vectors in "
                + Path.of("").toAbsolutePath() + " or up to " + MAX_LEVELS + " folders above it (set -D" + PROPERTY
                + "=<dir> to point at them); skipping");
        Path dir = root.get().resolve(sub);
        Assumptions.assumeTrue(Files.exists(dir), () -> "external conformance vectors " + dir + " are missing; skipping");
        return dir;
    }

    /** The shared vectors folder, found from the working directory (the module folder under Maven). */
    static Optional<Path> root() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        Path here = Path.of("").toAbsolutePath();
        for (int level = 0; here != null && level <= MAX_LEVELS; level++, here = here.getParent()) {
            Path candidate = here.resolve("shared").resolve("vectors");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
