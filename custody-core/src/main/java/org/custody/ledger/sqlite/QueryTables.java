package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.custody.ledger.LedgerStoreException;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.store.BagIndex;
import org.custody.store.BagQuery;
import org.custody.store.EntryTerms;
import org.custody.store.LedgerStore;

/**
 * The tables schema version 5 adds for questions in O(their answer) (docs/formats.md §7.3): {@code bag_index}, one row
 * per bag from the custody rules' state, written with it by the append gate; {@code entry_terms}, the terms each entry is
 * found under ({@link EntryTerms}), written by the store with the entry; and an index of the kept findings by code.
 */
final class QueryTables {
    static final List<String> CREATE = List.of(
            "CREATE TABLE bag_index (bag TEXT PRIMARY KEY, exam TEXT NOT NULL, kind TEXT NOT NULL, site TEXT, room TEXT,"
                    + " session TEXT, subject TEXT, stage TEXT, step TEXT, holder TEXT, container TEXT, last_seq INTEGER NOT NULL,"
                    + " deadlines TEXT) WITHOUT ROWID",
            "CREATE INDEX bag_index_by_site ON bag_index (exam, site, session, stage)",
            "CREATE INDEX bag_index_by_room ON bag_index (site, room, session)",
            "CREATE INDEX bag_index_by_stage ON bag_index (stage, exam)",
            "CREATE INDEX bag_index_by_step ON bag_index (step, exam)",
            "CREATE INDEX bag_index_by_holder ON bag_index (holder) WHERE holder IS NOT NULL",
            "CREATE INDEX bag_index_with_deadlines ON bag_index (bag) WHERE deadlines IS NOT NULL",
            "CREATE TABLE entry_terms (seq INTEGER NOT NULL, term TEXT NOT NULL, PRIMARY KEY (seq, term)) WITHOUT ROWID",
            "CREATE INDEX entry_terms_by_term ON entry_terms (term, seq)",
            "CREATE INDEX findings_by_code ON findings (code, seq, n)");

    static final String BAG_COLUMNS = "bag, exam, kind, site, room, session, subject, stage, step, holder, container, last_seq,"
            + " deadlines";

    private QueryTables() {}

    /** A buffer of bag rows to insert or replace. */
    static RowBuffer bagWriter(Connection c) {
        return new RowBuffer(c, "INSERT INTO bag_index (" + BAG_COLUMNS + ")", 13, " ON CONFLICT (bag) DO UPDATE SET"
                + " exam = excluded.exam, kind = excluded.kind, site = excluded.site, room = excluded.room,"
                + " session = excluded.session, subject = excluded.subject, stage = excluded.stage, step = excluded.step,"
                + " holder = excluded.holder,"
                + " container = excluded.container, last_seq = excluded.last_seq, deadlines = excluded.deadlines");
    }

    static void addBag(RowBuffer rows, BagIndex b) throws SQLException {
        rows.add(b.bag().value(), b.exam(), b.kind(), b.site(), b.room(), b.session(), b.subject(), b.stage(), b.step(), b.holder(),
                b.container(), b.lastSeq(), b.deadlines());
    }

    static RowBuffer termWriter(Connection c) {
        return new RowBuffer(c, "INSERT INTO entry_terms (seq, term)", 2, "");
    }

    static void addTerms(RowBuffer rows, long seq, Entry entry) throws SQLException {
        for (String term : EntryTerms.of(entry.record())) {
            rows.add(seq, term);
        }
    }

    /** The bag row in the columns of {@link #BAG_COLUMNS} of {@code rs}, from column 1. */
    static BagIndex bag(ResultSet rs) throws SQLException {
        String bag = rs.getString(1);
        try {
            return new BagIndex(BagId.of(bag), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                    rs.getLong(12), rs.getString(13));
        } catch (RuntimeException e) {
            throw new LedgerStoreException("the stored bag_index row of " + bag + " is damaged (" + e.getMessage()
                    + "); run a verification", e);
        }
    }

