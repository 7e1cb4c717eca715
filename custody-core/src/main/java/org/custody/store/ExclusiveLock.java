package org.custody.store;

/**
 * A lock held by one process at a time among those using a store ({@link LedgerStore#exclusive}), taken over when its
 * holder ends, however it ends: a PostgreSQL session-level advisory lock on a connection of its own dies with the
 * holder's process. Not a lock for correctness (the head's compare-and-swap is): it keeps a duty from being done twice.
 */
public interface ExclusiveLock extends AutoCloseable {
    /** Whether this process holds the lock now, taking it if it is free; false while another holds it, or on failure. */
    boolean tryHold();

    /** Releases the lock if held. */
    @Override
    void close();

    /** The lock of a store only one process uses: always held. */
    ExclusiveLock ALWAYS = new ExclusiveLock() {
        @Override
        public boolean tryHold() {
            return true;
        }

        @Override
        public void close() {
            // nothing held elsewhere
        }
    };
}
