package org.custody.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.custody.ledger.LedgerStoreException;
import org.custody.server.ConsoleView;
import org.custody.server.PortInUseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custody view FILE}: the inspector console over one ledger file, read-only, on the loopback address only
 * (docs/console.md). Opens the browser with a one-time sign-in link when this machine has a desktop; otherwise prints
 * the link. Runs until stopped (Ctrl-C).
 */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = {"Look at a ledger file in the browser (只读查看台账): the inspector console's board, search, bag stories,"
                + " reconciliation, findings and integrity, read-only, on 127.0.0.1 only.",
                "Opens the browser with a one-time sign-in link when it can; prints the link otherwise. Ctrl-C stops it."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the ledger file")
    Path file;

    @Option(names = "--port", paramLabel = "N", description = "port on 127.0.0.1 (default 0: a free one)")
    int port;

    @Option(names = "--no-browser", description = "only print the link; do not try to open a browser")
    boolean noBrowser;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UserError("--port must be 0-65535 (端口号须在 0-65535 之间), got " + port);
        }
        ConsoleView view;
        try {
            view = ConsoleView.start(file, port);
        } catch (LedgerStoreException | PortInUseException e) {
            throw new UserError(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            view.close();
            stopped.countDown();
        }, "custody-view-shutdown"));
        boolean opened = !noBrowser && browse(view.url());
        var out = spec.commandLine().getOut();
        out.println((opened ? "opened the console in the browser (已在浏览器中打开)" : "open this link in a browser on this machine"
                + " (在本机浏览器中打开此链接)") + ": " + view.url());
        out.println("the link signs in one browser once; read-only, on 127.0.0.1 only (只读，仅本机). Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Asks the desktop to open {@code url}; false on a machine without one (a server, a terminal session). */
    private static boolean browse(String url) {
        try {
            if (!java.awt.GraphicsEnvironment.isHeadless() && java.awt.Desktop.isDesktopSupported()
                    && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(java.net.URI.create(url));
                return true;
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
        return false;
    }
}
