package org.custody.ledger.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.custody.ledger.sqlite.Schema;

/**
 * The PostgreSQL schema of one ledger (docs/formats.md §7.4): the tables and indexes of the SQLite schema's current
 * version ({@link Schema}), in one PostgreSQL schema per ledger, translated to PostgreSQL's types ({@code BLOB} is
 * {@code BYTEA}, every {@code INTEGER} a {@code BIGINT}; {@code WITHOUT ROWID} has no counterpart). One definition,
 * two dialects: a table added to the SQLite schema is added here too.
 */
final class PostgresSchema {
    private PostgresSchema() {}

    /** The statements that create one ledger's tables, in PostgreSQL's dialect. */
    static List<String> statements() {
        return Schema.statements().stream().map(PostgresSchema::translate).toList();
    }

    static String translate(String sqlite) {
        return sqlite.replace(" WITHOUT ROWID", "").replace("BLOB", "BYTEA").replace("INTEGER", "BIGINT")
                .replace("CREATE INDEX IF NOT EXISTS", "CREATE INDEX");
    }

    /** Whether {@code schema} already holds a ledger (its {@code custody_meta} table). */
    static boolean holdsLedger(Connection c, String schema) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'custody_meta'")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    /** Creates the schema (if the database has none of that name) and the ledger's tables in it. */
    static void create(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            // the name is checked by PostgresUrl: lower-case letters, digits and '_'
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute("SET LOCAL search_path TO " + schema);
            for (String sql : statements()) {
                s.execute(sql);
            }
            s.execute("INSERT INTO custody_meta (name, value) VALUES ('schema_version', '" + Schema.VERSION + "')");
        }
    }
}
