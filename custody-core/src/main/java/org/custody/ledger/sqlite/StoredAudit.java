package org.custody.ledger.sqlite;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.custody.audit.CosignatureLine;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.ledger.gate.Bags;
import org.custody.ledger.gate.EntryChecker;
import org.custody.ledger.gate.KeyState;
import org.custody.ledger.gate.LedgerState;
import org.custody.ledger.gate.MemoryState;
import org.custody.model.BagId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Founder;
import org.custody.record.Genesis;

/**
 * The verifier's part for every stored byte beside the entry bodies (docs/formats.md §6.3): the data the store
 * derives from the signed entries is re-derived as the entries stream past and compared, and every disagreement is
 * an I11 finding naming the entry or row, with what the entries imply and what is stored:
 *
 * <ul>
 *   <li>{@code custody_meta}: the ledger id and suite against the genesis record; a file that says version 1 but
 *       holds version 2 tables;
 *   <li>{@code entries}: the {@code hash}, {@code record_id}, {@code type} and {@code at} columns of each row, in the
 *       verifier's one query over the entries (no query per entry);
 *   <li>{@code bag_links}: merged with the entries in one ordered scan of its own;
 *   <li>{@code bag_heads}, {@code keys} and {@code checkpoint_keys}: one scan each after the last entry, against
 *       what the entries left (memory grows with bags and keys, as the verifier's state already does).
 * </ul>
 *
 * <p>A bundle carries no index tables or index columns ({@code indexes == false}): only its metadata is checked
 * here, and the verifier's {@code CosignatureAudit} checks the cosignature lines of every source.
 */
public final class StoredAudit implements AutoCloseable {
    /** The columns the store keeps beside an entry's body. */
    public record Row(byte[] hash, String recordId, String type, String at) {}

    private final Connection connection;
    private final Meta meta;
    private final boolean indexes;
    private final boolean v2;
    private final Statement linkStatement;
    private final ResultSet links;
    private boolean linkRow;
    private long linkSeq;
    private String linkBag;
    private Long linkPrev;
    /** The check of the kept rule findings, when the file keeps them (schema 4, a stamped rule state), else null. */
    private final FindingsAudit keptFindings;
    /** The check of the tables of questions (schema 5), when the file has them, else null. */
    private final QueryAudit queries;
    /** What was wrong with the tables of questions themselves (a schema 5 file without them), reported at the end. */
    private final List<Finding> queryTables = new ArrayList<>();
    /** Keys enrolled for a checkpoint signer: key id to the position that first enrolled it. */
    private final Map<KeyId, Long> checkpointKeys = new HashMap<>();

    /**
     * @param c           the store's connection, whose index tables and columns are compared, or {@code null} for a
     *                    source that keeps none (a bundle)
     */
    public StoredAudit(Connection c, Meta meta) throws SQLException {
        this(c, meta, c != null, true, 0);
    }

    /**
     * The audit of a verification that starts at position {@code from}, after entries a kept verification state covers:
     * the bag links and kept findings of earlier entries are not read (their entries are not checked again), and
     * {@code checkpointKeys} (key id to the position that enrolled it) are the checkpoint keys those entries enrolled.
     */
    public StoredAudit(Connection c, Meta meta, long from, Map<KeyId, Long> checkpointKeys) throws SQLException {
        this(c, meta, c != null, true, from);
        this.checkpointKeys.putAll(checkpointKeys);
    }

