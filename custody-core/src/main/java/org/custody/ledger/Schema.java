package org.custody.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema, version 2. {@code entries} is the ledger; the other tables are indexes derived
 * from it (the head, each bag's last entry and history, enrolled keys) that the append gate reads.
 * Version 2 adds the transparency tables ({@link #CREATE_V2}): the Merkle tree's tiles, the checkpoint
 * signing keys enrolled in the ledger and the signed checkpoints. A version 1 file is migrated when it is
 * opened for writing ({@link SchemaMigration}); the verifier reads both.
 */
final class Schema {
    static final int VERSION = 2;
    /** The oldest version this software opens (and migrates). */
    static final int OLDEST = 1;

    static final List<String> CREATE = List.of(
            "CREATE TABLE custody_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL, record_id TEXT NOT NULL UNIQUE,"
                    + " type TEXT NOT NULL, at TEXT NOT NULL, body BLOB NOT NULL)",
            "CREATE TABLE head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB NOT NULL)",
            "CREATE TABLE bag_heads (bag TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL) WITHOUT ROWID",
            "CREATE TABLE bag_entries (bag TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (bag, seq)) WITHOUT ROWID",
            "CREATE TABLE keys (key_id TEXT PRIMARY KEY, person TEXT NOT NULL, alg TEXT NOT NULL, public BLOB NOT NULL,"
                    + " enrolled_seq INTEGER NOT NULL, revoked_from TEXT, revoked_seq INTEGER) WITHOUT ROWID");

    /** Tables added by version 2. */
    static final List<String> CREATE_V2 = List.of(
            TreeStore.CREATE,
            "CREATE TABLE checkpoint_keys (key_id TEXT PRIMARY KEY, enrolled_seq INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, note BLOB NOT NULL,"
                    + " made_at TEXT NOT NULL)");

    private Schema() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
            for (String sql : CREATE_V2) {
                s.execute(sql);
            }
            s.execute("INSERT INTO custody_meta (name, value) VALUES ('schema_version', '" + VERSION + "')");
        }
    }
}
