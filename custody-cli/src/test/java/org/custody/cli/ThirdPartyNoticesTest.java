package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * THIRD-PARTY.md names every artifact the executable jar bundles (the runtime dependencies Maven lists into
 * {@code target/bundled-artifacts.txt} before the tests), at its version, with a licence, and nothing else.
 */
class ThirdPartyNoticesTest {
    private static final Pattern LISTED = Pattern.compile("^\\s+([\\w.\\-]+):([\\w.\\-]+):jar:([\\w.\\-]+):(?:compile|runtime)");
    private static final Pattern ROW = Pattern.compile("^\\| `([\\w.\\-]+:[\\w.\\-]+:[\\w.\\-]+)` \\| ([^|]+) \\|");

    @Test
    void notices_everyBundledArtifactAndNoOther_eachWithALicence() throws IOException {
        Path listed = Path.of("target", "bundled-artifacts.txt");
        assertTrue(Files.exists(listed), "the build lists the bundled artifacts first (mvn generate-test-resources)");
        Set<String> bundled = new TreeSet<>();
        for (String line : Files.readAllLines(listed)) {
            Matcher m = LISTED.matcher(line);
            if (m.find()) {
                bundled.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
            }
        }
        assertTrue(bundled.size() > 20 && bundled.stream().anyMatch(a -> a.startsWith("org.xerial:sqlite-jdbc:")), bundled.toString());

        Set<String> noted = new TreeSet<>();
        List<String> rows = Files.readAllLines(Path.of("..", "THIRD-PARTY.md"));
        for (String row : rows) {
            Matcher m = ROW.matcher(row);
            if (m.find()) {
                noted.add(m.group(1));
                assertFalse(m.group(2).isBlank() || m.group(2).contains("none stated"), "no licence for " + m.group(1));
            }
        }

        Set<String> missing = new TreeSet<>(bundled);
        missing.removeAll(noted);
        Set<String> extra = new TreeSet<>(noted);
        extra.removeAll(bundled);
        assertEquals(Set.of(), missing, "bundled but not in THIRD-PARTY.md: run tools/third-party/notices.py");
        assertEquals(Set.of(), extra, "in THIRD-PARTY.md but no longer bundled: run tools/third-party/notices.py");
    }
}
