package org.custody.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.custody.crypto.HashAlgorithm;
import org.custody.merkle.HashSource;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Entry;

/**
 * What the transparency layer keeps as entries are appended, inside the append transaction: the Merkle tree
 * ({@link TreeStore}) and the index of checkpoint signing keys (keys enrolled for a person with the
 * {@link Role#CHECKPOINT_SIGNER} role). The ledger calls {@link #appended} for each entry it stores and
 * {@link #discard} when the transaction rolls back.
 */
final class TransparencyStore {
    private final TreeStore tree;

    TransparencyStore(HashAlgorithm algorithm) {
        this.tree = new TreeStore(algorithm);
    }

    /** Entry {@code seq} was stored in the current transaction. */
    void appended(Connection c, long seq, Entry entry) throws SQLException {
        tree.add(c, seq, entry.canonicalBytes());
        if (entry.record() instanceof Enrolment e && e.person().hasRole(Role.CHECKPOINT_SIGNER)) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO checkpoint_keys (key_id, enrolled_seq) VALUES (?, ?)")) {
                s.setString(1, e.key().id().hex());
                s.setLong(2, seq);
                s.executeUpdate();
            }
        }
    }

    /** The current transaction rolled back. */
    void discard() {
        tree.discard();
    }

    /** The stored tree of the first {@code size} entries. */
    HashSource tree(Connection c, long size) {
        return tree.source(c, size);
    }
}
