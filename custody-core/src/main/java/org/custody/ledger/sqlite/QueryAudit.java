package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.ledger.gate.Gate;
import org.custody.model.BagId;
import org.custody.record.Entry;
import org.custody.rules.BagPosition;
import org.custody.rules.RuleEngine;
import org.custody.store.BagIndex;
import org.custody.store.EntryTerms;

/**
 * The verifier's check of the tables of questions (schema 5, docs/formats.md §7.3), all derived from the entries and
 * compared like the other indexes (I11): {@code entry_terms} merged with the entries in one ordered scan as they stream
 * past, {@code bag_index} against the bags' positions in the rules' state the entries leave, in one scan after the last.
 */
final class QueryAudit implements AutoCloseable {
    private final PreparedStatement statement;
    private final ResultSet terms;
    private boolean termRow;
    private long termSeq;
    private String term;

    private QueryAudit(Connection c, long from) throws SQLException {
        PreparedStatement s = c.prepareStatement("SELECT seq, term FROM entry_terms WHERE seq >= ? ORDER BY seq, term");
        s.setLong(1, from);
        statement = s;
        terms = s.executeQuery();
        next();
    }

    /**
     * The audit of {@code c}'s query tables from the entry at {@code from} on (0 for a full verification; the first
     * entry after a kept state for an incremental one), or {@code null} if the file is older than schema 5 and keeps none.
     */
    static QueryAudit of(Connection c, int schemaVersion, long from, Consumer<Finding> report) throws SQLException {
        boolean bags = Meta.hasTable(c, "bag_index");
        boolean entryTerms = Meta.hasTable(c, "entry_terms");
        if (bags && entryTerms) {
            if (schemaVersion < 5) {
                // as for version 2 tables in a file that says version 1: a writer of that version would not keep them
                report.accept(stored(0, null, "custody_meta says schema version " + schemaVersion + " but the file holds"
                        + " the version 5 tables bag_index and entry_terms", "元数据中的版本号与文件结构不符")
                        .comparing("5", Integer.toString(schemaVersion)));
            }
            return new QueryAudit(c, from);
        }
        if (schemaVersion >= 5) {
            report.accept(stored(0, null, "the file says schema version " + schemaVersion + " but lacks the table"
                    + (bags || entryTerms ? " " + (bags ? "entry_terms" : "bag_index") : "s bag_index, entry_terms")
                    + " of the questions over many bags and entries", "缺少查询索引表").comparing("the tables of version 5", "none"));
        }
        return null;
    }

    private void next() throws SQLException {
        termRow = terms.next();
        if (termRow) {
            termSeq = terms.getLong(1);
            term = terms.getString(2);
        }
    }

    /** The stored terms of the entry at {@code position} (and of any position before it no entry held) against its record's. */
    void entry(long position, Hash hash, Entry entry, Consumer<Finding> report) throws SQLException {
        while (termRow && termSeq < position) {
            report.accept(extra(termSeq, null));
            next();
        }
        Set<String> found = new TreeSet<>();
        while (termRow && termSeq == position) {
            found.add(term);
            next();
        }
        if (entry == null) {
            return; // I01: its terms cannot be derived
        }
        Set<String> expected = EntryTerms.of(entry.record());
        if (!expected.equals(found)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            report.accept(stored(position, hash, "the stored terms of entry " + position + " are not its record's"
                    + (missing.isEmpty() ? "" : ": a search for " + String.join(", ", missing) + " would miss it")
                    + (extra.isEmpty() ? "" : (missing.isEmpty() ? ": " : "; ") + "it is found under " + String.join(", ", extra)),
                    "记录的检索索引与记录内容不符").comparing(String.join(" ", expected), String.join(" ", found)));
        }
    }

    private Finding extra(long seq, Hash hash) {
        return stored(seq, hash, "the stored entry terms have a row (" + seq + ", " + term + ") that no entry implies",
                "检索索引有多余的行").comparing("no row", "(" + seq + ", " + term + ")");
    }

    /** After the last entry: the stored terms of positions past it. */
    void finishTerms(Consumer<Finding> report) throws SQLException {
        while (termRow) {
            report.accept(extra(termSeq, null));
            next();
        }
    }

    /**
     * The bag rows against the positions in {@code rules}, the state the entries leave (at the last entry, {@code at}),
     * naming at most {@code cap} rows; called only when the rules' state kept beside them is of this version and stamped
     * for these entries.
     */
    void finishBags(long at, Connection c, RuleEngine rules, Consumer<Finding> report, int cap) throws SQLException {
        long[] reported = {0};
        Consumer<Finding> capped = f -> {
            if (reported[0]++ < cap) {
                report.accept(f);
            }
        };
        Set<BagId> matched = new java.util.HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + QueryTables.BAG_COLUMNS + " FROM bag_index")) {
            while (rs.next()) {
                String key = rs.getString(1);
                Optional<BagPosition> want = position(rules, key);
                BagIndex found;
                try {
                    found = QueryTables.bag(rs);
                } catch (RuntimeException e) {
                    capped.accept(stored(at, null, "the stored bag_index row of " + key + " is damaged: " + e.getMessage(),
                            "袋查询索引行已损坏"));
                    continue;
                }
                if (want.isEmpty()) {
                    capped.accept(stored(at, null, "the bag index has a row for " + key + ", which no entry registers",
                            "袋查询索引有多余的行").comparing("no row", found));
                    continue;
                }
                matched.add(want.get().id());
                BagIndex expected = Gate.bagIndex(want.get());
                if (!expected.equals(found)) {
                    capped.accept(stored(want.get().lastSeq(), null, "the bag index row of " + key + " is not where the entries"
                            + " leave the bag: questions over bags would answer wrongly", "袋查询索引与记录不符")
                            .withBags(java.util.List.of(want.get().id())).comparing(expected, found));
                }
            }
        }
        if (matched.size() < rules.bagCount()) {
            for (BagPosition p : new java.util.TreeMap<>(rules.positions()).values()) {
                if (!matched.contains(p.id())) {
                    capped.accept(stored(p.lastSeq(), null, "the bag index has no row for " + p.id() + ": questions over bags"
                            + " would miss it", "袋查询索引缺少该袋").withBags(java.util.List.of(p.id()))
                            .comparing(Gate.bagIndex(p), "no row"));
                }
            }
        }
        if (reported[0] > cap) {
            report.accept(stored(at, null, (reported[0] - cap) + " more bag index rows disagree with the entries",
                    "袋查询索引另有不符的行").comparing("0", Long.toString(reported[0] - cap)));
        }
    }

    private static Optional<BagPosition> position(RuleEngine rules, String key) {
        try {
            return key == null ? Optional.empty() : rules.position(BagId.of(key));
        } catch (RuntimeException e) {
            return Optional.empty(); // not a bag id at all: no entry registered it
        }
    }

    private static Finding stored(long seq, Hash hash, String english, String chinese) {
        return Finding.of(FindingCode.I11, seq, hash, english).inChinese(chinese);
    }

    @Override
    public void close() throws SQLException {
        terms.close();
        statement.close();
    }
}
