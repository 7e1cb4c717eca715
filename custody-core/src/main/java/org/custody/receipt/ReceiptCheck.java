package org.custody.receipt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteKeyType;
import org.custody.checkpoint.NoteSignature;
import org.custody.checkpoint.NoteVerificationException;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.VerifiedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.PublicKey;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.ledger.bundle.Evidence;
import org.custody.ledger.sqlite.CheckpointStore;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.verify.EntrySource;
import org.custody.merkle.CompactRange;
import org.custody.merkle.TreeHasher;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Founder;
import org.custody.record.Genesis;

/**
 * Issues receipts and checks photographed ones (docs/formats.md §13). A receipt names an entry by position and hash;
 * the ledger holds it if the entry stored at that position has that hash, and, if the receipt names a checkpoint, the
 * ledger's first {@code size} entries have that root. Anything else is I09: the ledger is shorter than, or diverges
 * from, what the receipt holder kept (the entry was removed or changed after the receipt was printed), or the receipt
 * is forged; the ledger's signatures and cosigned checkpoints tell which.
 *
 * <p>Checking against a ledger file or a bundle reads it as the verifier does ({@link EntrySource}: damaged files are
 * read, not refused), once, in store order: the entry at the receipt's position is the one stored under that position,
 * the tree is rebuilt from the stored bytes, and each stored checkpoint is trusted only if its root is the rebuilt one
 * and a checkpoint key enrolled in the ledger signed it. A cosignature counts if it verifies under a key enrolled for a
 * discipline inspector; whether that key was revoked by then is {@code custody verify}'s to judge (I05).
 */
public final class ReceiptCheck {
    private static final byte[] ENROL = "\"type\":\"enrol\"".getBytes(StandardCharsets.US_ASCII);

    private ReceiptCheck() {}

    /**
     * The receipt of the entry at {@code seq} of {@code ledger} now: with the latest checkpoint, if it covers the entry.
     *
     * @throws MalformedInputException if the ledger has no entry {@code seq}
     */
    public static Receipt issue(Ledger ledger, long seq) {
        Entry entry = ledger.entry(seq).orElseThrow(() -> new MalformedInputException("ledger " + ledger.id()
                + " has no entry " + seq + " (it has " + ledger.head().size() + "; 账本中没有第 " + seq + " 条记录)"));
        Hash hash = entry.hash(ledger.suite().hash());
        Optional<SignedNote> latest = ledger.latestCheckpoint();
        if (latest.isPresent()) {
            Checkpoint c = Checkpoint.parse(latest.get().text());
            if (c.size() > seq) {
                return new Receipt(ledger.id(), seq, hash, c.size(), c.root());
            }
        }
        return Receipt.of(ledger.id(), seq, hash);
    }

