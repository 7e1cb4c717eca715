package org.custody.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's code excerpts are the embedding example's own code: every region of the samples' sources between
 * {@code // README:begin NAME} and {@code // README:end} appears in README.md verbatim (less its indentation), so
 * the README shows code that compiles and runs.
 */
class ReadmeSnippetsTest {
    private static final Path SOURCES = Path.of("src/main/java/org/custody/samples");

    @Test
    void everyMarkedRegion_appearsInTheReadmeVerbatim() throws IOException {
        String readme = Files.readString(readme(), StandardCharsets.UTF_8);
        Map<String, String> regions = new LinkedHashMap<>();
        for (String file : List.of("LifeCycle.java", "Demo.java")) {
            regions.putAll(regions(Files.readAllLines(SOURCES.resolve(file), StandardCharsets.UTF_8), file));
        }
        assertEquals(List.of("create", "handoff", "record", "sign", "verify"), List.copyOf(regions.keySet()));
        regions.forEach((name, code) -> assertTrue(readme.contains("```java\n" + code + "```\n"),
                "README.md lacks the region '" + name + "' as a java block, exactly:\n" + code));
    }

    /** The marked regions of one source file, dedented by their least indentation. */
    static Map<String, String> regions(List<String> lines, String file) {
        Map<String, String> regions = new LinkedHashMap<>();
        String name = null;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("// README:begin ")) {
                name = t.substring("// README:begin ".length());
                body.clear();
            } else if (t.equals("// README:end")) {
                assertTrue(name != null, file + ": README:end without a begin");
                int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
                StringBuilder code = new StringBuilder();
                body.forEach(l -> code.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
                regions.put(name, code.toString());
                name = null;
            } else if (name != null) {
                body.add(line);
            }
        }
        assertTrue(name == null, file + ": region " + name + " is not closed");
        return regions;
    }

    private static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("README.md"))) {
            here = here.getParent();
        }
        assertTrue(here != null, "no README.md above " + Path.of("").toAbsolutePath());
        return here.resolve("README.md");
    }
}
