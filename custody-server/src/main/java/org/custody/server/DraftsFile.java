package org.custody.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.files.OwnerOnly;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.record.RecordCodec;
import org.sqlite.SQLiteConfig;

/**
 * Open drafts and the signatures they have collected, kept durably in a small SQLite file beside the
 * ledger ({@code <ledger>.drafts}), so a restart loses no signature. Finished drafts are deleted: what
 * matters of them is in the ledger. Every write is its own durable transaction (WAL, synchronous=FULL).
 */
final class DraftStore implements AutoCloseable {
    private static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final Connection c;

    private DraftStore(Path file, Connection c) {
        this.file = file;
        this.c = c;
    }

    /** Opens (creating if needed) the drafts file of the ledger {@code ledger}; refuses another ledger's file. */
    static DraftStore open(Path file, LedgerId ledger) {
        try {
            // drafts name people and may hold recusal reasons: owner-only, and SQLite's -wal and -shm files follow it
            OwnerOnly.createFile(file);
        } catch (FileAlreadyExistsException e) {
            // opened as it is
        } catch (IOException e) {
            throw new LedgerStoreException("cannot create drafts file " + file + ": " + e.getMessage(), e);
        }
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            config.enforceForeignKeys(true);
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS custody_drafts_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS drafts (id TEXT PRIMARY KEY, owner TEXT NOT NULL, request_hash BLOB NOT NULL,"
                        + " record BLOB NOT NULL, sites TEXT NOT NULL, opened TEXT NOT NULL, expires TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS draft_signatures (draft TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,"
                        + " person TEXT NOT NULL, key TEXT NOT NULL, sig TEXT NOT NULL, PRIMARY KEY (draft, person))");
                s.execute("INSERT OR IGNORE INTO custody_drafts_meta (name, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO custody_drafts_meta (name, value) VALUES ('ledger', ?)")) {
                p.setString(1, ledger.value());
                p.executeUpdate();
            }
            String version = meta(c, "schema_version");
            String owner = meta(c, "ledger");
            if (!String.valueOf(SCHEMA_VERSION).equals(version) || !ledger.value().equals(owner)) {
                c.close();
                throw new LedgerStoreException("drafts file " + file + " belongs to ledger " + owner + " (schema " + version
                        + "), not to ledger " + ledger + "; move it away");
            }
            return new DraftStore(file, c);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot open drafts file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String meta(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM custody_drafts_meta WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    synchronized void opened(Draft d) {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO drafts (id, owner, request_hash, record, sites, opened, expires) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, d.id);
            p.setString(2, d.owner);
            p.setBytes(3, d.requestHash);
            p.setBytes(4, RecordCodec.canonicalBytes(d.record));
            p.setString(5, String.join(",", d.sites));
            p.setString(6, d.opened.toString());
            p.setString(7, d.expires.toString());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    synchronized void signed(Draft d, PersonId person, Signature signature) {
        try (PreparedStatement p = c.prepareStatement("INSERT OR IGNORE INTO draft_signatures (draft, person, key, sig) VALUES (?, ?, ?, ?)")) {
            p.setString(1, d.id);
            p.setString(2, person.value());
            p.setString(3, signature.key().hex());
            p.setString(4, signature.base64());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Forgets a finished draft. */
    synchronized void finished(Draft d) {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM drafts WHERE id = ?")) {
            p.setString(1, d.id);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The drafts kept, with their signatures in the order they arrived. */
    synchronized List<Draft> load() {
        List<Draft> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, owner, request_hash, record, sites, opened, expires FROM drafts ORDER BY rowid");
             PreparedStatement sigs = c.prepareStatement("SELECT person, key, sig FROM draft_signatures WHERE draft = ? ORDER BY rowid")) {
            while (rs.next()) {
                Draft d = new Draft(rs.getString(1), rs.getString(2), rs.getBytes(3), RecordCodec.decode(rs.getBytes(4)),
                        new HashSet<>(Arrays.asList(rs.getString(5).split(","))), Instant.parse(rs.getString(6)),
                        Instant.parse(rs.getString(7)));
                sigs.setString(1, d.id);
                try (ResultSet r = sigs.executeQuery()) {
                    while (r.next()) {
                        d.signatures.put(PersonId.of(r.getString(1)), Signature.fromBase64(KeyId.of(r.getString(2)), r.getString(3)));
                    }
                }
                out.add(d);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    private LedgerStoreException failed(SQLException e) {
        return new LedgerStoreException("cannot write drafts file " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot close drafts file " + file + ": " + e.getMessage(), e);
        }
    }
}