    /** Checks {@code receipt} against the ledger file or bundle {@code source} (read once, not closed). */
    public static ReceiptVerdict check(Receipt receipt, EntrySource source) {
        Meta meta = source.meta(damage -> { });
        if (!meta.ledger().equals(receipt.ledger())) {
            return otherLedger(receipt, meta.ledger());
        }
        HashAlgorithm algorithm = meta.suite().hash();
        TreeHasher hasher = TreeHasher.of(algorithm);
        List<EntrySource.StoredCheckpoint> stored = source.checkpoints();
        Set<Long> sizes = new HashSet<>();
        stored.forEach(c -> sizes.add(c.size()));
        if (receipt.inCheckpoint()) {
            sizes.add(receipt.checkpointSize());
        }
        Pass pass = new Pass(receipt.seq(), CompactRange.empty(algorithm), sizes);
        source.entries((position, body, row) -> pass.entry(position, body, hasher));

        String origin = CheckpointStore.origin(receipt.ledger());
        List<Finding> findings = new ArrayList<>();
        Entry entry = null;
        if (pass.body == null) {
            findings.add(Finding.of(FindingCode.I09, receipt.seq(), receipt.entry(), "the ledger holds no entry at position "
                    + receipt.seq() + " (it holds " + pass.count + " entries): the entry on the receipt was removed, or the "
                    + "receipt is forged").inChinese("账本中没有第 " + receipt.seq() + " 条记录：交接单所载记录已被删除，或交接单系伪造")
                    .comparing("entry " + receipt.seq() + " " + receipt.entry().hex(), "no entry " + receipt.seq()));
        } else {
            Hash actual = algorithm.digest(Entry.HASH_LABEL.getBytes(StandardCharsets.US_ASCII), pass.body);
            entry = decode(pass.body);
            if (!actual.equals(receipt.entry())) {
                findings.add(Finding.of(FindingCode.I09, receipt.seq(), actual, "entry " + receipt.seq()
                        + " is not the entry on the receipt: it was changed or replaced after the receipt was printed, or the "
                        + "receipt is forged").inChinese("第 " + receipt.seq() + " 条记录与交接单不符：记录在打印交接单后被篡改或替换，或交接单系伪造")
                        .comparing(receipt.entry().hex(), actual.hex()).at(entry == null ? null : entry.record().at()));
            }
        }
        if (receipt.inCheckpoint()) {
            long size = receipt.checkpointSize();
            Hash root = pass.roots.get(size);
            if (root == null) {
                findings.add(Finding.of(FindingCode.I09, Math.max(0, pass.count - 1), null, "the receipt names the checkpoint of "
                        + size + " entries, but the ledger holds only " + pass.count + ": entries were removed")
                        .inChinese("交接单所载检查点含 " + size + " 条记录，账本仅有 " + pass.count + " 条：记录已被删除")
                        .comparing("at least " + size + " entries", pass.count + " entries"));
            } else if (!root.equals(receipt.checkpointRoot())) {
                findings.add(Finding.of(FindingCode.I09, size - 1, null, "the ledger's first " + size + " entries do not have the "
                        + "root of the checkpoint on the receipt: an entry at or before " + (size - 1) + " was changed, removed or "
                        + "inserted, or the receipt is forged").inChinese("账本前 " + size + " 条记录的根哈希与交接单所载检查点不符："
                        + "第 " + (size - 1) + " 条及之前的记录被篡改、删除或插入，或交接单系伪造")
                        .comparing(receipt.checkpointRoot().hex(), root.hex()));
            }
        }
        if (!findings.isEmpty()) {
            return new ReceiptVerdict(ReceiptVerdict.Status.CONTRADICTED, receipt, entry, null, findings,
                    findings.get(0).message(), findings.get(0).chinese());
        }
        ReceiptVerdict.Coverage coverage = null;
        for (EntrySource.StoredCheckpoint c : stored) {
            if (c.size() <= receipt.seq()) {
                continue;
            }
            Optional<ReceiptVerdict.Coverage> trusted = trusted(c, pass, origin, algorithm);
            if (trusted.isPresent() && (coverage == null || (!coverage.cosigned() && trusted.get().cosigned()))) {
                coverage = trusted.get();
            }
            if (coverage != null && coverage.cosigned()) {
                break;
            }
        }
        return held(receipt, entry, coverage);
    }

