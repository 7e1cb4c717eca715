package org.custody.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema, version 2. {@code entries} is the ledger; the other tables are indexes derived
 * from it (the head, each bag's last entry and the links of its history, enrolled keys) that the append
 * gate reads. Version 1 kept a bag's history as {@code bag_entries (bag, seq)}, ordered by bag, so every
 * batch of appends wrote one page per bag it moved; version 2 keeps it as links ordered by entry, which a
 * batch appends at the end of the table. {@link #migrate} upgrades a version 1 file in place.
 */
final class Schema {
    static final int VERSION = 2;
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

    private Schema() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
            s.execute("INSERT INTO custody_meta (name, value) VALUES ('schema_version', '" + VERSION + "')");
        }
    }

    /** Upgrades the schema from {@code from} to {@link #VERSION}, inside the caller's write transaction. */
    static void migrate(Connection c, int from) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (from == 1) {
                s.execute(BAG_LINKS);
                s.execute("INSERT INTO bag_links (seq, bag, prev)"
                        + " SELECT seq, bag, lag(seq) OVER (PARTITION BY bag ORDER BY seq) FROM bag_entries");
                s.execute("DROP TABLE bag_entries");
            }
            s.execute("UPDATE custody_meta SET value = '" + VERSION + "' WHERE name = 'schema_version'");
        }
    }
}
