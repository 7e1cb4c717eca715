package org.custody.ledger.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Copies committed pages from the write-ahead log into the database file on a thread of its own, so that
 * the appending thread does not: SQLite's automatic checkpoint runs inside a commit and makes it wait for
 * the copy and its fsync, while the cores that check signatures sit idle. Durability is unchanged: every
 * commit is already on disk in the log ({@code synchronous=FULL}); a checkpoint only moves it. Passive
 * checkpoints never block readers or writers. The writer's own automatic checkpoint stays on, at a higher
 * threshold ({@link Sqlite#AUTO_CHECKPOINT_PAGES}), in case this thread falls behind.
 */
final class WalCheckpointer implements AutoCloseable {
    /** Entries appended between two checkpoints: about a thousand pages of log. */
    static final int EVERY_ENTRIES = 1000;

    private final Path file;
    private final Object lock = new Object();
    private Thread thread;
    private long appended;
    private boolean requested;
    private boolean closed;

    WalCheckpointer(Path file) {
        this.file = file;
    }

    /** Notes that {@code entries} entries were committed; asks for a checkpoint once enough have been. */
    void committed(int entries) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            appended += entries;
            if (appended < EVERY_ENTRIES) {
                return;
            }
            appended = 0;
            requested = true;
            if (thread == null) {
                thread = new Thread(this::run, "custody-checkpoint");
                thread.setDaemon(true);
                thread.start();
            }
            lock.notifyAll();
        }
    }

    private void run() {
        try (Connection c = Sqlite.writer(file); Statement s = c.createStatement()) {
            while (awaitRequest()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
        } catch (SQLException e) {
            // give up: the writer's automatic checkpoints go on, and nothing committed depends on this thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitRequest() throws InterruptedException {
        synchronized (lock) {
            while (!requested && !closed) {
                lock.wait();
            }
            requested = false;
            return !closed;
        }
    }

    /** Stops the thread, after the checkpoint it may be running. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = thread;
            lock.notifyAll();
        }
        if (running != null) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