    /** {@code links}: whether to check {@code bag_links} (the append gate reads none). */
    private StoredAudit(Connection c, Meta meta, boolean indexes, boolean checkLinks, long from) throws SQLException {
        this.connection = c;
        this.meta = meta;
        this.indexes = indexes;
        this.v2 = meta.schemaVersion() >= 2;
        this.keptFindings = indexes && checkLinks && hasTable("findings") && hasTable("finding_bags") && hasTable("rule_state_at") && RuleStateTable.hasStamp(c, org.custody.rules.RuleEngine.STATE_VERSION)
                ? new FindingsAudit(c, from) : null;
        this.queries = indexes && checkLinks ? QueryAudit.of(c, meta.schemaVersion(), from, queryTables::add) : null;
        if (indexes && v2 && checkLinks) {
            PreparedStatement s = c.prepareStatement("SELECT seq, bag, prev FROM bag_links WHERE seq >= ? ORDER BY seq, bag");
            s.setLong(1, from);
            linkStatement = s;
            links = s.executeQuery();
            nextLink();
        } else {
            linkStatement = null;
            links = null;
        }
    }

    private void nextLink() throws SQLException {
        linkRow = links.next();
        if (linkRow) {
            linkSeq = links.getLong(1);
            linkBag = links.getString(2);
            Object prev = links.getObject(3);
            linkPrev = prev instanceof Number n && !(prev instanceof Double) ? n.longValue() : prev == null ? null : Long.MIN_VALUE;
        }
    }

    /**
     * The next stored entry, at {@code position}, whose stored bytes hash to {@code hash}; {@code entry} is null if
     * they did not decode. Called before the entry is applied to {@code state}, whose bag heads give each bag link's
     * expected {@code prev}.
     */
    public void entry(long position, Hash hash, Row row, Entry entry, LedgerState state, List<Finding> out) throws SQLException {
        if (position == 0 && entry != null && entry.record() instanceof Genesis g) {
            checkMeta(g, hash, out);
        }
        if (indexes) {
            checkColumns(position, hash, row, entry, out);
            if (links != null) {
                checkLinks(position, hash, entry, state, out);
            }
            if (queries != null) {
                queries.entry(position, hash, entry, out::add);
            }
        }
        if (entry == null) {
            return;
        }
        if (entry.record() instanceof Enrolment e) {
            if (e.person().hasRole(Role.CHECKPOINT_SIGNER)) {
                checkpointKeys.putIfAbsent(e.key().id(), position);
            }
        }
    }

    /**
     * The rule findings the verifier made for the entry at {@code position} ({@code entry} null if it did not decode),
     * against those the file keeps for it (formats.md §7.2).
     */
    public void ruleFindings(long position, Hash hash, Entry entry, List<Finding> made, List<Finding> out) throws SQLException {
        if (keptFindings != null) {
            keptFindings.entry(position, hash, entry, made, out::add);
        }
    }

    private void checkMeta(Genesis g, Hash hash, List<Finding> out) {
        if (!meta.ledger().equals(g.ledger())) {
            out.add(stored(0, hash, "custody_meta names the ledger " + meta.ledger() + ", the genesis entry " + g.ledger(),
                    "元数据中的账本编号与创世记录不符").comparing(g.ledger(), meta.ledger()));
        }
        if (meta.suite() != g.suite()) {
            out.add(stored(0, hash, "custody_meta names the suite " + meta.suite().wire() + ", the genesis entry "
                    + g.suite().wire(), "元数据中的算法套件与创世记录不符").comparing(g.suite().wire(), meta.suite().wire()));
        }
    }

    /**
     * An entry before the position a verification starts at, which is not decoded: only its stored {@code hash}
     * column is compared with the hash of its stored bytes (what the append gate finds entries by).
     */
    public void entryBefore(long position, Hash hash, Row row, List<Finding> out) {
        if (indexes && row != null) {
            checkColumns(position, hash, row, null, out);
        }
    }

    private void checkColumns(long position, Hash hash, Row row, Entry entry, List<Finding> out) {
        if (!Arrays.equals(row.hash(), hash.bytes())) {
            out.add(stored(position, hash, "the stored hash column of entry " + position + " is not the hash of its stored bytes",
                    "记录的哈希列与其存储内容不符").comparing(hash.hex(), row.hash() == null ? null : HexFormat.of().formatHex(row.hash())));
        }
        if (entry == null) {
            return; // I01: the other columns cannot be derived
        }
        column(position, hash, "record_id", entry.record().id().value(), row.recordId(), out);
        column(position, hash, "type", entry.record().type(), row.type(), out);
        column(position, hash, "at", entry.record().at().toString(), row.at(), out);
    }

