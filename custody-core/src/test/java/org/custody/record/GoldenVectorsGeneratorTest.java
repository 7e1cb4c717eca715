package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.custody.testing.Golden;
import org.junit.jupiter.api.Test;

class GoldenVectorsGeneratorTest {
    /** The README promises that regenerating writes identical files (SM2 nonces come from a seeded random too). */
    @Test
    void generate_twice_writesIdenticalFiles() {
        Map<String, JsonNode> first = GoldenVectorsGenerator.generate();
        Map<String, JsonNode> second = GoldenVectorsGenerator.generate();
        assertEquals(first.keySet(), second.keySet());
        for (String name : first.keySet()) {
            assertEquals(new String(Golden.render(first.get(name)), StandardCharsets.UTF_8),
                    new String(Golden.render(second.get(name)), StandardCharsets.UTF_8), name);
        }
    }
}
