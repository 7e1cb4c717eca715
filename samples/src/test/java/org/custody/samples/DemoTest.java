package org.custody.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void run_newFile_recordsLifeCycleAndVerifiesIntact() {
        Path file = dir.resolve("demo.db");
        assertEquals(0, run(file.toString()), err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("no findings"), text);
        assertTrue(text.contains("grading_return"), text);
    }

    @Test
    void run_sm2_verifiesIntact() {
        assertEquals(0, run("--sm2", dir.resolve("sm2.db").toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(sm2-sm3)"));
    }

    @Test
    void run_existingFile_refusedWithUsageStatusAndFileUntouched() throws Exception {
        Path file = dir.resolve("mine.db");
        Files.writeString(file, "precious");
        assertEquals(2, run(file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already exists"));
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void run_unknownOption_usageError() {
        assertEquals(2, run("--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unexpected argument '--bogus'"));
    }
}
