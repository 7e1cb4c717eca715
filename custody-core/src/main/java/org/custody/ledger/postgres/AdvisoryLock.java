package org.custody.ledger.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.custody.store.ExclusiveLock;

/**
 * A PostgreSQL session-level advisory lock, one per duty and ledger schema ({@code hashtextextended} of
 * {@code custody/<duty>/<schema>}), held on a pooled connection of its own for as long as it is held. The session ends
 * with the holder's process, however it ends (its socket closes, the server's backend exits), and the lock with it,
 * so another process takes it at its next try. A connection that broke loses the lock: the next try takes a new one.
 */
final class AdvisoryLock implements ExclusiveLock {
    private static final String KEY = "hashtextextended('custody/' || ? || '/' || current_schema(), 0)";

    private final PostgresUrl url;
    private final String duty;
    private Postgres.Lease held;

    AdvisoryLock(PostgresUrl url, String duty) {
        this.url = url;
        this.duty = duty;
    }

    @Override
    public synchronized boolean tryHold() {
        if (held != null) {
            try {
                if (held.connection().isValid(5)) {
                    return true;
                }
            } catch (SQLException e) {
                // broken: the session and its lock are gone
            }
            held.close();
            held = null;
        }
        Postgres.Lease lease;
        try {
            lease = Postgres.connect(url);
        } catch (RuntimeException e) {
            return false;
        }
        try (PreparedStatement p = lease.connection().prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            p.setString(1, duty);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    held = lease;
                    return true;
                }
            }
        } catch (SQLException e) {
            // not taken: tried again next time
        }
        lease.close();
        return false;
    }

    @Override
    public synchronized void close() {
        if (held == null) {
            return;
        }
        try (PreparedStatement p = held.connection().prepareStatement("SELECT pg_advisory_unlock(" + KEY + ")")) {
            p.setString(1, duty);
            p.execute();
        } catch (SQLException e) {
            // the connection is gone, and the lock with it
        } finally {
            held.close();
            held = null;
        }
    }
}
