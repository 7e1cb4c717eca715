package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.Signature;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.PersonId;
import org.custody.store.KeptDraft;
import org.custody.store.KeptDrafts;

/**
 * The drafts tables schema version 6 adds (docs/formats.md §7.5), on the store's connection in auto-commit mode: each
 * call is one statement or a read, so each write is durable and visible to the other processes when it returns. The
 * statements run unchanged on SQLite and PostgreSQL. The owner serialises calls (the ledger's lock).
 */
final class DraftTable implements KeptDrafts {
    static final List<String> CREATE = List.of(
            "CREATE TABLE drafts (id TEXT PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL,"
                    + " request_hash BLOB NOT NULL, record BLOB NOT NULL, sites TEXT NOT NULL, opened INTEGER NOT NULL,"
                    + " expires INTEGER NOT NULL, state TEXT NOT NULL, finished INTEGER, entry_seq INTEGER, entry_hash BLOB,"
                    + " already_present INTEGER, findings BLOB)",
            "CREATE TABLE draft_signatures (draft TEXT NOT NULL, person TEXT NOT NULL, key TEXT NOT NULL, sig TEXT NOT NULL,"
                    + " arrived INTEGER NOT NULL, PRIMARY KEY (draft, person))",
            "CREATE INDEX drafts_by_state ON drafts (state, opened)");

    private static final String COLUMNS = "id, record_id, owner, request_hash, record, sites, opened, expires, state, finished,"
            + " entry_seq, entry_hash, already_present, findings";

    private final Connection c;
    private final String name;

    DraftTable(Connection c, String name) {
        this.c = c;
        this.name = name;
    }

