package org.custody.ledger.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.audit.FindingJson;
import org.custody.crypto.Hash;
import org.custody.ledger.gate.Bags;
import org.custody.record.Entry;

/**
 * The verifier's check of the rule findings a file keeps (schema 4, docs/formats.md §7.2): {@code findings} and
 * {@code finding_bags}, each scanned once in entry order and merged with the findings the verifier's rules make for
 * each entry, as it goes. Every disagreement is an I11 finding at the entry: a kept finding no rule makes, one that
 * differs in its bytes or the bags it is found under, one missing. The rows of an entry that does not decode (I01)
 * are not judged.
 */
final class FindingsAudit implements AutoCloseable {
    private final Statement findingStatement;
    private final ResultSet findings;
    private final Statement bagStatement;
    private final ResultSet bags;
    private boolean findingRow;
    private long findingSeq;
    private long findingN;
    private String findingCode;
    private byte[] findingBody;
    private boolean bagRow;
    private long bagSeq;
    private long bagN;
    private String bag;

    /** @param from the first position checked: the rows of earlier entries are not read */
    FindingsAudit(Connection c, long from) throws SQLException {
        PreparedStatement f = c.prepareStatement("SELECT seq, n, code, body FROM findings WHERE seq >= ? ORDER BY seq, n");
        f.setLong(1, from);
        findingStatement = f;
        findings = f.executeQuery();
        PreparedStatement b = c.prepareStatement("SELECT seq, n, bag FROM finding_bags WHERE seq >= ? ORDER BY seq, n, bag");
        b.setLong(1, from);
        bagStatement = b;
        bags = b.executeQuery();
        nextFinding();
        nextBag();
    }

    private void nextFinding() throws SQLException {
        findingRow = findings.next();
        if (findingRow) {
            findingSeq = findings.getLong(1);
            findingN = findings.getLong(2);
            findingCode = findings.getString(3);
            findingBody = findings.getBytes(4);
        }
    }

    private void nextBag() throws SQLException {
        bagRow = bags.next();
        if (bagRow) {
            bagSeq = bags.getLong(1);
            bagN = bags.getLong(2);
            bag = bags.getString(3);
        }
    }

    /**
     * The entry at {@code position} ({@code entry} null if it did not decode) and the rule findings the verifier made
     * for it, in the rules' order.
     */
    void entry(long position, Hash hash, Entry entry, List<Finding> made, Consumer<Finding> out) throws SQLException {
        while (findingRow && findingSeq < position) {
            out.accept(extra(position, hash));
            nextFinding();
        }
        while (bagRow && bagSeq < position) {
            out.accept(extraBag(position, hash));
            nextBag();
        }
        if (entry == null) { // I01: what the rules would make of it cannot be derived; its rows are not judged
            while (findingRow && findingSeq == position) {
                nextFinding();
            }
            while (bagRow && bagSeq == position) {
                nextBag();
            }
            return;
        }
        List<Finding> expected = made;
        for (int n = 0; n < expected.size(); n++) {
            Finding f = expected.get(n);
            byte[] body = FindingJson.bytes(f);
            if (findingRow && findingSeq == position && findingN == n) {
                if (!Arrays.equals(body, findingBody) || !f.code().name().equals(findingCode)) {
                    out.accept(stored(position, hash, "kept finding " + n + " of entry " + position + " is not the "
                            + f.code() + " the rules make", "保存的规则发现与记录推出的不符").comparing(text(body), findingCode + " " + text(findingBody)));
                }
                nextFinding();
            } else {
                out.accept(stored(position, hash, "entry " + position + " has no kept finding " + n + " (" + f.code()
                        + "), which the rules make", "缺少保存的规则发现").comparing(text(body), "no row"));
            }
            TreeSet<String> under = new TreeSet<>();
            (f.bags().isEmpty() ? Bags.named(entry.record()) : f.bags()).forEach(b -> under.add(b.value()));
            TreeSet<String> found = new TreeSet<>();
            while (bagRow && bagSeq == position && bagN < n) {
                out.accept(extraBag(position, hash));
                nextBag();
            }
            while (bagRow && bagSeq == position && bagN == n) {
                found.add(bag);
                nextBag();
            }
            if (!under.equals(found)) {
                out.accept(stored(position, hash, "kept finding " + n + " of entry " + position
                        + " is found under other bags than it concerns", "规则发现的袋索引不符").comparing(under, found));
            }
        }
        while (findingRow && findingSeq == position) {
            out.accept(extra(position, hash));
            nextFinding();
        }
        while (bagRow && bagSeq == position) {
            out.accept(extraBag(position, hash));
            nextBag();
        }
    }

    /** After the last entry (at {@code lastPosition}): rows of positions no entry holds. */
    void finish(long lastPosition, Consumer<Finding> out) throws SQLException {
        while (findingRow) {
            out.accept(extra(lastPosition, null));
            nextFinding();
        }
        while (bagRow) {
            out.accept(extraBag(lastPosition, null));
            nextBag();
        }
    }

    private Finding extra(long position, Hash hash) {
        return stored(Math.min(position, findingSeq), findingSeq == position ? hash : null, "the kept findings have a row ("
                + findingSeq + ", " + findingN + ") that no rule makes", "保存的规则发现有多余的行")
                .comparing("no row", findingCode + " " + text(findingBody));
    }

    private Finding extraBag(long position, Hash hash) {
        return stored(Math.min(position, bagSeq), bagSeq == position ? hash : null, "the kept findings' bag index has a row ("
                + bagSeq + ", " + bagN + ", " + bag + ") that no finding implies", "规则发现的袋索引有多余的行")
                .comparing("no row", "(" + bagSeq + ", " + bagN + ", " + bag + ")");
    }

    private static Finding stored(long seq, Hash hash, String english, String chinese) {
        return Finding.of(FindingCode.I11, seq, hash, english).inChinese(chinese);
    }

    private static String text(byte[] value) {
        return value == null ? "null" : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws SQLException {
        findings.close();
        findingStatement.close();
        bags.close();
        bagStatement.close();
    }
}
