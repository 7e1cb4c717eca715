package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody view}: refusals that leave nothing running (the console itself: ConsoleViewTest, ConsoleBrowserTest). */
class ViewCommandTest {
    @Test
    void view_noSuchFile_usageErrorNamingIt(@TempDir Path dir) {
        Cli.Result r = Cli.run("", "view", "--no-browser", dir.resolve("missing.db").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("missing.db") && r.err().contains("没有此账本文件"), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    }

    @Test
    void view_badPort_refused(@TempDir Path dir) {
        Cli.Result r = Cli.run("", "view", "--port", "70000", dir.resolve("x.db").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("--port must be 0-65535"), r.toString());
    }
}
