package org.custody.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Edits a closed ledger file with plain JDBC, the way someone with the file but without the keys could:
 * no Custody code is involved, so nothing re-checks or re-indexes what is written.
 */
public final class Tamper implements AutoCloseable {
    private final Connection c;

    private Tamper(Connection c) {
        this.c = c;
    }

    public static Tamper open(Path file) {
        try {
            return new Tamper(DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored body of entry {@code seq} of a closed ledger file. */
    public static byte[] body(Path file, long seq) {
        try (Tamper t = open(file)) {
            return t.body(seq);
        }
    }

    public byte[] body(long seq) {
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM entries WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no entry " + seq);
                }
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void setBody(long seq, byte[] body) {
        update("UPDATE entries SET body = ? WHERE seq = ?", body, seq);
    }

    public void deleteEntry(long seq) {
        update("DELETE FROM entries WHERE seq = ?", seq);
    }

    /** Deletes every entry from {@code seq} on. */
    public void deleteFrom(long seq) {
        update("DELETE FROM entries WHERE seq >= ?", seq);
    }

    /** Appends a row at {@code seq} holding a copy of entry {@code from} (under a fresh record id, which is unique). */
    public void appendCopy(long from, long seq) {
        update("INSERT INTO entries (seq, hash, record_id, type, at, body) SELECT ?, hash, record_id || '-copy', type, at, body"
                + " FROM entries WHERE seq = ?", seq, from);
    }

    /** Sets the stored head to the entry at {@code seq} (its hash as stored), as a careful forger would. */
    public void headAt(long seq) {
        update("UPDATE head SET seq = ?, hash = (SELECT hash FROM entries WHERE seq = ?) WHERE id = 1", seq, seq);
    }

    /**
     * Deletes the Merkle tree tiles (schema version 2) that cover any leaf from {@code size} on, so that a truncation
     * to {@code size} entries leaves a tree consistent with what remains, as a careful forger would.
     */
    public void deleteTreeFrom(long size) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM tree_tiles WHERE ((idx + 1) << (4 * (level + 1))) > ?")) {
            s.setLong(1, size);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the index tables agree with a truncation to {@code size} entries, as a careful forger would: the bag links,
     * bag heads, keys, checkpoint keys and entry terms that only the removed entries implied are removed or rolled back.
     */
    public void deleteIndexesFrom(long size) {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM bag_links WHERE seq >= " + size);
            s.executeUpdate("DELETE FROM bag_heads WHERE bag NOT IN (SELECT bag FROM bag_links)");
            s.executeUpdate("UPDATE bag_heads SET seq = (SELECT max(seq) FROM bag_links l WHERE l.bag = bag_heads.bag),"
                    + " hash = (SELECT e.hash FROM entries e WHERE e.seq = (SELECT max(seq) FROM bag_links l WHERE l.bag = bag_heads.bag))");
            s.executeUpdate("DELETE FROM keys WHERE enrolled_seq >= " + size);
            s.executeUpdate("UPDATE keys SET revoked_from = NULL, revoked_seq = NULL WHERE revoked_seq >= " + size);
            s.executeUpdate("DELETE FROM checkpoint_keys WHERE enrolled_seq >= " + size);
            s.executeUpdate("DELETE FROM entry_terms WHERE seq >= " + size);
            // the rules' state reflects the whole ledger: a consistent tamperer drops it (as a file upgraded to schema 4
            // has none until its next append), and the gate rebuilds it by replaying what is left
            s.executeUpdate("DELETE FROM rule_state");
            s.executeUpdate("DELETE FROM rule_state_at");
            s.executeUpdate("DELETE FROM findings");
            s.executeUpdate("DELETE FROM finding_bags");
            s.executeUpdate("DELETE FROM bag_index");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count() {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM entries")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement on a closed ledger file (a fresh connection, closed after); it must change a row. */
    public static void sql(Path file, String statement, Object... args) {
        try (Tamper t = open(file)) {
            t.update(statement, args);
        }
    }

    /** Runs one statement with {@code args} bound in order; it must change at least one row. */
    public void update(String sql, Object... args) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            if (s.executeUpdate() < 1) {
                throw new IllegalStateException("no row changed by " + sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
