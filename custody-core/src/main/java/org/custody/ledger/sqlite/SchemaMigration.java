package org.custody.ledger.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.custody.crypto.Suite;
import org.custody.ledger.LedgerStoreException;

/**
 * Brings a ledger file of an older schema version to {@link Schema#VERSION}, in one transaction: all of it or
 * nothing. Version 1 to 2 turns the bag history index into links ordered by entry ({@code bag_links}), adds the
 * transparency tables and builds the Merkle tree from the entries (one pass); a version 1 file has no
 * checkpoint keys (the {@code checkpoint_signer} role did not exist) and no checkpoints. Version 2 to 3 changes no
 * table: from version 3 on, every entry the file's writers append carries its append time (docs/formats.md §5), and
 * the version number keeps writers that would append entries without one (Custody 0.1) from opening the file.
 * Version 3 to 4 adds the (empty) tables of the custody rules' state and kept findings, which the append gate fills by
 * replaying the entries the first time it appends and keeps from then on, and builds the index of entries by type.
 * Version 4 to 5 adds the tables of questions (docs/formats.md §7.3) and indexes every stored entry's terms; the bag rows
 * come with the rules' state, whose version rose with them, so the gate writes it all again when the file is opened.
 * Version 5 to 6 adds the (empty) drafts tables ({@link DraftTable}).
 * Version 6 to 7 adds the (empty) table of checkpoints' time-stamp tokens.
 */
final class SchemaMigration {
    private SchemaMigration() {}

    /** Moves the version number from {@code from} to the next, failing if another process moved it meanwhile. */
    private static void step(Connection c, int from) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (s.executeUpdate("UPDATE custody_meta SET value = '" + (from + 1) + "' WHERE name = 'schema_version' AND value = '"
                    + from + "'") != 1) {
                throw new LedgerStoreException("the schema version changed during the migration; nothing was changed");
            }
        }
    }

    /**
     * Migrates the file behind {@code c} (a writer, outside a transaction) to {@link Schema#VERSION}; the version
     * is read again inside the write transaction, since another process may have migrated it meanwhile.
     */
    static void migrate(Connection c, Path file, Suite suite) throws SQLException {
        Sqlite.begin(c);
        try {
            int version = Meta.read(c, file).schemaVersion();
            if (version == 1) {
                Schema.linkBagHistory(c);
                try (Statement s = c.createStatement()) {
                    for (String sql : Schema.CREATE_V2) {
                        s.execute(sql);
                    }
                }
                new TreeStore(suite.hash()).rebuild(c);
                step(c, 1);
                version = 2;
            }
            if (version == 2) {
                step(c, 2);
                version = 3;
            }
            if (version == 3) {
                try (Statement s = c.createStatement()) {
                    for (String sql : Schema.CREATE_V4) {
                        s.execute(sql);
                    }
                }
                step(c, 3);
                version = 4;
            }
            if (version == 4) {
                QueryTables.create(c, true);
                step(c, 4);
                version = 5;
            }
            if (version == 5 || version == 6) {
                Schema.upgradeFrom5(c, sql -> sql, version);
            }
            Sqlite.commit(c);
        } catch (SQLException | RuntimeException e) {
            try {
                Sqlite.rollback(c);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
