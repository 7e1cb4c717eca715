package org.custody.ledger.sqlite;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.KeyId;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.store.StoredKey;
import org.custody.timestamp.TimestampToken;

/**
 * The checkpoint tables of schema version 2: the keys that may sign checkpoints ({@code checkpoint_keys}, filled
 * as enrolments are stored, {@link SqliteStore}) and the signed checkpoints ({@code checkpoints}); and from version 6
 * the checkpoints' RFC 3161 tokens ({@code checkpoint_timestamps}).
 */
public final class CheckpointStore {
    /** What every Custody checkpoint origin starts with; the ledger id follows. */
    static final String ORIGIN_PREFIX = "custody/ledger/";

    private CheckpointStore() {}

    /** The checkpoint origin of ledger {@code id}, which is also its checkpoint keys' note key name. */
    public static String origin(LedgerId id) {
        return ORIGIN_PREFIX + id.value();
    }

    /**
     * The keys that may sign the checkpoint of the first {@code size} entries: keys enrolled for a
     * {@code checkpoint_signer} by an entry before {@code size} and not revoked by one before {@code size}.
     */
    public static List<StoredKey> keys(Connection c, long size) throws SQLException {
        List<StoredKey> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT ck.key_id, k.person, k.alg, k.public, k.enrolled_seq,"
                + " k.revoked_from, k.revoked_seq FROM checkpoint_keys ck"
                + " JOIN keys k ON k.key_id = ck.key_id WHERE ck.enrolled_seq < ? AND (k.revoked_seq IS NULL OR k.revoked_seq >= ?)"
                + " ORDER BY ck.enrolled_seq")) {
            s.setLong(1, size);
            s.setLong(2, size);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String revokedFrom = rs.getString(6);
                    try {
                        out.add(new StoredKey(KeyId.of(rs.getString(1)), PersonId.of(rs.getString(2)),
                                SignatureAlgorithm.fromWire(rs.getString(3)), rs.getBytes(4), rs.getLong(5),
                                revokedFrom == null ? null : Instant.parse(revokedFrom), revokedFrom == null ? -1 : rs.getLong(7)));
                    } catch (RuntimeException e) {
                        throw new LedgerStoreException("a stored checkpoint key of key " + rs.getString(1) + " is damaged ("
                                + e.getMessage() + "); run a verification", e);
                    }
                }
            }
        }
        return out;
    }

    public static void insert(Connection c, long size, byte[] root, SignedNote note, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO checkpoints (size, root, note, made_at) VALUES (?, ?, ?, ?)")) {
            s.setLong(1, size);
            s.setBytes(2, root);
            s.setBytes(3, note.bytes());
            s.setString(4, at.toString());
            s.executeUpdate();
        }
    }

    public static void replace(Connection c, long size, SignedNote note) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE checkpoints SET note = ? WHERE size = ?")) {
            s.setBytes(1, note.bytes());
            s.setLong(2, size);
            if (s.executeUpdate() != 1) {
                throw new LedgerStoreException("no checkpoint of size " + size + " to add cosignatures to");
            }
        }
    }

    /** Stores the time-stamp token of the checkpoint of {@code size} (version 6). */
    public static void insertTimestamp(Connection c, long size, TimestampToken token) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO checkpoint_timestamps (size, token) VALUES (?, ?)")) {
            s.setLong(1, size);
            s.setBytes(2, token.bytes());
            s.executeUpdate();
        }
    }

    /** The time-stamp token stored with the checkpoint of {@code size}, if any. */
    public static Optional<TimestampToken> readTimestamp(Connection c, long size) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT token FROM checkpoint_timestamps WHERE size = ?")) {
            s.setLong(1, size);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(TimestampToken.parse(rs.getBytes(1)));
                } catch (RuntimeException e) {
                    throw new LedgerStoreException("the stored time-stamp token of the checkpoint of size " + size
                            + " is damaged (" + e.getMessage() + "); run a verification", e);
                }
            }
        }
    }

    /** The stored checkpoint of {@code size}, or with {@code size < 0} the largest one. */
    public static Optional<SignedNote> read(Connection c, long size) throws SQLException {
        String sql = size < 0 ? "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1" : "SELECT note FROM checkpoints WHERE size = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (size >= 0) {
                s.setLong(1, size);
            }
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] bytes = rs.getBytes(1);
                try {
                    return Optional.of(SignedNote.parse(bytes));
                } catch (RuntimeException e) {
                    throw new LedgerStoreException("a stored checkpoint is damaged (" + e.getMessage() + "): "
                            + new String(bytes, StandardCharsets.UTF_8).lines().limit(2).toList() + "; run a verification", e);
                }
            }
        }
    }
}
