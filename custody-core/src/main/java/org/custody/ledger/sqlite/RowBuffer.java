package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;

/**
 * Rows for one table, inserted inside the caller's transaction by multi-row {@code INSERT} statements of up
 * to {@link #ROWS} rows: one call into SQLite per {@code ROWS} rows rather than per row. Rows are written
 * when the buffer fills and on {@link #flush}, which the caller runs before anything reads the table.
 */
public final class RowBuffer implements AutoCloseable {
    static final int ROWS = 64;

    private final Connection connection;
    private final String insert;
    private final String conflict;
    private final int columns;
    private final Object[] values;
    private int rows;
    private PreparedStatement full;

    /**
     * @param insert   the statement up to {@code VALUES}, e.g. {@code "INSERT INTO t (a, b)"}
     * @param columns  values per row
     * @param conflict what follows the rows (an {@code ON CONFLICT} clause), or {@code ""}
     */
    public RowBuffer(Connection connection, String insert, int columns, String conflict) {
        this.connection = connection;
        this.insert = insert;
        this.conflict = conflict;
        this.columns = columns;
        this.values = new Object[ROWS * columns];
    }

    /** Adds a row of {@code Long}, {@code String}, {@code byte[]} or {@code null} values. */
    public void add(Object... row) throws SQLException {
        if (row.length != columns) {
            throw new IllegalArgumentException("a row of " + columns + " values, got " + row.length);
        }
        System.arraycopy(row, 0, values, rows * columns, columns);
        if (++rows == ROWS) {
            flush();
        }
    }

    /** Writes the rows added so far. */
    public void flush() throws SQLException {
        if (rows == 0) {
            return;
        }
        if (rows == ROWS) {
            if (full == null) {
                full = connection.prepareStatement(sql(ROWS));
            }
            write(full);
        } else {
            try (PreparedStatement some = connection.prepareStatement(sql(rows))) {
                write(some);
            }
        }
    }

    private void write(PreparedStatement s) throws SQLException {
        int n = rows * columns;
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            if (v == null) {
                s.setNull(i + 1, Types.NULL);
            } else if (v instanceof Long l) {
                s.setLong(i + 1, l);
            } else if (v instanceof String text) {
                s.setString(i + 1, text);
            } else if (v instanceof byte[] bytes) {
                s.setBytes(i + 1, bytes);
            } else {
                throw new IllegalArgumentException("cannot store a " + v.getClass().getSimpleName());
            }
        }
        s.executeUpdate();
        Arrays.fill(values, 0, n, null);
        rows = 0;
    }

    private String sql(int n) {
        StringBuilder sql = new StringBuilder(insert).append(" VALUES ");
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        return sql.append(conflict).toString();
    }

    @Override
    public void close() throws SQLException {
        if (full != null) {
            full.close();
        }
    }
}
