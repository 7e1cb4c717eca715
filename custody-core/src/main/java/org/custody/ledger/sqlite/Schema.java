package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema, version 3. {@code entries} is the ledger; the other tables are indexes derived
 * from it (the head, each bag's last entry and the links of its history, enrolled keys) that the append
 * gate reads. Version 1 kept a bag's history as {@code bag_entries (bag, seq)}, ordered by bag, so every
 * batch of appends wrote one page per bag it moved; version 2 keeps it as links ordered by entry, which a
 * batch appends at the end of the table, and adds the transparency tables ({@link #CREATE_V2}): the Merkle
 * tree's tiles, the checkpoint signing keys enrolled in the ledger and the signed checkpoints. A version 1
 * file is migrated when it is opened for writing ({@link SchemaMigration}); the verifier reads both. Version 3 has the
 * tables of version 2; its writers stamp every entry they append with the time ({@code appended}, docs/formats.md §5).
 * Version 4 adds the custody rules' state and kept findings ({@link RuleStateTable}), so that opening a ledger replays
 * no entry, and an index of the entries by type ({@link #CREATE_V4}). Version 5 adds the tables of questions over many
 * bags or entries ({@link QueryTables}: bags by attribute and stage, entries by person, seal and place, findings by code).
 * Version 6 adds the handoff drafts that servers keep for their signatures ({@link DraftTable}): not ledger data, but kept
 * in the ledger's store so that several server instances on one store share them.
 * Version 7 adds the RFC 3161 time-stamp tokens of checkpoints ({@link #CREATE_V7}, docs/formats.md §7.6).
 */
public final class Schema {
    public static final int VERSION = 7;
    /** Oldest version this software reads (the verifier reads {@code entries} and {@code head} only) and upgrades. */
    static final int OLDEST = 1;

    /** One row per bag an entry names, with the bag's previous entry ({@code NULL} at its registration). */
    private static final String BAG_LINKS = "CREATE TABLE bag_links (seq INTEGER NOT NULL, bag TEXT NOT NULL, prev INTEGER,"
            + " PRIMARY KEY (seq, bag)) WITHOUT ROWID";

    static final List<String> CREATE = List.of(
            "CREATE TABLE custody_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL, record_id TEXT NOT NULL UNIQUE,"
                    + " type TEXT NOT NULL, at TEXT NOT NULL, body BLOB NOT NULL)",
            "CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB NOT NULL)",
            "CREATE TABLE bag_heads (bag TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL) WITHOUT ROWID",
            BAG_LINKS,
            "CREATE TABLE keys (key_id TEXT PRIMARY KEY, person TEXT NOT NULL, alg TEXT NOT NULL, public BLOB NOT NULL,"
                    + " enrolled_seq INTEGER NOT NULL, revoked_from TEXT, revoked_seq INTEGER) WITHOUT ROWID");

    /** Tables added by version 2. */
    static final List<String> CREATE_V2 = List.of(
            TreeStore.CREATE,
            "CREATE TABLE checkpoint_keys (key_id TEXT PRIMARY KEY, enrolled_seq INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, note BLOB NOT NULL,"
                    + " made_at TEXT NOT NULL)");

    /**
     * What version 4 adds: the custody rules' state and kept findings, and an index of the entries by record type, so
     * that reading the entries of a few types (the key records for the key directory, the registrations for the list
     * of bags) reads those rows only, not the whole ledger. SQLite keeps the index itself; it holds no value of ours.
     */
    static final List<String> CREATE_V4 = java.util.stream.Stream.concat(RuleStateTable.CREATE.stream(),
            java.util.stream.Stream.of("CREATE INDEX IF NOT EXISTS entries_by_type ON entries (type, seq)")).toList();

    /**
     * What version 7 adds: a time-stamping authority's RFC 3161 token for a stored checkpoint, kept beside it (the note
     * itself is unchanged), at most one a size.
     */
    static final List<String> CREATE_V7 = List.of(
            "CREATE TABLE checkpoint_timestamps (size INTEGER PRIMARY KEY, token BLOB NOT NULL) WITHOUT ROWID");

    private Schema() {}

    /** The statements that create the tables and indexes of the current version, in SQLite's dialect. */
    public static List<String> statements() {
        return java.util.stream.Stream.of(CREATE, CREATE_V2, CREATE_V4, QueryTables.CREATE, DraftTable.CREATE, CREATE_V7).flatMap(List::stream).toList();
    }

    public static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements()) {
                s.execute(sql);
            }
            s.execute("INSERT INTO custody_meta (name, value) VALUES ('schema_version', '" + VERSION + "')");
        }
    }

    /**
     * Versions 5 and 6 to {@link #VERSION}, inside the caller's write transaction, in its dialect ({@code dialect}
     * translates a SQLite statement, for PostgreSQL): version 6 adds the drafts tables, version 7 the table of
     * time-stamp tokens. Each step moves the version number by one.
     *
     * @param version the version the caller read in this transaction (5 or 6)
     * @throws LedgerStoreException if another process moved the version meanwhile
     */
    public static void upgradeFrom5(Connection c, java.util.function.UnaryOperator<String> dialect, int version) throws SQLException {
        if (version == 5) {
            addTables(c, dialect, "drafts", DraftTable.CREATE, 5);
            version = 6;
        }
        if (version == 6) {
            addTables(c, dialect, "checkpoint_timestamps", CREATE_V7, 6);
        }
    }

    /** One step from {@code from}: creates {@code table} with {@code statements}, then moves the version number. */
    private static void addTables(Connection c, java.util.function.UnaryOperator<String> dialect, String table,
                                  List<String> statements, int from) throws SQLException {
        try (Statement s = c.createStatement()) {
            // a file whose version number was set back (by hand, or by a forger) may have the tables already
            if (!Meta.hasTable(c, table)) {
                for (String sql : statements) {
                    s.execute(dialect.apply(sql));
                }
            }
            if (s.executeUpdate("UPDATE custody_meta SET value = '" + (from + 1) + "' WHERE name = 'schema_version' AND value = '"
                    + from + "'") != 1) {
                throw new org.custody.ledger.LedgerStoreException("the schema version changed during the migration;"
                        + " nothing was changed");
            }
        }
    }

    /** Version 1 to 2, inside the caller's write transaction: a bag's history as links in entry order. */
    static void linkBagHistory(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(BAG_LINKS);
            s.execute("INSERT INTO bag_links (seq, bag, prev)"
                    + " SELECT seq, bag, lag(seq) OVER (PARTITION BY bag ORDER BY seq) FROM bag_entries");
            s.execute("DROP TABLE bag_entries");
        }
    }
}