    private static void column(long position, Hash hash, String name, String expected, String found, List<Finding> out) {
        if (!expected.equals(found)) {
            out.add(stored(position, hash, "the stored " + name + " column of entry " + position + " disagrees with the entry",
                    "记录的 " + name + " 索引列与记录内容不符").comparing(expected, found));
        }
    }

    /** Merges the {@code bag_links} rows of {@code position} (and any of positions no entry holds) with the entry's bags. */
    private void checkLinks(long position, Hash hash, Entry entry, LedgerState state, List<Finding> out) throws SQLException {
        while (linkRow && linkSeq < position) {
            out.add(extraLink(position, hash));
            nextLink();
        }
        TreeMap<String, Long> expected = new TreeMap<>();
        if (entry != null) {
            for (BagId bag : Bags.named(entry.record())) {
                expected.put(bag.value(), state.bagHead(bag).map(LedgerState.BagHead::seq).orElse(null));
            }
        }
        while (linkRow && linkSeq == position) {
            if (entry != null) {
                if (!expected.containsKey(linkBag)) {
                    out.add(extraLink(position, hash));
                } else {
                    Long want = expected.remove(linkBag);
                    if (!Objects.equals(want, linkPrev)) {
                        out.add(stored(position, hash, "the stored bag link of bag " + linkBag + " at entry " + position
                                + " names another previous entry", "袋链索引中的前序记录与记录内容不符")
                                .comparing(want == null ? "none (registration)" : want, linkPrev == null ? "none" : linkPrev));
                    }
                }
            }
            nextLink();
        }
        for (Map.Entry<String, Long> missing : expected.entrySet()) {
            out.add(stored(position, hash, "the stored bag links have no row for bag " + missing.getKey() + " at entry "
                    + position + ": its history would skip this entry", "袋链索引缺少该记录")
                    .comparing("(" + position + ", " + missing.getKey() + ")", "no row"));
        }
    }

    private Finding extraLink(long position, Hash hash) {
        return stored(Math.min(linkSeq, position), linkSeq == position ? hash : null, "the stored bag links have a row ("
                + linkSeq + ", " + linkBag + ") that no entry implies", "袋链索引有多余的行")
                .comparing("no row", "(" + linkSeq + ", " + linkBag + ", " + (linkPrev == null ? "none" : linkPrev) + ")");
    }

    /**
     * After the last entry (at {@code lastPosition}, -1 if none): the rest of the bag links, the bag heads, the keys,
     * and the checkpoint keys.
     */
    public void finish(long lastPosition, MemoryState state, Consumer<Finding> report) throws SQLException {
        long at = Math.max(0, lastPosition);
        if (meta.schemaVersion() < 2 && connection != null && hasTable("tree_tiles")) {
            report.accept(stored(at, null, "custody_meta says schema version " + meta.schemaVersion()
                    + " but the file holds version 2 tables: its tree and checkpoints would go unchecked",
                    "元数据中的版本号与文件结构不符").comparing("2", Integer.toString(meta.schemaVersion())));
        }
        if (keptFindings != null) {
            keptFindings.finish(Math.max(0, lastPosition), report);
        }
        queryTables.forEach(report);
        if (queries != null) {
            queries.finishTerms(report);
        }
        if (indexes) {
            while (links != null && linkRow) {
                report.accept(extraLink(lastPosition + 1, null));
                nextLink();
            }
            checkBagHeads(at, state, report);
            checkKeys(at, state, report);
            if (v2) {
                checkCheckpointKeys(at, report);
            }
        }
    }

    /** Most rule state rows named one by one in a report; past it, one finding counts the rest. */
    static final int MAX_STATE_FINDINGS = 20;

