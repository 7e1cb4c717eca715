package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.custody.testing.SharedVectors;
import org.junit.jupiter.api.Test;

/**
 * RFC 8785 (JCS) conformance against cyberphone/json-canonicalization's test data
 * ({@code shared/vectors/rfc8785-jcs}): {@code input/X.json} canonicalises to the bytes of {@code outhex/X.txt}
 * (the same bytes as {@code output/X.json}).
 */
class CanonicalRfc8785Test {
    private record Case(String name, byte[] input, byte[] expected) {}

    private static List<Case> cases() throws IOException {
        Path dir = SharedVectors.require("rfc8785-jcs");
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> inputs = Files.list(dir.resolve("input"))) {
            for (Path input : inputs.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String name = input.getFileName().toString().replaceFirst("\\.json$", "");
                String hex = Files.readString(dir.resolve("outhex").resolve(name + ".txt"), StandardCharsets.US_ASCII)
                        .replaceAll("\\s+", "");
                byte[] expected = HexFormat.of().parseHex(hex);
                assertArrayEquals(expected, Files.readAllBytes(dir.resolve("output").resolve(name + ".json")),
                        name + ": output/" + name + ".json and outhex/" + name + ".txt disagree");
                cases.add(new Case(name, Files.readAllBytes(input), expected));
            }
        }
        assertFalse(cases.isEmpty(), "no RFC 8785 cases found in " + dir);
        return cases;
    }

    @Test
    void canonicalize_rfc8785Inputs_equalExpectedBytes() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            try {
                byte[] actual = Canonical.canonicalize(c.input());
                if (!Arrays.equals(c.expected(), actual)) {
                    failures.add(c.name() + ": expected " + new String(c.expected(), StandardCharsets.UTF_8) + "\n    got      "
                            + new String(actual, StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                failures.add(c.name() + ": threw " + e);
            }
        }
        assertTrue(failures.isEmpty(), "RFC 8785 cases failed:\n" + String.join("\n", failures));
    }

    @Test
    void canonicalize_rfc8785Outputs_areFixedPoints() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            try {
                if (!Arrays.equals(c.expected(), Canonical.canonicalize(c.expected()))) {
                    failures.add(c.name() + ": canonical output changed when canonicalised again");
                }
            } catch (RuntimeException e) {
                failures.add(c.name() + ": threw " + e);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The strict decoder's canonical-form check (used on every stored entry) agrees with RFC 8785. */
    @Test
    void parseCanonical_rfc8785Outputs_accepted() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            try {
                Canonical.parseCanonical(c.expected());
            } catch (MalformedRecordException e) {
                failures.add(c.name() + ": canonical bytes refused: " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), "canonical RFC 8785 outputs were refused:\n" + String.join("\n", failures));
    }

    @Test
    void parseCanonical_rfc8785Inputs_refusedAsNotCanonical() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Case c : cases()) {
            try {
                Canonical.parseCanonical(c.input());
                failures.add(c.name() + ": non-canonical input was accepted");
            } catch (MalformedRecordException e) {
                if (!e.getMessage().contains("canonical")) {
                    failures.add(c.name() + ": refused for another reason: " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
