package org.custody.ledger.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HexFormat;
import org.custody.audit.AuditReport;
import org.custody.checkpoint.Checkpoint;
import org.custody.files.OwnerOnly;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.record.Entry;

/**
 * The export bundle ({@code custody-bundle/v1}, docs/formats.md §11): one streamable text file with everything a
 * verifier reads from a ledger file (the entries, with the enrolments and policies among them, the stored head, the
 * Merkle tree tiles, the signed checkpoints with their cosignatures and their time-stamp tokens), so that a ledger can be verified offline
 * from it with exactly the report its file gives. Written in one pass; verified from its file ({@link BundleSource}),
 * with no copy into a database, in memory that grows by about 2 bytes an entry beside the verifier's per-bag state.
 */
public final class Bundle {
    /** The first line of every bundle. */
    public static final String MAGIC = "custody-bundle/v1";
    /** Longest line read: an entry of {@link Entry#MAX_BYTES} and its prefix, or a checkpoint note in base64. */
    static final int MAX_LINE = Entry.MAX_BYTES + 64;

    private Bundle() {}

    /** What an export wrote. */
    public record Exported(long entries, long tiles, long checkpoints, long timestamps) {}

    /**
     * Writes the bundle of the ledger file {@code ledger} to {@code out}, read in one transaction (a consistent
     * snapshot even while others append). The file is exported as it is stored, damaged or not: verifying the bundle
     * reports what verifying the file reports.
     *
     * @throws LedgerStoreException if the file is not a ledger or cannot be read
     * @throws UncheckedIOException if {@code out} fails
     */
    public static Exported export(Path ledger, OutputStream out) {
        if (!Files.isRegularFile(ledger)) {
            throw new LedgerStoreException("no ledger at " + ledger);
        }
        try (Connection c = Sqlite.reader(ledger)) {
            c.setAutoCommit(false);
            return export(c, ledger.toString(), out);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot export " + ledger + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the bundle of the ledger kept in the PostgreSQL schema {@code url} names, read in one repeatable-read
     * transaction: the same bytes as the bundle of a SQLite file holding the same ledger.
     *
     * @throws LedgerStoreException if the schema holds no ledger or cannot be read
     */
    public static Exported export(org.custody.ledger.postgres.PostgresUrl url, OutputStream out) {
        try (org.custody.ledger.postgres.Postgres.Lease lease = org.custody.ledger.postgres.Postgres.connect(url)) {
            Connection c = lease.connection();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            return export(c, url.display(), out);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot export " + url.display() + ": " + e.getMessage(), e);
        }
    }

    /** The export of the ledger on {@code c}, in the read transaction the caller began; {@code ledger} names it. */
    private static Exported export(Connection c, String ledger, OutputStream out) throws SQLException {
        try {
            Meta meta = Meta.read(c, ledger);
            OutputStream o = new BufferedOutputStream(out, 1 << 16);
            line(o, MAGIC);
            line(o, "ledger " + meta.ledger().value() + " " + meta.suite().wire());
            long entries = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, body FROM entries ORDER BY seq")) {
                while (rs.next()) {
                    o.write(("e " + rs.getLong(1) + " ").getBytes(StandardCharsets.US_ASCII));
                    byte[] body = rs.getBytes(2);
                    if (indexOfNewline(body) >= 0) {
                        // not canonical JSON; kept verbatim but escaped so the line structure holds (the verifier reports I01)
                        o.write(("!" + Base64.getEncoder().encodeToString(body)).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        o.write(body);
                    }
                    o.write('\n');
                    entries++;
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM head WHERE id = 1")) {
                line(o, rs.next() ? "head " + rs.getLong(1) + " " + HexFormat.of().formatHex(rs.getBytes(2)) : "head -");
            }
            long tiles = 0;
            long checkpoints = 0;
            if (meta.schemaVersion() >= 2) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT level, idx, hashes FROM tree_tiles ORDER BY level, idx")) {
                    while (rs.next()) {
                        line(o, "t " + rs.getInt(1) + " " + rs.getLong(2) + " " + Base64.getEncoder().encodeToString(rs.getBytes(3)));
                        tiles++;
                    }
                }
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT size, root, note FROM checkpoints ORDER BY size")) {
                    while (rs.next()) {
                        line(o, "c " + rs.getLong(1) + " " + HexFormat.of().formatHex(rs.getBytes(2)) + " "
                                + Base64.getEncoder().encodeToString(rs.getBytes(3)));
                        checkpoints++;
                    }
                }
            }
            long timestamps = 0;
            if (Meta.hasTable(c, "checkpoint_timestamps")) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT size, token FROM checkpoint_timestamps ORDER BY size")) {
                    while (rs.next()) {
                        line(o, "s " + rs.getLong(1) + " " + Base64.getEncoder().encodeToString(rs.getBytes(2)));
                        timestamps++;
                    }
                }
            }
            // the count of time-stamp tokens only when there is one: a ledger without any exports as before
            line(o, "end " + entries + " " + tiles + " " + checkpoints + (timestamps == 0 ? "" : " " + timestamps));
            o.flush();
            c.rollback();
            return new Exported(entries, tiles, checkpoints, timestamps);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle of " + ledger + ": " + e.getMessage(), e);
        }
    }

    private static int indexOfNewline(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void line(OutputStream o, String text) throws IOException {
        o.write(text.getBytes(StandardCharsets.UTF_8));
        o.write('\n');
    }

    /**
     * The number of entries the bundle in {@code file} says it holds (its {@code end} line, read from the end of the
     * file), for progress displays; -1 if the file does not end like a bundle. Nothing is checked: verification does.
     */
    public static long size(Path file) {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int tail = (int) Math.min(length, 128);
            byte[] last = new byte[tail];
            f.seek(length - tail);
            f.readFully(last);
            String text = new String(last, StandardCharsets.US_ASCII);
            int end = text.lastIndexOf("\nend ");
            if (end < 0 || !text.endsWith("\n")) {
                return -1;
            }
            String[] fields = text.substring(end + 1, text.length() - 1).split(" ");
            return (fields.length == 4 || fields.length == 5) && fields[1].matches("[0-9]{1,18}") ? Long.parseLong(fields[1]) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The bundle in {@code file} as the verifier reads it (for checks other than a full verification, such as a
     * receipt's), after a first pass over its whole structure.
     *
     * @throws MalformedBundleException naming the line if the file is not a complete bundle
     */
    public static org.custody.ledger.verify.EntrySource source(Path file) {
        return BundleSource.read(file);
    }

    /**
     * Verifies the bundle in the file {@code bundle} offline, straight from the file (read three times, no copy
     * into a database), so the report is the one the exported ledger file gives, but for the index tables and columns a
     * bundle does not carry.
     *
     * @param kept a checkpoint the inspector kept earlier, or null
     * @throws MalformedBundleException naming the line if the file is not a complete bundle; nothing is reported then
     */
    public static AuditReport verify(Path bundle, LedgerVerifier.Options options, Checkpoint kept) {
        return LedgerVerifier.verify(BundleSource.read(bundle), options, kept);
    }

    /**
     * Verifies a bundle read from {@code in}, copied first to an owner-only file in {@code workDir} (deleted after), as
     * {@link #verify(Path, LedgerVerifier.Options, Checkpoint)} verifies a file.
     *
     * @param kept a checkpoint the inspector kept earlier, or null
     * @throws MalformedBundleException naming the line if the input is not a complete bundle; nothing is reported then
     */
    public static AuditReport verify(InputStream in, Path workDir, LedgerVerifier.Options options, Checkpoint kept) {
        Path file;
        try {
            file = OwnerOnly.createTempFile(workDir, "bundle-", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file in " + workDir + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the bundle to " + file + ": " + e.getMessage(), e);
            }
            return verify(file, options, kept);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind holds only what the bundle holds
            }
        }
    }
}