    /**
     * The custody rules' state the file keeps (schema 4, docs/formats.md §7) against {@code rules}, the state the
     * entries leave: its stamp must be the verified head ({@code size} entries, the last of hash {@code head}), and every
     * row must be the one the entries imply, byte for byte, none missing and none extra. One scan of the table, and a
     * lookup per row only when some are missing.
     */
    public void finishRules(long size, Hash head, org.custody.rules.RuleEngine rules, Consumer<Finding> report) throws SQLException {
        if (!indexes || connection == null) {
            return;
        }
        long at = Math.max(0, size - 1);
        List<String> missing = new java.util.ArrayList<>();
        for (String table : List.of("rule_state", "rule_state_at", "findings", "finding_bags")) {
            if (!hasTable(table)) {
                missing.add(table);
            }
        }
        if (missing.size() == 4 && meta.schemaVersion() < 4) {
            return; // an older file: it keeps none of them
        }
        if (!missing.isEmpty()) {
            report.accept(stored(at, null, "the file says schema version " + meta.schemaVersion() + " but lacks the table"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " of the rules' state and findings",
                    "缺少规则状态或规则发现表").comparing("the tables of version 4", "no " + String.join(", ", missing)));
            return;
        }
        Optional<org.custody.store.LedgerStore.StateAt> stamp;
        try {
            stamp = RuleStateTable.at(connection);
        } catch (org.custody.ledger.LedgerStoreException e) {
            report.accept(stored(at, null, "the rule state's stamp is damaged: " + e.getMessage(), "规则状态标记已损坏"));
            return;
        }
        if (stamp.isEmpty()) {
            boolean[] any = {false};
            RuleStateTable.all(connection, (kind, key, group, value) -> any[0] = true);
            any[0] |= RuleStateTable.anyFinding(connection);
            if (any[0]) {
                report.accept(stored(at, null, "the file keeps rule state rows but no stamp saying which entries they reflect",
                        "规则状态缺少标记").comparing("a stamp", "none"));
            }
            return;
        }
        if (stamp.get().version() != org.custody.rules.RuleEngine.STATE_VERSION) {
            // kept by another version of the rules: neither compared nor used (the gate rebuilds it, history verifies)
            return;
        }
        org.custody.store.LedgerStore.StateAt expected = new org.custody.store.LedgerStore.StateAt(
                org.custody.rules.RuleEngine.STATE_VERSION, size, size == 0 ? Hash.ZERO : head);
        if (!stamp.get().equals(expected)) {
            report.accept(stored(at, null, "the rule state is stamped for other entries than the ledger holds, so the append"
                    + " gate would judge the next record by a state these entries do not leave", "规则状态标记与账本不符")
                    .comparing(stampText(expected), stampText(stamp.get())));
            return;
        }
        int[] reported = {0};
        long[] matched = {0};
        long[] differing = {0};
        Consumer<Finding> capped = f -> {
            if (reported[0]++ < MAX_STATE_FINDINGS) {
                report.accept(f);
            }
        };
        RuleStateTable.all(connection, (kind, key, group, value) -> {
            Optional<org.custody.rules.RuleEngine.Row> want = kind == null || key == null ? Optional.empty() : rules.row(kind, key);
            if (want.isEmpty()) {
                differing[0]++;
                capped.accept(stored(at, null, "the rule state has a " + kind + " row " + key + " that the entries do not imply",
                        "规则状态有多余的行").comparing("no row", text(value)));
                return;
            }
            matched[0]++;
            if (!java.util.Arrays.equals(want.get().value(), value) || !java.util.Objects.equals(want.get().group(), group)) {
                differing[0]++;
                capped.accept(stored(at, null, "the rule state's " + kind + " row " + key + " is not what the entries leave",
                        "规则状态与记录不符").comparing(text(want.get().value()) + groupText(want.get().group()),
                        (value == null ? "null" : text(value)) + groupText(group)));
            }
        });
        if (matched[0] < rules.rowCount()) {
            try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM rule_state WHERE kind = ? AND key = ?")) {
                rules.forEachKey((kind, key) -> {
                    try {
                        s.setString(1, kind);
                        s.setString(2, key);
                        try (ResultSet rs = s.executeQuery()) {
                            if (!rs.next()) {
                                differing[0]++;
                                capped.accept(stored(at, null, "the rule state has no " + kind + " row " + key
                                        + ", which the entries imply", "规则状态缺少行").comparing(
                                        rules.row(kind, key).map(r -> text(r.value())).orElse("a row"), "no row"));
                            }
                        }
                    } catch (SQLException e) {
                        throw new java.io.UncheckedIOException(new java.io.IOException(e));
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw (SQLException) e.getCause().getCause();
            }
        }
        if (reported[0] > MAX_STATE_FINDINGS) {
            report.accept(stored(at, null, (reported[0] - MAX_STATE_FINDINGS) + " more rule state rows disagree with the entries",
                    "规则状态另有不符的行").comparing("0", Long.toString(reported[0] - MAX_STATE_FINDINGS)));
        }
        if (queries != null) {
            queries.finishBags(at, connection, rules, report, MAX_STATE_FINDINGS);
        }
    }

    private static String stampText(org.custody.store.LedgerStore.StateAt at) {
        return "version " + at.version() + ", " + at.size() + " entries, head " + at.head().hex();
    }

    private static String text(byte[] value) {
        return value == null ? "null" : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String groupText(String group) {
        return group == null ? "" : " in " + group;
    }

    private boolean hasTable(String name) throws SQLException {
        return Meta.hasTable(connection, name);
    }

    private void checkBagHeads(long at, MemoryState state, Consumer<Finding> report) throws SQLException {
        Map<BagId, LedgerState.BagHead> expected = state.bagHeads();
        Set<String> seen = new HashSet<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT bag, seq, hash FROM bag_heads")) {
            while (rs.next()) {
                String bag = rs.getString(1);
                LedgerState.BagHead want = null;
                try {
                    want = bag == null ? null : expected.get(BagId.of(bag));
                } catch (org.custody.failure.MalformedInputException e) {
                    // not a bag id at all: no entry named it
                }
                Object seq = rs.getObject(2);
                byte[] hash = rs.getBytes(3);
                String found = "(" + seq + ", " + (hash == null ? null : HexFormat.of().formatHex(hash)) + ")";
                if (want == null || !seen.add(bag)) {
                    report.accept(stored(at, null, "the stored bag heads have a row for " + bag + ", which no entry names",
                            "袋头索引有多余的行").comparing("no row", found));
                } else if (!sameLong(seq, want.seq()) || !Arrays.equals(hash, want.hash().bytes())) {
                    report.accept(stored(want.seq(), want.hash(), "the stored head of bag " + bag + " is not its last entry "
                            + want.seq() + ": a handoff would link to the wrong entry", "袋头索引与该袋最后一条记录不符")
                            .withBags(List.of(BagId.of(bag))).comparing("(" + want.seq() + ", " + want.hash().hex() + ")", found));
                }
            }
        }
        if (seen.size() < expected.size()) {
            expected.entrySet().stream().filter(e -> !seen.contains(e.getKey().value()))
                    .sorted(java.util.Comparator.comparingLong(e -> e.getValue().seq()))
                    .forEach(e -> report.accept(stored(e.getValue().seq(), e.getValue().hash(), "the stored bag heads have no row"
                            + " for bag " + e.getKey() + ": its history cannot be read", "袋头索引缺少该袋")
                            .withBags(List.of(e.getKey())).comparing("(" + e.getValue().seq() + ", " + e.getValue().hash().hex() + ")",
                                    "no row")));
        }
    }

    private void checkKeys(long at, MemoryState state, Consumer<Finding> report) throws SQLException {
        Map<String, KeyState> expected = new HashMap<>();
        state.keys().forEach(k -> expected.put(k.key().id().hex(), k));
        Set<String> seen = new HashSet<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT key_id, person, alg, public, enrolled_seq, revoked_from, revoked_seq FROM keys")) {
            while (rs.next()) {
                String id = rs.getString(1);
                KeyState want = id == null ? null : expected.get(id);
                String found = "(" + id + ", " + rs.getString(2) + ", " + rs.getString(3) + ", "
                        + (rs.getBytes(4) == null ? null : java.util.Base64.getEncoder().encodeToString(rs.getBytes(4))) + ", "
                        + rs.getObject(5) + ", " + rs.getString(6) + ", " + rs.getObject(7) + ")";
                if (want == null || !seen.add(id)) {
                    report.accept(stored(at, null, "the stored keys have a row for key " + id + ", which no entry enrols",
                            "密钥索引有多余的行").comparing("no row", found));
                    continue;
                }
                boolean same = want.person().value().equals(rs.getString(2))
                        && want.key().algorithm().wire().equals(rs.getString(3))
                        && Arrays.equals(want.key().encoded(), rs.getBytes(4))
                        && sameLong(rs.getObject(5), want.enrolledSeq())
                        && Objects.equals(want.revokedFrom() == null ? null : want.revokedFrom().toString(), rs.getString(6))
                        && (want.revokedFrom() == null ? rs.getObject(7) == null : sameLong(rs.getObject(7), want.revokedSeq()));
                if (!same) {
                    report.accept(stored(want.enrolledSeq(), null, "the stored row of key " + id + " of " + want.person()
                            + " disagrees with the entries that enrolled" + (want.revokedFrom() == null ? "" : " and revoked")
                            + " it: the append gate would check signatures against it", "密钥索引与登记或吊销记录不符")
                            .withPeople(List.of(want.person())).comparing(keyRow(want), found));
                }
            }
        }
        if (seen.size() < expected.size()) {
            expected.values().stream().filter(k -> !seen.contains(k.key().id().hex()))
                    .sorted(java.util.Comparator.comparingLong(KeyState::enrolledSeq))
                    .forEach(k -> report.accept(stored(k.enrolledSeq(), null, "the stored keys have no row for key "
                            + k.key().id() + " of " + k.person(), "密钥索引缺少已登记的密钥")
                            .withPeople(List.of(k.person())).comparing(keyRow(k), "no row")));
        }
    }

    private static String keyRow(KeyState k) {
        return "(" + k.key().id() + ", " + k.person() + ", " + k.key().algorithm().wire() + ", "
                + java.util.Base64.getEncoder().encodeToString(k.key().encoded()) + ", " + k.enrolledSeq() + ", "
                + k.revokedFrom() + ", " + (k.revokedFrom() == null ? null : k.revokedSeq()) + ")";
    }

    private void checkCheckpointKeys(long at, Consumer<Finding> report) throws SQLException {
        Set<String> seen = new HashSet<>();
        Map<String, Long> expected = new HashMap<>();
        checkpointKeys.forEach((k, v) -> expected.put(k.hex(), v));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT key_id, enrolled_seq FROM checkpoint_keys")) {
            while (rs.next()) {
                String id = rs.getString(1);
                Long want = id == null ? null : expected.get(id);
                if (want == null || !seen.add(id)) {
                    report.accept(stored(at, null, "the stored checkpoint keys have a row for key " + id + ", which no entry"
                            + " enrols for a checkpoint signer: checkpoints signed with it would be trusted", "检查点密钥索引有多余的行")
                            .comparing("no row", "(" + id + ", " + rs.getObject(2) + ")"));
                } else if (!sameLong(rs.getObject(2), want)) {
                    report.accept(stored(want, null, "the stored checkpoint key " + id + " names another enrolling entry",
                            "检查点密钥索引中的登记记录不符").comparing(want, rs.getObject(2)));
                }
            }
        }
        expected.forEach((id, seq) -> {
            if (!seen.contains(id)) {
                report.accept(stored(seq, null, "the stored checkpoint keys have no row for key " + id + " enrolled by entry "
                        + seq, "检查点密钥索引缺少已登记的密钥").comparing("(" + id + ", " + seq + ")", "no row"));
            }
        });
    }

