package org.custody.server;

import java.time.Clock;
import java.util.List;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Checkpointer;
import org.custody.ledger.Ledger;

/**
 * One ledger (one exam) the server serves, with everything that is its own: the index, the drafts (kept in the
 * ledger's store), the committer, the controllers and its route table ({@link AppFactory#ledgerRoutes}),
 * and while the server runs, its checkpointer. {@link Exams} finds it by its ledger id.
 */
final class Exam {
    final String id;
    final Ledger ledger;
    final boolean ownsLedger;
    final LedgerIndex index;
    final Committer committer;
    final Drafts drafts;
    final HealthController health;
    /** The questions the console's pages and the board and search routes ask of this ledger. */
    final org.custody.server.console.ConsoleQueries consoleQueries;
    /** The ledger's routes, paths under {@code /api/v1} as a server of one ledger serves them. */
    final List<Route> routes;
    Checkpointer checkpointer;
    /** Sends each new checkpoint to the configured witnesses, if any. */
    WitnessRequests witnesses;

    private Exam(Ledger ledger, boolean ownsLedger, LedgerIndex index, Committer committer, Drafts drafts, HealthController health,
                 org.custody.server.console.ConsoleQueries consoleQueries, List<Route> routes) {
        this.id = ledger.id().value();
        this.ledger = ledger;
        this.ownsLedger = ownsLedger;
        this.index = index;
        this.committer = committer;
        this.drafts = drafts;
        this.health = health;
        this.consoleQueries = consoleQueries;
        this.routes = routes;
    }

    /** Builds what serves {@code ledger}, unstarted; if this fails, whatever it opened is closed again (not the ledger). */
    static Exam build(Ledger ledger, boolean ownsLedger, ServerConfig config, Clock clock, Metrics metrics) {
        LedgerIndex index = new LedgerIndex(ledger);
        java.util.concurrent.atomic.AtomicReference<Drafts> draftsRef = new java.util.concurrent.atomic.AtomicReference<>();
        Metrics.OfLedger own = metrics.ledger(ledger.id().value(), () -> {
            Drafts d = draftsRef.get();
            return d == null ? 0 : d.openCount();
        }, () -> ledger.head().size());
        Committer committer = new Committer(ledger, own);
        Drafts drafts = new Drafts(ledger, index, committer, own, clock, config.draftTtl(), config.maxOpenDrafts());
        draftsRef.set(drafts);
        HealthController health = new HealthController(ledger);
        org.custody.server.console.ConsoleQueries consoleQueries = new org.custody.server.console.ConsoleQueries(ledger, clock);
        List<Route> routes = AppFactory.ledgerRoutes(health,
                new RecordsController(ledger, index, committer, own, config.maxBodyBytes()),
                new DraftsController(drafts, config.maxBodyBytes()),
                new QueriesController(ledger, index, consoleQueries),
                new QuestionsController(ledger),
                new Transparency(ledger, index, clock, config.maxBodyBytes()));
        return new Exam(ledger, ownsLedger, index, committer, drafts, health, consoleQueries, routes);
    }

    /**
     * Starts the committer and takes back the open drafts kept in the ledger's store, after moving in those of a drafts
     * file an earlier version kept beside a ledger file ({@link DraftsFile}).
     */
    void start() {
        committer.start();
        if (ledger.location() instanceof org.custody.ledger.LedgerLocation.File f) {
            DraftsFile.moveInto(java.nio.file.Path.of(f.path() + ".drafts"), ledger);
        }
        drafts.restore();
    }

    /** Starts signing checkpoints with {@code key} every {@code config}'s interval. */
    void startCheckpointer(SigningKey key, ServerConfig config, org.slf4j.Logger log) {
        log.info("signing checkpoints of {} with key {} every {} ms", id, key.id(), config.checkpointInterval().toMillis());
        witnesses = config.witnesses().isEmpty() ? null : new WitnessRequests(ledger, config.witnesses(), log);
        if (config.tsa() != null) {
            log.info("having the checkpoints of {} timestamped by {}", id, config.tsa());
        }
        checkpointer = Checkpointer.start(ledger, key, config.checkpointInterval(),
                note -> {
                    log.debug("signed checkpoint {}", note.text().replace('\n', ' '));
                    if (witnesses != null) {
                        witnesses.checkpointed();
                    }
                },
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
        if (witnesses != null) {
            witnesses.close();
            witnesses = null;
        }
    }

    /** Stops the checkpointer, stores the records in hand, and closes an owned ledger. */
    void close() {
        stopCheckpointer();
        committer.close();
        if (ownsLedger) {
            ledger.close();
        }
    }
}