    /**
     * Checks {@code receipt} against a bag's verified evidence (docs/formats.md §12): it holds the receipt's entry if it
     * proves an entry at that position in its checkpoint with that hash.
     *
     * @param cosigners the inspector key names whose cosignatures the evidence's verification required (empty if none)
     */
    public static ReceiptVerdict check(Receipt receipt, Evidence.Report evidence, List<String> cosigners) {
        String origin = CheckpointStore.origin(receipt.ledger());
        Checkpoint cp = evidence.checkpoint();
        if (!cp.origin().equals(origin)) {
            String id = cp.origin().startsWith("custody/ledger/") ? cp.origin().substring("custody/ledger/".length()) : cp.origin();
            return otherLedger(receipt, LedgerId.of(id));
        }
        if (receipt.inCheckpoint() && receipt.checkpointSize() == cp.size() && !receipt.checkpointRoot().equals(cp.root())) {
            Finding f = Finding.of(FindingCode.I09, cp.size() - 1, null, "the evidence's checkpoint of " + cp.size()
                    + " entries has another root than the one on the receipt: the ledger was rewritten, or the receipt is forged")
                    .inChinese("证据检查点（" + cp.size() + " 条）的根哈希与交接单不符：账本被改写，或交接单系伪造")
                    .comparing(receipt.checkpointRoot().hex(), cp.root().hex());
            return new ReceiptVerdict(ReceiptVerdict.Status.CONTRADICTED, receipt, null, null, List.of(f), f.message(), f.chinese());
        }
        HashAlgorithm algorithm = evidence.suite().hash();
        for (Entry e : evidence.entries()) {
            if (e.seq() != receipt.seq()) {
                continue;
            }
            Hash actual = e.hash(algorithm);
            if (!actual.equals(receipt.entry())) {
                Finding f = Finding.of(FindingCode.I09, e.seq(), actual, "the evidence proves another entry " + e.seq()
                        + " in the ledger's checkpoint than the one on the receipt: it was changed or replaced after the receipt "
                        + "was printed, or the receipt is forged")
                        .inChinese("证据中的第 " + e.seq() + " 条记录与交接单不符：记录在打印交接单后被篡改或替换，或交接单系伪造")
                        .comparing(receipt.entry().hex(), actual.hex()).at(e.record().at());
                return new ReceiptVerdict(ReceiptVerdict.Status.CONTRADICTED, receipt, e, null, List.of(f), f.message(), f.chinese());
            }
            return held(receipt, e, new ReceiptVerdict.Coverage(cp.size(), cp.root(), cosigners));
        }
        if (receipt.seq() >= cp.size()) {
            return new ReceiptVerdict(ReceiptVerdict.Status.NOT_SHOWN, receipt, null, null, List.of(), "the evidence's checkpoint"
                    + " (" + cp.size() + " entries) does not reach entry " + receipt.seq() + ": export the bag's evidence again"
                    + " after a newer checkpoint, or check the receipt against the ledger or a bundle",
                    "证据的检查点（" + cp.size() + " 条）尚未包含第 " + receipt.seq() + " 条记录：请在新检查点后重新导出证据，或对照账本或导出包核验");
        }
        return new ReceiptVerdict(ReceiptVerdict.Status.NOT_SHOWN, receipt, null, null, List.of(), "the evidence of bag "
                + evidence.bag() + " holds no entry " + receipt.seq() + ": the entry did not move this bag (check it against the"
                + " evidence of a bag it moved, the ledger or a bundle), or the bag's chain was cut (custody verify finds that)",
                "试卷袋 " + evidence.bag() + " 的证据中没有第 " + receipt.seq() + " 条记录：请对照该记录所涉试卷袋的证据、账本或导出包核验");
    }

    private static ReceiptVerdict held(Receipt receipt, Entry entry, ReceiptVerdict.Coverage coverage) {
        String en = "the ledger holds entry " + receipt.seq() + " exactly as on the receipt; " + (coverage == null
                ? "no checkpoint covers it yet (make and cosign one: custody checkpoint make, cosign)"
                : "it is in the checkpoint of " + coverage.size() + " entries, " + (coverage.cosigned()
                        ? "cosigned by " + String.join(", ", coverage.cosigners()) : "not cosigned by an inspector yet"));
        String zh = "账本所载第 " + receipt.seq() + " 条记录与交接单一致；" + (coverage == null ? "尚未纳入检查点"
                : "已纳入含 " + coverage.size() + " 条记录的检查点，" + (coverage.cosigned()
                        ? "已由纪检监察见证签名（" + String.join("、", coverage.cosigners()) + "）" : "尚无纪检监察见证签名"));
        return new ReceiptVerdict(ReceiptVerdict.Status.HELD, receipt, entry, coverage, List.of(), en, zh);
    }

    private static ReceiptVerdict otherLedger(Receipt receipt, LedgerId other) {
        return new ReceiptVerdict(ReceiptVerdict.Status.OTHER_LEDGER, receipt, null, null, List.of(), "the receipt is of ledger "
                + receipt.ledger() + ", not " + other + "; check it against that ledger",
                "交接单属于账本 " + receipt.ledger() + "，而非 " + other + "；请对照该账本核验");
    }

