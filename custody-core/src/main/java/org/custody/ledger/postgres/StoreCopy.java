package org.custody.ledger.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.files.OwnerOnly;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.RowBuffer;
import org.custody.ledger.sqlite.Schema;
import org.custody.ledger.sqlite.Sqlite;

/**
 * Copies a ledger between stores, SQLite file to PostgreSQL schema or back, table by table and row by row as stored
 * (both keep the same tables, {@link PostgresSchema}): the entries keep their bytes, hashes and append times, and the
 * indexes, tree tiles, checkpoints, rules' state and kept findings come along unchanged. The source is read in one
 * snapshot; the target is written in one transaction and holds a ledger afterwards only if every row committed. The
 * caller verifies the copy (the facade's {@code Ledger.migrate}). Both must be of the current schema version.
 */
public final class StoreCopy {
    private static final Pattern TABLE = Pattern.compile("^CREATE TABLE (\\w+) ");
    /** Rows between two progress reports. */
    static final int PROGRESS_EVERY = 10_000;

    private StoreCopy() {}

    /** Where a copy reads or writes: a SQLite file, or a PostgreSQL schema. */
    public record End(Path file, PostgresUrl url) {
        public End {
            if ((file == null) == (url == null)) {
                throw new IllegalArgumentException("a file or a PostgreSQL URL");
            }
        }

        @Override
        public String toString() {
            return file != null ? file.toString() : url.display();
        }
    }

    /** The tables of the current schema, in the order they are created. */
    static List<String> tables() {
        return Schema.statements().stream().map(TABLE::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    /**
     * Copies the ledger at {@code from} to {@code to}, which must hold none, and reports the entries copied so far to
     * {@code progress} (every {@value #PROGRESS_EVERY} and at the end).
     *
     * @return the number of entries copied
     * @throws LedgerStoreException if the source is not a ledger of the current version, the target holds a ledger
     *                              already, or either cannot be read or written; nothing is left at the target then
     */
    public static long copy(End from, End to, LongConsumer progress) {
        try (Source source = new Source(from); Target target = new Target(to)) {
            long entries = 0;
            for (String table : tables()) {
                long rows = copyTable(source.connection, target.connection, table, table.equals("entries") ? progress : n -> { });
                if (table.equals("entries")) {
                    entries = rows;
                    progress.accept(rows);
                }
            }
            target.commit();
            return entries;
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static long copyTable(Connection from, Connection to, String table, LongConsumer progress) throws SQLException {
        try (Statement s = from.createStatement()) {
            s.setFetchSize(1024);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                ResultSetMetaData meta = rs.getMetaData();
                int columns = meta.getColumnCount();
                StringBuilder insert = new StringBuilder("INSERT INTO ").append(table).append(" (");
                for (int i = 1; i <= columns; i++) {
                    insert.append(i == 1 ? "" : ", ").append(meta.getColumnName(i));
                }
                insert.append(")");
                long rows = 0;
                try (RowBuffer out = new RowBuffer(to, insert.toString(), columns, "")) {
                    Object[] row = new Object[columns];
                    while (rs.next()) {
                        if (table.equals("custody_meta") && "schema_version".equals(rs.getString(1))) {
                            continue; // the target's own, written when its tables were made (the same version)
                        }
                        for (int i = 0; i < columns; i++) {
                            Object v = rs.getObject(i + 1);
                            row[i] = v instanceof Number n ? (Object) n.longValue() : v;
                        }
                        out.add(row.clone());
                        if (++rows % PROGRESS_EVERY == 0) {
                            progress.accept(rows);
                        }
                    }
                    out.flush();
                }
                return rows;
            }
        }
    }

    /** The source, read in one snapshot. */
    private static final class Source implements AutoCloseable {
        final Connection connection;
        private final AutoCloseable owner;

        Source(End end) throws SQLException {
            if (end.file() != null) {
                if (!Files.isRegularFile(end.file())) {
                    throw new LedgerStoreException("no ledger at " + end.file());
                }
                connection = Sqlite.reader(end.file());
                owner = connection;
                connection.setAutoCommit(false);
            } else {
                Postgres.Lease lease = Postgres.connect(end.url());
                owner = lease;
                connection = lease.connection();
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
            }
            try {
                Meta meta = Meta.read(connection, end.toString());
                if (meta.schemaVersion() != Schema.VERSION) {
                    throw new LedgerStoreException(end + " has schema version " + meta.schemaVersion()
                            + "; open it once with this version of custody (which upgrades it) before copying it");
                }
            } catch (SQLException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // read only: nothing to undo
            }
            try {
                owner.close();
            } catch (Exception ignored) {
                // a reader's connection: nothing was written through it
            }
        }
    }

    /** The target, written in one transaction; removed again unless {@link #commit} ran. */
    private static final class Target implements AutoCloseable {
        final Connection connection;
        private final End end;
        private final Postgres.Lease lease;
        private boolean committed;

        Target(End end) throws SQLException {
            this.end = end;
            if (end.file() != null) {
                if (Files.exists(end.file())) {
                    throw new LedgerStoreException("cannot copy to " + end.file() + ": the file exists already; choose another"
                            + " or remove it first");
                }
                try {
                    OwnerOnly.createFile(end.file());
                } catch (IOException e) {
                    throw new LedgerStoreException("cannot create " + end.file() + ": " + e.getMessage(), e);
                }
                lease = null;
                Connection c = null;
                try {
                    c = Sqlite.writer(end.file());
                    Sqlite.begin(c);
                    Schema.create(c);
                } catch (SQLException | RuntimeException e) {
                    if (c != null) {
                        c.close();
                    }
                    deleteFile();
                    throw e;
                }
                connection = c;
            } else {
                lease = Postgres.connect(end.url());
                connection = lease.connection();
                try {
                    connection.setAutoCommit(false);
                    if (PostgresSchema.holdsLedger(connection, end.url().schema())) {
                        throw new LedgerStoreException("cannot copy to " + end.url().display() + ": schema "
                                + end.url().schema() + " holds a ledger already; name another schema (?schema=...)");
                    }
                    PostgresSchema.create(connection, end.url().schema());
                } catch (SQLException | RuntimeException e) {
                    lease.close();
                    throw e;
                }
            }
        }

        void commit() throws SQLException {
            if (lease == null) {
                Sqlite.commit(connection);
            } else {
                connection.commit();
            }
            committed = true;
        }

        @Override
        public void close() {
            if (lease == null) {
                try {
                    if (!committed) {
                        try (Statement s = connection.createStatement()) {
                            s.execute("ROLLBACK");
                        }
                    }
                    connection.close();
                } catch (SQLException ignored) {
                    // the file is removed below if the copy did not commit
                }
                if (!committed) {
                    deleteFile();
                }
            } else {
                if (!committed) {
                    try {
                        connection.rollback();
                    } catch (SQLException ignored) {
                        // the pool drops a broken connection; nothing committed
                    }
                }
                lease.close();
            }
        }

        private void deleteFile() {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    Files.deleteIfExists(Path.of(end.file() + suffix));
                } catch (IOException ignored) {
                    // nothing more to clean up
                }
            }
        }
    }
}