    @Override
    public boolean open(KeptDraft d) {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO drafts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " NULL, NULL, NULL, NULL, NULL) ON CONFLICT DO NOTHING")) {
            p.setString(1, d.id());
            p.setString(2, d.recordId());
            p.setString(3, d.owner());
            p.setBytes(4, d.requestHash().bytes());
            p.setBytes(5, d.record());
            p.setString(6, String.join(",", d.sites().stream().sorted().toList()));
            p.setLong(7, d.opened().toEpochMilli());
            p.setLong(8, d.expires().toEpochMilli());
            p.setString(9, KeptDraft.OPEN);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failed("keep a draft in", e);
        }
    }

    @Override
    public Optional<KeptDraft> get(String id) {
        return one("id", id);
    }

    @Override
    public Optional<KeptDraft> ofRecord(String recordId) {
        return one("record_id", recordId);
    }

    private Optional<KeptDraft> one(String column, String value) {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM drafts WHERE " + column + " = ?")) {
            p.setString(1, value);
            List<KeptDraft> out = read(p);
            return out.stream().findFirst();
        } catch (SQLException e) {
            throw failed("read the drafts of", e);
        }
    }

    @Override
    public void sign(String id, PersonId person, Signature signature, Instant at) {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO draft_signatures (draft, person, key, sig, arrived)"
                + " SELECT id, ?, ?, ?, ? FROM drafts WHERE id = ? AND state = ? ON CONFLICT DO NOTHING")) {
            p.setString(1, person.value());
            p.setString(2, signature.key().hex());
            p.setString(3, signature.base64());
            p.setLong(4, at.toEpochMilli());
            p.setString(5, id);
            p.setString(6, KeptDraft.OPEN);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failed("keep a draft's signature in", e);
        }
    }

    @Override
    public boolean finish(String id, String state, Instant finished, KeptDraft.Outcome outcome) {
        try (PreparedStatement p = c.prepareStatement("UPDATE drafts SET state = ?, finished = ?, entry_seq = ?, entry_hash = ?,"
                + " already_present = ?, findings = ? WHERE id = ? AND (state = ? OR (? = 'committed' AND state IN ('cancelled', 'expired')))")) {
            p.setString(1, state);
            p.setLong(2, finished.toEpochMilli());
            if (outcome == null) {
                p.setNull(3, Types.BIGINT);
                p.setNull(4, Types.BINARY);
                p.setNull(5, Types.BIGINT);
                p.setNull(6, Types.BINARY);
            } else {
                p.setLong(3, outcome.seq());
                if (outcome.hash() == null) {
                    p.setNull(4, Types.BINARY);
                } else {
                    p.setBytes(4, outcome.hash().bytes());
                }
                p.setLong(5, outcome.alreadyPresent() ? 1 : 0);
                p.setBytes(6, lines(outcome.findings()));
            }
            p.setString(7, id);
            p.setString(8, KeptDraft.OPEN);
            p.setString(9, state);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failed("finish a draft in", e);
        }
    }

    @Override
    public int expire(Instant now) {
        try (PreparedStatement p = c.prepareStatement("UPDATE drafts SET state = 'expired', finished = expires"
                + " WHERE state = ? AND expires <= ?")) {
            p.setString(1, KeptDraft.OPEN);
            p.setLong(2, now.toEpochMilli());
            return p.executeUpdate();
        } catch (SQLException e) {
            throw failed("expire drafts in", e);
        }
    }

    @Override
    public List<KeptDraft> open() {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM drafts WHERE state = ? ORDER BY opened, id")) {
            p.setString(1, KeptDraft.OPEN);
            return read(p);
        } catch (SQLException e) {
            throw failed("read the drafts of", e);
        }
    }

    @Override
    public long openCount() {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM drafts WHERE state = ?")) {
            p.setString(1, KeptDraft.OPEN);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failed("count the drafts of", e);
        }
    }

    @Override
    public int forget(Instant before) {
        // the signatures first: a draft's rows go together, and no process reads a signature without its draft
        try (PreparedStatement sigs = c.prepareStatement("DELETE FROM draft_signatures WHERE draft IN"
                + " (SELECT id FROM drafts WHERE state <> ? AND finished < ?)");
             PreparedStatement drafts = c.prepareStatement("DELETE FROM drafts WHERE state <> ? AND finished < ?")) {
            for (PreparedStatement p : List.of(sigs, drafts)) {
                p.setString(1, KeptDraft.OPEN);
                p.setLong(2, before.toEpochMilli());
            }
            sigs.executeUpdate();
            return drafts.executeUpdate();
        } catch (SQLException e) {
            throw failed("forget finished drafts in", e);
        }
    }

    private List<KeptDraft> read(PreparedStatement p) throws SQLException {
        List<KeptDraft> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery();
             PreparedStatement sigs = c.prepareStatement("SELECT person, key, sig FROM draft_signatures WHERE draft = ?"
                     + " ORDER BY arrived, person")) {
            while (rs.next()) {
                String id = rs.getString(1);
                List<KeptDraft.KeptSignature> signatures = new ArrayList<>();
                sigs.setString(1, id);
                try (ResultSet r = sigs.executeQuery()) {
                    while (r.next()) {
                        signatures.add(new KeptDraft.KeptSignature(PersonId.of(r.getString(1)),
                                Signature.fromBase64(KeyId.of(r.getString(2)), r.getString(3))));
                    }
                }
                try {
                    byte[] hash = rs.getBytes(12);
                    long seq = rs.getLong(11);
                    KeptDraft.Outcome outcome = rs.wasNull() ? null
                            : new KeptDraft.Outcome(seq, hash == null ? null : Hash.of(hash), rs.getLong(13) == 1, split(rs.getBytes(14)));
                    long finished = rs.getLong(10);
                    boolean unfinished = rs.wasNull();
                    out.add(new KeptDraft(id, rs.getString(2), rs.getString(3), Hash.of(rs.getBytes(4)), rs.getBytes(5),
                            new HashSet<>(Arrays.asList(rs.getString(6).split(","))), Instant.ofEpochMilli(rs.getLong(7)),
                            Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9), unfinished ? null : Instant.ofEpochMilli(finished),
                            outcome, signatures));
                } catch (RuntimeException e) {
                    throw new LedgerStoreException("the kept draft " + id + " in " + name + " is damaged (" + e.getMessage() + ")", e);
                }
            }
        }
        return out;
    }

    private static byte[] lines(List<byte[]> findings) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] f : findings) {
            out.writeBytes(f);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static List<byte[]> split(byte[] lines) {
        List<byte[]> out = new ArrayList<>();
        if (lines == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] == '\n') {
                out.add(Arrays.copyOfRange(lines, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private LedgerStoreException failed(String doing, SQLException e) {
        return new LedgerStoreException("cannot " + doing + " " + name + ": " + e.getMessage(), e);
    }
}
