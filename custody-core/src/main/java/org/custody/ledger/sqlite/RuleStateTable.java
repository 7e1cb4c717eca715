package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.custody.crypto.Hash;
import org.custody.ledger.LedgerStoreException;
import org.custody.store.LedgerStore;

/**
 * The custody rules' state and findings kept beside the entries (schema version 4, docs/formats.md §7.1-7.2):
 * {@code rule_state} holds one row per bag, person, policy, vault... as the rules leave them, {@code rule_state_at}
 * says which entries they reflect, {@code findings} holds the rule findings of each entry and {@code finding_bags}
 * the bags each names (or, naming none, its entry's). All are written by the append gate in the transaction that
 * appends those entries; a verifier recomputes them.
 */
public final class RuleStateTable {
    static final List<String> CREATE = List.of(
            "CREATE TABLE rule_state (kind TEXT NOT NULL, key TEXT NOT NULL, grp TEXT, value BLOB NOT NULL,"
                    + " PRIMARY KEY (kind, key)) WITHOUT ROWID",
            "CREATE INDEX rule_state_groups ON rule_state (kind, grp) WHERE grp IS NOT NULL",
            "CREATE TABLE rule_state_at (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL,"
                    + " size INTEGER NOT NULL, head BLOB NOT NULL)",
            "CREATE TABLE findings (seq INTEGER NOT NULL, n INTEGER NOT NULL, code TEXT NOT NULL, body BLOB NOT NULL,"
                    + " PRIMARY KEY (seq, n)) WITHOUT ROWID",
            "CREATE TABLE finding_bags (seq INTEGER NOT NULL, n INTEGER NOT NULL, bag TEXT NOT NULL,"
                    + " PRIMARY KEY (seq, n, bag)) WITHOUT ROWID",
            "CREATE INDEX finding_bags_by_bag ON finding_bags (bag, seq, n)");

    private RuleStateTable() {}

    public static Optional<LedgerStore.StateAt> at(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, size, head FROM rule_state_at WHERE id = 1")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new LedgerStore.StateAt(rs.getInt(1), rs.getLong(2), Hash.of(rs.getBytes(3))));
            } catch (RuntimeException e) {
                throw new LedgerStoreException("the stored row of rule_state_at is damaged (" + e.getMessage() + "); run a verification", e);
            }
        }
    }

    /** Whether the file has a stamp of the rule state in row format {@code version}. */
    public static boolean hasStamp(Connection c, int version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM rule_state_at WHERE version = ?")) {
            s.setInt(1, version);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    public static boolean anyFinding(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM findings) OR EXISTS (SELECT 1 FROM finding_bags)")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    public static final String SELECT_ROW = "SELECT value FROM rule_state WHERE kind = ? AND key = ?";
    public static final String SELECT_KEYS = "SELECT key FROM rule_state WHERE kind = ? AND grp = ?";

    /** One row's value, by {@code select} ({@link #SELECT_ROW}, prepared once by the store: the gate reads a row per bag). */
    public static Optional<byte[]> row(PreparedStatement select, String kind, String key) throws SQLException {
        select.setString(1, kind);
        select.setString(2, key);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        }
    }

    public static void rows(Connection c, String kind, BiConsumer<String, byte[]> each) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT key, value FROM rule_state WHERE kind = ?")) {
            s.setString(1, kind);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs.getString(1), rs.getBytes(2));
                }
            }
        }
    }

    /** The keys of a group's rows, by {@code select} ({@link #SELECT_KEYS}, prepared once by the store). */
    public static List<String> keys(PreparedStatement select, String kind, String group) throws SQLException {
        select.setString(1, kind);
        select.setString(2, group);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Every row, in no particular order, for a verifier to compare with the state it recomputed. */
    static void all(Connection c, RowVisitor each) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT kind, key, grp, value FROM rule_state")) {
            while (rs.next()) {
                each.row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4));
            }
        }
    }

    public static void clear(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM rule_state");
            s.execute("DELETE FROM rule_state_at");
            s.execute("DELETE FROM findings");
            s.execute("DELETE FROM finding_bags");
        }
        QueryTables.clearBags(c);
    }

    /** The stored findings of the bag, in ledger order: those naming it, and those naming no bag on its entries. */
    public static List<byte[]> findings(Connection c, String bag) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT f.body FROM finding_bags b JOIN findings f ON f.seq = b.seq"
                + " AND f.n = b.n WHERE b.bag = ? ORDER BY b.seq, b.n")) {
            s.setString(1, bag);
            List<byte[]> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
            return out;
        }
    }

    public static void setAt(Connection c, LedgerStore.StateAt at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO rule_state_at (id, version, size, head) VALUES (1, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET version = excluded.version, size = excluded.size, head = excluded.head")) {
            s.setInt(1, at.version());
            s.setLong(2, at.size());
            s.setBytes(3, at.head().bytes());
            s.executeUpdate();
        }
    }

    /** A buffer of rows to insert or replace, written in multi-row statements. */
    public static RowBuffer writer(Connection c) {
        return new RowBuffer(c, "INSERT INTO rule_state (kind, key, grp, value)", 4,
                " ON CONFLICT (kind, key) DO UPDATE SET grp = excluded.grp, value = excluded.value");
    }

    /** Called with each stored row. */
    @FunctionalInterface
    interface RowVisitor {
        void row(String kind, String key, String group, byte[] value) throws SQLException;
    }
}
