package org.custody.server;

import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerStoreException;
import org.custody.server.console.ConsoleQueries;

/**
 * {@code custody view FILE}: the inspector console over one ledger file on this machine, read-only: it listens on
 * the loopback address only, serves the console's pages and nothing of the API (no route appends, drafts or signs),
 * and admits one browser through a one-time sign-in link ({@link #url()}) as an inspector. Nothing is written to the
 * ledger; a running {@code custody serve} may go on appending to the same file, and the pages follow it.
 */
public final class ConsoleView implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";
    private final Ledger ledger;
    private final Javalin javalin;
    private final String url;

    private ConsoleView(Ledger ledger, Javalin javalin, String url) {
        this.ledger = ledger;
        this.javalin = javalin;
        this.url = url;
    }

    /**
     * Opens {@code file} and starts the console on {@code 127.0.0.1:port} ({@code 0}: any free port).
     *
     * @throws LedgerStoreException if there is no ledger at {@code file}
     * @throws PortInUseException   if the port is taken
     */
    public static ConsoleView start(Path file, int port) {
        if (!Files.isRegularFile(file)) {
            throw new LedgerStoreException("no ledger at " + file + " (没有此账本文件)");
        }
        Ledger ledger = Ledger.open(file);
        try {
            Clock clock = Clock.systemUTC();
            String token = Tokens.newToken(); // never shown: the one-time link stands for it
            Tokens tokens = Tokens.parse(List.of(Tokens.line(token, EnumSet.of(ApiRole.INSPECTOR), "viewer", Set.of())), "custody view");
            Console console = new Console(Map.of(ledger.id().value(), new ConsoleQueries(ledger, clock)), List.of(ledger), tokens, clock);
            Javalin javalin = Javalin.create(c -> c.showJavalinBanner = false);
            console.register(javalin);
            String ticket = console.ticket(tokens.authenticate(token).orElseThrow());
            try {
                javalin.start(LOOPBACK, port);
            } catch (io.javalin.util.JavalinBindException e) {
                javalin.stop();
                throw CustodyServer.listenFailure(LOOPBACK, port, e);
            }
            return new ConsoleView(ledger, javalin, "http://" + LOOPBACK + ":" + javalin.port() + ticket);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
    }

    /** The one-time link that signs the first browser to open it in; then {@code /console/} on the same port. */
    public String url() {
        return url;
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
        ledger.close();
    }
}
