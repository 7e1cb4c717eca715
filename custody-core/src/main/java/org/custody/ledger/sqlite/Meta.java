package org.custody.ledger.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.LedgerId;

/** The ledger's identity and schema version, from the {@code custody_meta} table. */
public record Meta(int schemaVersion, LedgerId ledger, Suite suite) {
    public static Meta read(Connection c, Path file) throws SQLException {
        return read(c, file.toString());
    }

    /** The identity of the ledger at {@code where} (a file, a database schema: for messages). */
    public static Meta read(Connection c, String file) throws SQLException {
        Map<String, String> values = new HashMap<>();
        if (!hasTable(c, "custody_meta")) {
            throw new LedgerStoreException(file + " is not a Custody ledger (no custody_meta table)");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, value FROM custody_meta")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        String version = values.get("schema_version");
        int number = -1;
        try {
            number = version == null ? -1 : Integer.parseInt(version);
        } catch (NumberFormatException e) {
            // reported below
        }
        if (number < Schema.OLDEST || number > Schema.VERSION) {
            throw new LedgerStoreException(file + " has schema version " + version + "; this software reads versions "
                    + Schema.OLDEST + " to " + Schema.VERSION);
        }
        try {
            return new Meta(number, LedgerId.of(values.get("ledger")), Suite.fromWire(values.get("suite")));
        } catch (MalformedInputException | NullPointerException e) {
            throw new LedgerStoreException(file + " has damaged metadata: " + e.getMessage(), e);
        }
    }

    /**
     * For the verifier: the file's identity even when {@code custody_meta} is damaged (a row missing, an id or suite
     * that does not parse, a version that is not a number), taken instead from the signed genesis entry and from the
     * tables the file has; each damage goes to {@code damage}, for the verifier to report (I11) rather than refuse.
     * A file without the table, or of a version newer than this software reads, is still refused.
     */
    public static Meta readOrRecover(Connection c, Path file, java.util.function.Consumer<String> damage) throws SQLException {
        return readOrRecover(c, file.toString(), damage);
    }

    /** As {@link #readOrRecover(Connection, Path, java.util.function.Consumer)}, for the ledger at {@code file}. */
    public static Meta readOrRecover(Connection c, String file, java.util.function.Consumer<String> damage) throws SQLException {
        try {
            return read(c, file);
        } catch (LedgerStoreException e) {
            if (e.getMessage().contains("no custody_meta table") || newerVersion(c)) {
                throw e;
            }
            org.custody.record.Genesis genesis;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM entries WHERE seq = 0")) {
                if (!rs.next() || !(org.custody.record.Entry.decode(rs.getBytes(1)).record() instanceof org.custody.record.Genesis g)) {
                    throw e;
                }
                genesis = g;
            } catch (MalformedInputException unreadable) {
                throw e;
            }
            damage.accept(e.getMessage().replace(file + " ", "custody_meta of this file: "));
            int version = hasTable(c, "tree_tiles") ? Schema.VERSION : Schema.OLDEST;
            return new Meta(version, genesis.ledger(), genesis.suite());
        }
    }

    /** Whether the stored version is a number above what this software reads (a newer file, not a damaged one). */
    private static boolean newerVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT value FROM custody_meta WHERE name = 'schema_version'")) {
            if (!rs.next()) {
                return false;
            }
            try {
                return Integer.parseInt(rs.getString(1)) > Schema.VERSION;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    /**
     * Whether the ledger on {@code c} has table {@code name}: in SQLite's catalogue, or in PostgreSQL's for the
     * connection's current schema (one ledger's).
     */
    public static boolean hasTable(Connection c, String name) throws SQLException {
        boolean sqlite = "SQLite".equals(c.getMetaData().getDatabaseProductName());
        try (PreparedStatement s = c.prepareStatement(sqlite
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
                : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    /** Writes a new file's identity (the schema version is {@link Schema#create}'s), inside the caller's transaction. */
    public static void write(Connection c, LedgerId ledger, Suite suite) throws SQLException {
        try (PreparedStatement meta = c.prepareStatement("INSERT INTO custody_meta (name, value) VALUES (?, ?)")) {
            meta.setString(1, "ledger");
            meta.setString(2, ledger.value());
            meta.executeUpdate();
            meta.setString(1, "suite");
            meta.setString(2, suite.wire());
            meta.executeUpdate();
        }
    }
}
