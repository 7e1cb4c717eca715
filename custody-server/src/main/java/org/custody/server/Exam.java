package org.custody.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Checkpointer;
import org.custody.ledger.Ledger;

/**
 * One ledger (one exam) the server serves, with everything that is its own: the index, the drafts and their file
 * ({@code <ledger>.drafts}), the committer, the controllers and its route table ({@link AppFactory#ledgerRoutes}),
 * and while the server runs, its checkpointer. {@link Exams} finds it by its ledger id.
 */
final class Exam {
    final String id;
    final Ledger ledger;
    final boolean ownsLedger;
    final LedgerIndex index;
    final Path draftsFile;
    final boolean draftsFileIsNew;
    final DraftStore draftStore;
    final Committer committer;
    final Drafts drafts;
    final HealthController health;
    /** The questions the console's pages and the board and search routes ask of this ledger. */
    final org.custody.server.console.ConsoleQueries consoleQueries;
    /** The ledger's routes, paths under {@code /api/v1} as a server of one ledger serves them. */
    final List<Route> routes;
    Checkpointer checkpointer;

    private Exam(Ledger ledger, boolean ownsLedger, LedgerIndex index, Path draftsFile, boolean draftsFileIsNew,
                 DraftStore draftStore, Committer committer, Drafts drafts, HealthController health,
                 org.custody.server.console.ConsoleQueries consoleQueries, List<Route> routes) {
        this.id = ledger.id().value();
        this.ledger = ledger;
        this.ownsLedger = ownsLedger;
        this.index = index;
        this.draftsFile = draftsFile;
        this.draftsFileIsNew = draftsFileIsNew;
        this.draftStore = draftStore;
        this.committer = committer;
        this.drafts = drafts;
        this.health = health;
        this.consoleQueries = consoleQueries;
        this.routes = routes;
    }

    /** Builds what serves {@code ledger}, unstarted; if this fails, whatever it opened is closed again (not the ledger). */
    static Exam build(Ledger ledger, boolean ownsLedger, ServerConfig config, Clock clock, Metrics metrics) {
        LedgerIndex index = new LedgerIndex(ledger);
        index.refresh();
        Path draftsFile = Path.of(ledger.file() + ".drafts");
        boolean draftsFileIsNew = !Files.exists(draftsFile);
        DraftStore draftStore = DraftStore.open(draftsFile, ledger.id());
        try {
            java.util.concurrent.atomic.AtomicReference<Drafts> draftsRef = new java.util.concurrent.atomic.AtomicReference<>();
            Metrics.OfLedger own = metrics.ledger(ledger.id().value(), () -> {
                Drafts d = draftsRef.get();
                return d == null ? 0 : d.openCount();
            }, () -> ledger.head().size());
            Committer committer = new Committer(ledger, own, index);
            Drafts drafts = new Drafts(ledger, draftStore, index, committer, own, clock, config.draftTtl(), config.maxOpenDrafts());
            draftsRef.set(drafts);
            HealthController health = new HealthController(ledger);
            org.custody.server.console.ConsoleQueries consoleQueries = new org.custody.server.console.ConsoleQueries(ledger, clock);
            List<Route> routes = AppFactory.ledgerRoutes(health,
                    new RecordsController(ledger, index, committer, own, config.maxBodyBytes()),
                    new DraftsController(drafts, config.maxBodyBytes()),
                    new QueriesController(ledger, index, consoleQueries),
                    new QuestionsController(ledger),
                    new Transparency(ledger, index, clock, config.maxBodyBytes()));
            return new Exam(ledger, ownsLedger, index, draftsFile, draftsFileIsNew, draftStore, committer, drafts, health, consoleQueries, routes);
        } catch (RuntimeException e) {
            draftStore.close();
            if (draftsFileIsNew) {
                CustodyServer.deleteDraftsFile(draftsFile);
            }
            throw e;
        }
    }

    /** Starts the committer and takes back the drafts kept in the drafts file. */
    void start() {
        committer.start();
        drafts.restore();
    }

    /** Starts signing checkpoints with {@code key} every {@code config}'s interval. */
    void startCheckpointer(SigningKey key, ServerConfig config, org.slf4j.Logger log) {
        log.info("signing checkpoints of {} with key {} every {} ms", id, key.id(), config.checkpointInterval().toMillis());
        if (config.tsa() != null) {
            log.info("having the checkpoints of {} timestamped by {}", id, config.tsa());
        }
        checkpointer = Checkpointer.start(ledger, key, config.checkpointInterval(),
                note -> log.debug("signed checkpoint {}", note.text().replace('\n', ' ')),
                e -> {
                    if (e instanceof org.custody.timestamp.TimestampUnavailableException) {
                        log.warn("checkpoint of {} made without a trusted time: {}", id, e.getMessage());
                    } else {
                        log.warn("checkpoint of {} not signed this time: {}", id, e.toString());
                    }
                }, config.tsa() == null ? null : org.custody.timestamp.TsaClient.of(config.tsa()));
    }

    /** Stops signing checkpoints (if it did). */
    void stopCheckpointer() {
        if (checkpointer != null) {
            checkpointer.close();
            checkpointer = null;
        }
    }

    /**
     * Stops the checkpointer, stores the records in hand, closes the drafts file (removing it if this start created it
     * and the server never listened) and an owned ledger.
     */
    void close(boolean listened) {
        stopCheckpointer();
        committer.close();
        draftStore.close();
        if (!listened && draftsFileIsNew) {
            CustodyServer.deleteDraftsFile(draftsFile);
        }
        if (ownsLedger) {
            ledger.close();
        }
    }
}
