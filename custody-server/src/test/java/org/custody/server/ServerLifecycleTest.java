package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app factory builds an unstarted server; start listens; a start that cannot listen leaves nothing behind. */
class ServerLifecycleTest {
    @TempDir
    Path dir;

    /** A ledger file with people, bags and a token file, closed (the server opens it itself). */
    private Fixture closedFixture() throws Exception {
        Fixture f = new Fixture(dir);
        f.ledger.close();
        return f;
    }

    private ServerConfig config(Fixture f, int port) {
        return new ServerConfig(f.ledgerFile, "127.0.0.1", port, f.tokenFile, Duration.ofMinutes(15), 64 * 1024, 100, false);
    }

    private static List<String> serverThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t)).map(Thread::getName)
                .filter(n -> n.startsWith("custody-") || n.contains("Jetty") || n.startsWith("qtp")).sorted().toList();
    }

    private static List<String> settledServerThreads(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!serverThreads(before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return serverThreads(before);
    }

    private Set<String> files() throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void create_unstarted_noThreadNoListenerThenStartServesAndCloseStops() throws Exception {
        Fixture f = closedFixture();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (CustodyServer server = CustodyServer.create(config(f, 0))) {
            assertEquals(List.of(), serverThreads(before), "an unstarted server runs no thread");
            server.start();
            assertTrue(server.port() > 0);
            assertTrue(serverThreads(before).contains("custody-committer"), serverThreads(before).toString());
            assertEquals(200, new Client(server.port(), null).get("/api/v1/health").status());
            assertThrows(IllegalStateException.class, server::start);
        }
        assertEquals(List.of(), settledServerThreads(before), "close stops every thread");
    }

    @Test
    void create_closedWithoutStart_leavesNoFileAndNoThread() throws Exception {
        Fixture f = closedFixture();
        Set<String> filesBefore = files();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        CustodyServer server = CustodyServer.create(config(f, 0));
        assertFalse(Files.exists(Path.of(f.ledgerFile + ".drafts")), "drafts are kept in the ledger, not beside it");
        server.close();
        server.close();
        assertEquals(filesBefore, files());
        assertEquals(List.of(), settledServerThreads(before));
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void start_portInUse_portInUseExceptionAndNothingLeftBehind() throws Exception {
        Fixture f = closedFixture();
        Set<String> filesBefore = files();
        byte[] ledgerBefore = Files.readAllBytes(f.ledgerFile);
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            PortInUseException e = assertThrows(PortInUseException.class, () -> CustodyServer.start(config(f, port)));
            assertEquals(port, e.port());
            assertTrue(e.getMessage().contains("端口 " + port) && e.getMessage().contains("port " + port + " on 127.0.0.1 is already in use"),
                    e.getMessage());
            assertEquals(List.of(), settledServerThreads(before), "no thread left running");
        }
        assertEquals(filesBefore, files(), "no drafts file, journal or lock left");
        assertTrue(java.util.Arrays.equals(ledgerBefore, Files.readAllBytes(f.ledgerFile)), "the ledger file is unchanged");
        // nothing holds the ledger: the same configuration now starts on a free port
        try (CustodyServer server = CustodyServer.start(config(f, 0))) {
            assertEquals(200, new Client(server.port(), null).get("/api/v1/health").status());
            assertFalse(Files.exists(Path.of(f.ledgerFile + ".drafts")));
        }
    }

    @Test
    void launcher_portInUse_status2WithTheBilingualMessage() throws Exception {
        Fixture f = closedFixture();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Launcher.run(new String[] {"--ledger", f.ledgerFile.toString(), "--port", Integer.toString(taken.getLocalPort())},
                    Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, status, text);
            assertTrue(text.contains("已被其他进程占用") && text.contains("already in use"), text);
            assertFalse(text.contains("Exception"), text);
        }
        assertFalse(Files.exists(Path.of(f.ledgerFile + ".drafts")));
    }
}