    /**
     * The append gate's check of the stored indexes it reads (the head, the bag heads, the keys and checkpoint keys,
     * and the entries' hash and index columns), fed by the gate's replay of every stored entry when the file keeps no
     * rules' state for its head: the entries are re-hashed and re-checked in order (without signature arithmetic,
     * which the verifier does) into a state of their own, which is then compared with the tables, one scan each. Any
     * disagreement refuses the append. A file that keeps the state for its head is not replayed: the gate trusts its
     * tables as its append transactions wrote them (formats.md §6.3), and a verification checks them all.
     */
    public static final class GateReplay {
        private final Connection connection;
        private final MemoryState state;
        private final EntryChecker checker;
        private final StoredAudit audit;
        private final org.custody.crypto.HashAlgorithm hashing;
        private final List<Finding> findings = new ArrayList<>();
        private Hash prev = Hash.ZERO;
        private long next;

        public GateReplay(Connection c, org.custody.model.LedgerId ledger, org.custody.crypto.Suite suite) throws SQLException {
            this.connection = c;
            this.state = new MemoryState(suite);
            this.checker = new EntryChecker(state);
            this.audit = new StoredAudit(c, new Meta(Schema.VERSION, ledger, suite), true, false, 0);
            this.hashing = suite.hash();
        }

