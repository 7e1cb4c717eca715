package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}) driven by playwright-core through
 * {@code src/test/browser/driver.mjs}: one JSON command a line. Missing Chromium, Node or npm fails the test (never
 * skips it): {@code tools/build/debian-packages.sh} installs them. playwright-core is installed once into
 * {@code target/browser} from the committed lock file ({@code npm ci}); it downloads no browser.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private Browser(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts Chromium with a fresh profile; fails the test, with what to install, if it cannot. */
    static Browser start() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: the console's browser tests need Debian's chromium"
                + " (run tools/build/debian-packages.sh as root)");
        Path dir = Path.of("target", "browser").toAbsolutePath();
        Files.createDirectories(dir);
        Path src = Path.of("src", "test", "browser");
        for (String f : new String[] {"package.json", "package-lock.json", "driver.mjs"}) {
            Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("playwright-core"))) {
            ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("npm.log").toFile());
            npm.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            Process p = npm.start();
            assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0,
                    "npm ci of playwright-core failed in " + dir + ": see npm.log there");
        }
        ProcessBuilder node = new ProcessBuilder("node", "driver.mjs").directory(dir.toFile())
                .redirectError(dir.resolve("driver.log").toFile());
        node.environment().put("CHROMIUM", CHROMIUM.toString());
        Browser b = new Browser(node.start());
        JsonNode ready = b.read();
        assertTrue(ready.path("ok").asBoolean(), "Chromium did not start: " + ready + " (see " + dir.resolve("driver.log") + ")");
        return b;
    }

    private JsonNode read() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the browser driver stopped (see target/browser/driver.log)");
        }
        return JSON.readTree(line);
    }

    /** Runs a command; its answer, or an assertion error with the driver's message. */
    JsonNode call(String op, Object... keyValues) {
        try {
            ObjectNode cmd = JSON.createObjectNode().put("op", op);
            for (int i = 0; i < keyValues.length; i += 2) {
                cmd.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
            }
            in.write(JSON.writeValueAsString(cmd) + "\n");
            in.flush();
            JsonNode answer = read();
            if (!answer.path("ok").asBoolean()) {
                throw new AssertionError("browser: " + op + " failed: " + answer.path("error").asText());
            }
            return answer;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Opens {@code url}; the HTTP status of the page. */
    int go(String url) {
        return call("goto", "url", url).path("status").asInt();
    }

    String text(String selector) {
        return call("text", "selector", selector).path("text").asText();
    }

    String html() {
        return call("html").path("html").asText();
    }

    @Override
    public void close() {
        try {
            call("close");
        } catch (RuntimeException e) {
            // the driver is gone already: nothing to close
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