    private static Entry decode(byte[] body) {
        try {
            return Entry.decode(body);
        } catch (MalformedInputException e) {
            return null;
        }
    }

    /**
     * {@code c} as a covering checkpoint, if it is trusted: its body is this ledger's, of its stored size, with the root
     * rebuilt from the entries, and a checkpoint key enrolled in the ledger signed it. Its cosigners are the enrolled
     * discipline inspectors whose cosignature lines verify.
     */
    private static Optional<ReceiptVerdict.Coverage> trusted(EntrySource.StoredCheckpoint c, Pass pass, String origin,
                                                           HashAlgorithm algorithm) {
        SignedNote note;
        Checkpoint body;
        try {
            note = SignedNote.parse(c.note());
            body = Checkpoint.parse(note.text());
        } catch (MalformedInputException e) {
            return Optional.empty();
        }
        Hash root = pass.roots.get(c.size());
        if (!body.origin().equals(origin) || body.size() != c.size() || root == null || !root.equals(body.root())) {
            return Optional.empty();
        }
        List<NoteKey> logKeys = new ArrayList<>();
        pass.checkpointKeys.forEach(k -> logKeys.add(NoteKey.of(origin, NoteKeyType.of(k.algorithm(), false), k)));
        try {
            NoteVerifier.of(logKeys).verify(note).requireSignatures(1, List.of(origin));
        } catch (NoteVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        Set<String> cosigners = new LinkedHashSet<>();
        for (NoteSignature line : note.signatures()) {
            if (line.name().equals(origin)) {
                continue;
            }
            for (Map.Entry<PublicKey, PersonId> k : pass.keys.entrySet()) {
                Person person = pass.people.get(k.getValue());
                NoteKey key = NoteKey.of(line.name(), NoteKeyType.of(k.getKey().algorithm(), true), k.getKey());
                if (person == null || !person.hasRole(Role.DISCIPLINE_INSPECTOR) || !key.id().equals(line.keyId())) {
                    continue;
                }
                try {
                    VerifiedNote verified = NoteVerifier.of(List.of(key)).verify(note);
                    if (verified.cosignedAt(key.name()).isPresent()) {
                        cosigners.add(person.id().value());
                    }
                } catch (NoteVerificationException e) {
                    // a bad cosignature line does not count (custody verify reports it: I08)
                }
            }
        }
        return Optional.of(new ReceiptVerdict.Coverage(c.size(), root, List.copyOf(cosigners)));
    }

    /** One pass over the stored entries: the body at the receipt's position, the roots at the sizes asked, the keys. */
    private static final class Pass {
        final long seq;
        final CompactRange range;
        final Set<Long> sizes;
        final Map<Long, Hash> roots = new HashMap<>();
        /** Every enrolled key, with its person. */
        final Map<PublicKey, PersonId> keys = new HashMap<>();
        /** Everyone enrolled, with their latest details (roles). */
        final Map<PersonId, Person> people = new HashMap<>();
        final List<PublicKey> checkpointKeys = new ArrayList<>();
        byte[] body;
        long count;

        Pass(long seq, CompactRange range, Set<Long> sizes) {
            this.seq = seq;
            this.range = range;
            this.sizes = sizes;
        }

        void entry(long position, byte[] bytes, TreeHasher hasher) {
            count++;
            if (position == seq && body == null) {
                body = bytes;
            }
            range.append(hasher.leafHash(bytes));
            if (sizes.contains(range.size())) {
                roots.put(range.size(), range.root());
            }
            if (count == 1 || EntrySource.contains(bytes, ENROL)) {
                Entry e = decode(bytes);
                if (e != null && e.record() instanceof Genesis g && count == 1) {
                    for (Founder f : g.founders()) {
                        people.put(f.person().id(), f.person());
                        keys.putIfAbsent(f.key(), f.person().id());
                    }
                } else if (e != null && e.record() instanceof Enrolment en) {
                    people.put(en.person().id(), en.person());
                    keys.putIfAbsent(en.key(), en.person().id());
                    if (en.person().hasRole(Role.CHECKPOINT_SIGNER)) {
                        checkpointKeys.add(en.key());
                    }
                }
            }
        }
    }
}