        /** The next stored entry, with its stored columns; its hash is computed here from {@code body}. */
        public void entry(long seq, Row row, byte[] body, Entry entry) throws SQLException {
            Hash hash = hashing.digest(Entry.HASH_LABEL.getBytes(StandardCharsets.US_ASCII), body);
            if (seq != next) {
                findings.add(Finding.of(FindingCode.I06, Math.min(seq, next), hash, "entries " + next + " to " + (seq - 1)
                        + " are missing").comparing(next, seq));
            }
            audit.entry(seq, hash, row, entry, state, findings);
            checker.check(entry, hash, seq, prev, findings);
            prev = hash;
            next = seq + 1;
        }

        /** After the last entry: the head, the bag heads, keys and checkpoint keys; every finding made. */
        public List<Finding> finish() throws SQLException {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, hash FROM head WHERE id = 1")) {
                boolean row = rs.next();
                if (next > 0 && (!row || rs.getLong(1) != next - 1 || !Arrays.equals(rs.getBytes(2), prev.bytes()))) {
                    findings.add(stored(next - 1, prev, "the stored head is not the last entry", "账本头与最后一条记录不符")
                            .comparing("(" + (next - 1) + ", " + prev.hex() + ")", row ? "(" + rs.getLong(1) + ", "
                                    + HexFormat.of().formatHex(rs.getBytes(2)) + ")" : "no row"));
                }
            }
            long last = Math.max(0, next - 1);
            audit.checkBagHeads(last, state, findings::add);
            audit.checkKeys(last, state, findings::add);
            audit.checkCheckpointKeys(last, findings::add);
            return findings;
        }
    }

    private static boolean sameLong(Object stored, long expected) {
        return (stored instanceof Integer || stored instanceof Long) && ((Number) stored).longValue() == expected;
    }

    /** A damaged {@code custody_meta} row, found when the verifier took the file's identity from its genesis entry instead. */
    public static Finding metaDamaged(String what) {
        return stored(0, null, what + "; the ledger id and suite were taken from the genesis entry", "元数据已损坏");
    }

    private static Finding stored(long seq, Hash hash, String english, String chinese) {
        return Finding.of(FindingCode.I11, seq, hash, english).inChinese(chinese);
    }

    @Override
    public void close() throws SQLException {
        if (keptFindings != null) {
            keptFindings.close();
        }
        if (queries != null) {
            queries.close();
        }
        if (links != null) {
            links.close();
            linkStatement.close();
        }
    }
}
