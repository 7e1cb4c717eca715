package org.custody.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;

/**
 * Ledger state read from and written to the store's index tables, inside the append transaction: one
 * instance per transaction. Bag heads are written once per bag, at {@link #flush}, and read through
 * {@code knownBags}, heads the ledger already read or wrote, valid while nobody else has appended (the
 * ledger clears it when the head is not the one it left).
 */
final class SqlState extends LedgerState implements AutoCloseable {
    /** Most parsed keys a ledger keeps (a roster has far fewer; past this, keys are parsed on every read). */
    static final int MAX_PARSED_KEYS = 100_000;

    private final PreparedStatement selectKey;
    private final PreparedStatement upsertKey;
    private final PreparedStatement selectBag;
    private final RowBuffer upsertBags;
    private final Map<KeyId, PublicKey> parsedKeys;
    private final Map<BagId, BagHead> knownBags;
    /** Bag heads this transaction moved, written at {@link #flush}. */
    private final Map<BagId, BagHead> movedBags = new LinkedHashMap<>();
    /** Keys read or written in this transaction, which holds the write lock: nobody else changes them meanwhile. */
    private final Map<KeyId, Optional<KeyState>> keysRead = new HashMap<>();

    /**
     * @param parsedKeys public keys already parsed from the keys table, kept by the ledger across
     *                   transactions: parsing an Ed25519 key decompresses a curve point, which is not free
     * @param knownBags  bag heads as committed, kept by the ledger across transactions; read through, and
     *                   not changed here (see {@link #movedBags()})
     */
    SqlState(Connection connection, LedgerId ledger, Suite suite, Map<KeyId, PublicKey> parsedKeys,
             Map<BagId, BagHead> knownBags) throws SQLException {
        super(ledger, suite);
        this.parsedKeys = parsedKeys;
        this.knownBags = knownBags;
        selectKey = connection.prepareStatement(
                "SELECT person, alg, public, enrolled_seq, revoked_from, revoked_seq FROM keys WHERE key_id = ?");
        upsertKey = connection.prepareStatement("INSERT OR REPLACE INTO keys (key_id, person, alg, public, enrolled_seq,"
                + " revoked_from, revoked_seq) VALUES (?, ?, ?, ?, ?, ?, ?)");
        selectBag = connection.prepareStatement("SELECT seq, hash FROM bag_heads WHERE bag = ?");
        upsertBags = new RowBuffer(connection, "INSERT INTO bag_heads (bag, seq, hash)", 3,
                " ON CONFLICT (bag) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
    }

    @Override
    Optional<KeyState> key(KeyId id) {
        Optional<KeyState> known = keysRead.get(id);
        if (known == null) {
            known = readKey(id);
            keysRead.put(id, known);
        }
        return known;
    }

    private Optional<KeyState> readKey(KeyId id) {
        try {
            selectKey.setString(1, id.hex());
            try (ResultSet rs = selectKey.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String revokedFrom = rs.getString(5);
                return Optional.of(new KeyState(PersonId.of(rs.getString(1)),
                        publicKey(id, SignatureAlgorithm.fromWire(rs.getString(2)), rs.getBytes(3)), rs.getLong(4),
                        revokedFrom == null ? null : Instant.parse(revokedFrom), revokedFrom == null ? -1 : rs.getLong(6)));
            }
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read enrolled keys: " + e.getMessage(), e);
        }
    }

    /** The stored key, parsed once: a cached key is used only if it is exactly the stored algorithm and bytes. */
    private PublicKey publicKey(KeyId id, SignatureAlgorithm algorithm, byte[] encoded) {
        PublicKey cached = parsedKeys.get(id);
        if (cached != null && cached.algorithm() == algorithm && Arrays.equals(cached.encoded(), encoded)) {
            return cached;
        }
        PublicKey parsed = PublicKey.of(algorithm, encoded);
        if (parsedKeys.size() < MAX_PARSED_KEYS) {
            parsedKeys.put(id, parsed);
        }
        return parsed;
    }

    @Override
    void putKey(KeyState key) {
        try {
            upsertKey.setString(1, key.key().id().hex());
            upsertKey.setString(2, key.person().value());
            upsertKey.setString(3, key.key().algorithm().wire());
            upsertKey.setBytes(4, key.key().encoded());
            upsertKey.setLong(5, key.enrolledSeq());
            if (key.revokedFrom() == null) {
                upsertKey.setNull(6, java.sql.Types.VARCHAR);
                upsertKey.setNull(7, java.sql.Types.INTEGER);
            } else {
                upsertKey.setString(6, key.revokedFrom().toString());
                upsertKey.setLong(7, key.revokedSeq());
            }
            upsertKey.executeUpdate();
            keysRead.put(key.key().id(), Optional.of(key));
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot store an enrolled key: " + e.getMessage(), e);
        }
    }

    @Override
    Optional<BagHead> bagHead(BagId bag) {
        BagHead head = movedBags.get(bag);
        if (head == null) {
            head = knownBags.get(bag);
        }
        if (head == null) {
            head = readBag(bag);
            if (head != null) {
                knownBags.put(bag, head);
            }
        }
        return Optional.ofNullable(head);
    }

    private BagHead readBag(BagId bag) {
        try {
            selectBag.setString(1, bag.value());
            try (ResultSet rs = selectBag.executeQuery()) {
                return rs.next() ? new BagHead(rs.getLong(1), Hash.of(rs.getBytes(2))) : null;
            }
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read bag heads: " + e.getMessage(), e);
        }
    }

    @Override
    void putBagHead(BagId bag, BagHead head) {
        movedBags.put(bag, head);
    }

    /** Writes the bag heads this transaction moved. */
    void flush() throws SQLException {
        for (Map.Entry<BagId, BagHead> moved : movedBags.entrySet()) {
            upsertBags.add(moved.getKey().value(), moved.getValue().seq(), moved.getValue().hash().bytes());
        }
        upsertBags.flush();
    }

    /** The bag heads this transaction moved, for the ledger to remember once it has committed. */
    Map<BagId, BagHead> movedBags() {
        return movedBags;
    }

    @Override
    public void close() throws SQLException {
        selectKey.close();
        upsertKey.close();
        selectBag.close();
        upsertBags.close();
    }
}
