package org.custody.ledger.verify;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.StoredAudit;

/**
 * What the verifier reads, wherever it is kept: a ledger file or PostgreSQL schema ({@link JdbcEntrySource}) or a bundle read straight
 * from its file (the bundle package's {@code BundleSource}), with no copy into a database. The entries stream in store order; the rest
 * (identity, revocations read ahead, head, tree tiles, checkpoints) is small and read before or beside them.
 */
public interface EntrySource extends AutoCloseable {
    /**
     * A ledger file as the verifier reads it: one read transaction, damaged files read rather than refused.
     *
     * @throws org.custody.ledger.LedgerStoreException if there is no file at {@code file} or it cannot be read
     */
    static EntrySource file(java.nio.file.Path file) {
        return new JdbcEntrySource(file);
    }

    /**
     * The ledger a PostgreSQL schema keeps, read as a file is.
     *
     * @throws org.custody.ledger.LedgerStoreException if the database cannot be reached or holds no Custody ledger
     */
    static EntrySource database(org.custody.ledger.postgres.PostgresUrl url) {
        return new JdbcEntrySource(url);
    }

    /** Whether the stored bytes {@code body} contain {@code marker} (such as {@link #REVOKE_MARKER}) anywhere. */
    static boolean contains(byte[] body, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= body.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Where the entries are, for messages (the file). */
    String name();

    /**
     * The ledger's identity and schema version; damage the verifier can report rather than refuse (a damaged
     * {@code custody_meta} row) goes to {@code damage}.
     */
    Meta meta(Consumer<String> damage);

    /**
     * The store's own connection, whose index tables and columns the verifier compares with the entries
     * ({@link StoredAudit}), or {@code null} for a source that keeps no indexes (a bundle).
     */
    Connection indexes();

    /**
     * The canonical member {@code "type":"revoke"}: in canonical JSON these bytes cannot occur inside a string, so every
     * revocation's stored bytes hold them, and few others do.
     */
    byte[] REVOKE_MARKER = "\"type\":\"revoke\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The canonical member {@code "incident":"correction"}, which every correction's stored bytes hold. */
    byte[] CORRECTION_MARKER = "\"incident\":\"correction\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Every entry whose stored bytes contain {@link #REVOKE_MARKER} or {@link #CORRECTION_MARKER}, in order: what the
     * verifier reads ahead of the entries (a revocation may reach back before itself; a correction needs the signers of
     * an earlier entry).
     */
    void readAhead(BodyVisitor visitor);

    /** Every stored entry in store order, with the columns the store keeps beside it ({@code null} for a bundle). */
    void entries(RowVisitor visitor);

    /** The head the store records, as stored, or empty if it records none. */
    Optional<StoredHead> head();

    /** The stored tiles of the Merkle tree. */
    Tiles tiles();

    /** The stored checkpoints, by size. */
    List<StoredCheckpoint> checkpoints();

    /**
     * The stored RFC 3161 tokens of checkpoints (schema 6), by size; none for an older store. Read wherever the table
     * is, whatever version the store claims, so that a lowered version number cannot hide a token from the verifier.
     */
    List<StoredTimestamp> timestamps();

    @Override
    void close();

    /** A stored entry's position and bytes. */
    @FunctionalInterface
    interface BodyVisitor {
        void entry(long position, byte[] body);
    }

    /** A stored entry's position, bytes and index columns. */
    @FunctionalInterface
    interface RowVisitor {
        void entry(long position, byte[] body, StoredAudit.Row row);
    }

    /** The stored tree tiles: each compared once, as the entries complete it, then counted. */
    interface Tiles {
        /** Whether the stored tile {@code (level, index)} is {@code expected}; {@code null} if none is stored. */
        Boolean matches(int level, long index, byte[] expected);

        /** How many tiles are stored. */
        long count();
    }

    /** The head as stored: the last entry's position and hash (bytes as they are, for the verifier to judge). */
    record StoredHead(long seq, byte[] hash) {}

    /** A stored checkpoint: its size, the root stored beside it and the signed note as stored. */
    record StoredCheckpoint(long size, byte[] root, byte[] note) {}

    /** A time-stamp token as stored beside the checkpoint of {@code size}, its bytes as stored (maybe damaged). */
    record StoredTimestamp(long size, byte[] token) {}
}