    /** The {@code WHERE} conditions of {@code query}, its values appended to {@code values}. */
    private static String where(BagQuery query, List<String> values) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        for (Map.Entry<String, String> given : query.given().entrySet()) {
            // column names come from BagQuery's fixed list, never from the caller
            if ((given.getKey().equals("stage") || given.getKey().equals("step")) && given.getValue().equals(BagQuery.REGISTERED)) {
                sql.append(" AND ").append(given.getKey()).append(" IS NULL");
            } else {
                sql.append(" AND ").append(given.getKey()).append(" = ?");
                values.add(given.getValue());
            }
        }
        return sql.toString();
    }

    static List<BagId> bags(Connection c, BagQuery query, BagId after, int limit) throws SQLException {
        List<String> values = new ArrayList<>();
        String sql = "SELECT bag FROM bag_index" + where(query, values) + (after == null ? "" : " AND bag > ?")
                + " ORDER BY bag LIMIT ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            for (String value : values) {
                s.setString(i++, value);
            }
            if (after != null) {
                s.setString(i++, after.value());
            }
            s.setInt(i, limit);
            List<BagId> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(bagId(rs.getString(1)));
                }
            }
            return out;
        }
    }

    static Map<String, Long> stepCounts(Connection c, BagQuery query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT step, count(*) FROM bag_index" + where(query, values)
                + " GROUP BY step")) {
            for (int i = 0; i < values.size(); i++) {
                s.setString(i + 1, values.get(i));
            }
            Map<String, Long> out = new TreeMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String stage = rs.getString(1);
                    out.put(stage == null ? BagQuery.REGISTERED : stage, rs.getLong(2));
                }
            }
            return out;
        }
    }

    static List<org.custody.store.BagCount> bagCounts(Connection c, BagQuery query, List<String> by) throws SQLException {
        if (by.isEmpty() || new java.util.HashSet<>(by).size() != by.size() || !BagQuery.COLUMNS.containsAll(by)) {
            throw new IllegalArgumentException("a grouped count is by one or more distinct columns of " + BagQuery.COLUMNS
                    + ", not " + by);
        }
        List<String> values = new ArrayList<>();
        // column names come from BagQuery's fixed list, checked above, never from the caller
        String columns = String.join(", ", by);
        List<org.custody.store.BagCount> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + columns + ", count(*) FROM bag_index" + where(query, values)
                + " GROUP BY " + columns)) {
            for (int i = 0; i < values.size(); i++) {
                s.setString(i + 1, values.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> group = new ArrayList<>(by.size());
                    for (int i = 0; i < by.size(); i++) {
                        String value = rs.getString(i + 1);
                        boolean position = by.get(i).equals("stage") || by.get(i).equals("step");
                        group.add(value == null && position ? BagQuery.REGISTERED : value);
                    }
                    out.add(new org.custody.store.BagCount(group, rs.getLong(by.size() + 1)));
                }
            }
        }
        // ordered here, not by the database, so that every store (and collation) gives the same order
        out.sort((a, b) -> {
            for (int i = 0; i < by.size(); i++) {
                int d = java.util.Comparator.nullsFirst(java.util.Comparator.<String>naturalOrder())
                        .compare(a.values().get(i), b.values().get(i));
                if (d != 0) {
                    return d;
                }
            }
            return 0;
        });
        return out;
    }

    /**
     * Kept findings by code; with {@code sites}, only those every {@code finding_bags} row of which names a bag at one of
     * them (a {@code null} element: a bag of no site).
     */
    static Map<String, Long> findingCounts(Connection c, java.util.Collection<String> sites) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT f.code, count(*) FROM findings f");
        List<String> values = new ArrayList<>();
        if (sites != null) {
            List<String> named = sites.stream().filter(java.util.Objects::nonNull).distinct().toList();
            boolean noSite = sites.contains(null);
            sql.append(" WHERE EXISTS (SELECT 1 FROM finding_bags fb WHERE fb.seq = f.seq AND fb.n = f.n)")
                    .append(" AND NOT EXISTS (SELECT 1 FROM finding_bags fb LEFT JOIN bag_index b ON b.bag = fb.bag")
                    .append(" WHERE fb.seq = f.seq AND fb.n = f.n AND (b.bag IS NULL")
                    .append(noSite ? "" : " OR b.site IS NULL");
            if (named.isEmpty()) {
                sql.append(" OR b.site IS NOT NULL");
            } else {
                sql.append(" OR b.site NOT IN (").append(String.join(", ", java.util.Collections.nCopies(named.size(), "?")))
                        .append(")");
                values.addAll(named);
            }
            sql.append("))");
        }
        sql.append(" GROUP BY f.code");
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                s.setString(i + 1, values.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    static List<BagId> bagsWithDeadlines(Connection c) throws SQLException {
        List<BagId> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT bag FROM bag_index WHERE deadlines IS NOT NULL ORDER BY bag")) {
            while (rs.next()) {
                out.add(bagId(rs.getString(1)));
            }
        }
        return out;
    }

    private static BagId bagId(String value) {
        try {
            return BagId.of(value);
        } catch (RuntimeException e) {
            throw new LedgerStoreException("a stored bag_index row names no valid bag (" + e.getMessage() + "); run a verification", e);
        }
    }

    /** The stored bytes of the entries under {@code term} after {@code after}, oldest first, at most {@code limit}. */
    static List<byte[]> entriesWith(Connection c, String term, long after, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT e.body FROM entry_terms t JOIN entries e ON e.seq = t.seq"
                + " WHERE t.term = ? AND t.seq > ? ORDER BY t.seq LIMIT ?")) {
            s.setString(1, term);
            s.setLong(2, after);
            s.setInt(3, limit);
            List<byte[]> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
            return out;
        }
    }

    static List<LedgerStore.KeptFinding> findings(Connection c, String code, long afterSeq, int afterN, int limit)
            throws SQLException {
        String sql = "SELECT seq, n, body FROM findings WHERE" + (code == null ? "" : " code = ? AND")
                + " (seq > ? OR (seq = ? AND n > ?)) ORDER BY seq, n LIMIT ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (code != null) {
                s.setString(i++, code);
            }
            s.setLong(i++, afterSeq);
            s.setLong(i++, afterSeq);
            s.setInt(i++, afterN);
            s.setInt(i, limit);
            List<LedgerStore.KeptFinding> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new LedgerStore.KeptFinding(rs.getLong(1), rs.getInt(2), rs.getBytes(3)));
                }
            }
            return out;
        }
    }

    /**
     * Schema 4 to 5: the new tables (in place of any left by a failed or foreign attempt: they hold derived data only),
     * and the terms of every stored entry; the bag rows come with the rules' state.
     */
    static void create(Connection c, boolean fillTerms) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bag_index");
            s.execute("DROP TABLE IF EXISTS entry_terms");
            s.execute("DROP INDEX IF EXISTS findings_by_code");
            for (String sql : CREATE) {
                s.execute(sql);
            }
        }
        if (!fillTerms) {
            return;
        }
        try (RowBuffer terms = termWriter(c); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, body FROM entries ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                Entry entry;
                try {
                    entry = Entry.decode(rs.getBytes(2));
                } catch (RuntimeException e) {
                    continue; // a damaged entry: a verification reports it (I01), and its terms as missing
                }
                addTerms(terms, seq, entry);
            }
            terms.flush();
        }
    }

    /** Removes the bag rows, before the rules' whole state is written again. */
    static void clearBags(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM bag_index");
        }
    }
}
