package org.custody.ledger;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HexFormat;
import org.custody.audit.AuditReport;
import org.custody.checkpoint.Checkpoint;
import org.custody.files.OwnerOnly;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.record.Entry;

/**
 * The export bundle ({@code custody-bundle/v1}, docs/formats.md §11): one streamable text file with everything a
 * verifier reads from a ledger file (the entries, with the enrolments and policies among them, the stored head, the
 * Merkle tree tiles and the signed checkpoints with their cosignatures), so that a ledger can be verified offline
 * from it with exactly the report its file gives. Written and read in one pass; memory does not grow with the
 * ledger.
 */
public final class Bundle {
    /** The first line of every bundle. */
    public static final String MAGIC = "custody-bundle/v1";
    /** Longest line read: an entry of {@link Entry#MAX_BYTES} and its prefix, or a checkpoint note in base64. */
    static final int MAX_LINE = Entry.MAX_BYTES + 64;

    private Bundle() {}

    /** What an export wrote. */
    public record Exported(long entries, long tiles, long checkpoints) {}

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
            line(o, "end " + entries + " " + tiles + " " + checkpoints);
            o.flush();
            c.rollback();
            return new Exported(entries, tiles, checkpoints);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot export " + ledger + ": " + e.getMessage(), e);
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
     * Verifies a bundle offline: reads it strictly into a temporary ledger file in {@code workDir} (deleted after)
     * and verifies that file with {@link LedgerVerifier}, so the report is the one the exported file gives.
     *
     * @param kept a checkpoint the inspector kept earlier, or null
     * @throws MalformedBundleException naming the line if the input is not a complete bundle; nothing is reported then
     */
    public static AuditReport verify(InputStream in, Path workDir, LedgerVerifier.Options options, Checkpoint kept) {
        Path file;
        try {
            // an empty owner-only file, which SQLite opens as a new database; its -wal and -shm files get its permissions
            file = OwnerOnly.createTempFile(workDir, "bundle-", ".db");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary ledger in " + workDir + ": " + e.getMessage(), e);
        }
        try {
            materialise(in, file);
            return LedgerVerifier.verifyLoadedBundle(file, options, kept);
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                try {
                    Files.deleteIfExists(Path.of(file + suffix));
                } catch (IOException ignored) {
                    // a temporary file left behind holds only what the bundle holds
                }
            }
        }
    }

    /** Reads a bundle into a new ledger file, without checking anything but the bundle's own format. */
    static void materialise(InputStream in, Path file) {
        StrictLines r = new StrictLines(in, "bundle", MAX_LINE, Long.MAX_VALUE);
        try (Connection c = Sqlite.writer(file)) {
            Sqlite.begin(c);
            Schema.create(c);
            r.expect(MAGIC);
            String[] ledger = r.fields("ledger", 3);
            LedgerId id;
            Suite suite;
            try {
                id = LedgerId.of(ledger[1]);
                suite = Suite.fromWire(ledger[2]);
            } catch (MalformedInputException e) {
                throw r.error("bad ledger line: " + e.getMessage());
            }
            Meta.write(c, id, suite);
            long entries = 0;
            long previous = -1;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO entries (seq, hash, record_id, type, at, body) VALUES (?, ?, ?, '', '', ?)")) {
                while (r.nextStartsWith("e ")) {
                    byte[] line = r.nextBytes();
                    int space = indexOf(line, (byte) ' ', 2);
                    if (space < 0) {
                        throw r.error("an entry line is 'e <seq> <entry>'");
                    }
                    long seq = r.number(new String(line, 2, space - 2, StandardCharsets.US_ASCII));
                    if (seq <= previous) {
                        throw r.error("entry " + seq + " does not come after entry " + previous);
                    }
                    byte[] body = java.util.Arrays.copyOfRange(line, space + 1, line.length);
                    if (body.length > 0 && body[0] == '!') {
                        body = r.base64(new String(body, 1, body.length - 1, StandardCharsets.US_ASCII));
                    }
                    insert.setLong(1, seq);
                    insert.setBytes(2, suite.hash().digest(Entry.HASH_LABEL.getBytes(StandardCharsets.US_ASCII), body).bytes());
                    insert.setString(3, Long.toString(seq));
                    insert.setBytes(4, body);
                    insert.executeUpdate();
                    previous = seq;
                    entries++;
                }
            }
            String[] head = r.fields("head", -1);
            if (!(head.length == 2 && head[1].equals("-")) && head.length != 3) {
                throw r.error("the head line is 'head <seq> <hash>' or 'head -'");
            }
            if (head.length == 3) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO head (id, seq, hash) VALUES (1, ?, ?)")) {
                    s.setLong(1, r.number(head[1]));
                    s.setBytes(2, r.hash(head[2]).bytes());
                    s.executeUpdate();
                }
            }
            long tiles = 0;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO tree_tiles (level, idx, hashes) VALUES (?, ?, ?)")) {
                while (r.nextStartsWith("t ")) {
                    String[] f = r.fields("t", 4);
                    insert.setLong(1, r.number(f[1]));
                    insert.setLong(2, r.number(f[2]));
                    insert.setBytes(3, r.base64(f[3]));
                    insert.executeUpdate();
                    tiles++;
                }
            } catch (SQLException e) {
                throw r.error("tile repeated or out of range: " + e.getMessage());
            }
            long checkpoints = 0;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO checkpoints (size, root, note, made_at) VALUES (?, ?, ?, '')")) {
                while (r.nextStartsWith("c ")) {
                    String[] f = r.fields("c", 4);
                    insert.setLong(1, r.number(f[1]));
                    insert.setBytes(2, r.hash(f[2]).bytes());
                    insert.setBytes(3, r.base64(f[3]));
                    insert.executeUpdate();
                    checkpoints++;
                }
            } catch (SQLException e) {
                throw r.error("checkpoint size repeated: " + e.getMessage());
            }
            String[] end = r.fields("end", 4);
            if (r.number(end[1]) != entries || r.number(end[2]) != tiles || r.number(end[3]) != checkpoints) {
                throw r.error("the bundle says " + end[1] + " entries, " + end[2] + " tiles and " + end[3]
                        + " checkpoints, but holds " + entries + ", " + tiles + " and " + checkpoints);
            }
            r.expectEnd();
            Sqlite.commit(c);
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot write the temporary ledger " + file + ": " + e.getMessage(), e);
        }
    }

    private static int indexOf(byte[] line, byte b, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
