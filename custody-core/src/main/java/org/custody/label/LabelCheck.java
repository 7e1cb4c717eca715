package org.custody.label;

import java.util.List;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.Step;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Registration;

/**
 * Issues labels and checks scanned ones against a ledger (I10). A bag's <em>seal entry</em> is the latest
 * handoff with step {@code seal} that moved it, or, for a bag never sealed at that step (answer-sheet bags,
 * sealed in the room; containers), its registration. A label is good only if it binds the bag to that entry:
 * a label made before the bag was (re)sealed is stale and fails like a forged one.
 *
 * <p>The methods are pure: they take the bag's history ({@code Ledger.label} and {@code Ledger.checkLabel} give them a ledger's).
 */
public final class LabelCheck {
    private LabelCheck() {}

    /** The entry a label of {@code bag} must bind, given every entry that named the bag, oldest first. */
    public static Optional<Entry> sealEntry(BagId bag, List<Entry> history) {
        Entry seal = null;
        for (Entry e : history) {
            if (e.record() instanceof Registration r) {
                if (seal == null && r.bags().stream().anyMatch(b -> b.id().equals(bag))) {
                    seal = e;
                }
            } else if (e.record() instanceof Handoff h && h.step() == Step.SEAL
                    && h.bags().stream().anyMatch(m -> m.bag().equals(bag))) {
                seal = e;
            }
        }
        return Optional.ofNullable(seal);
    }

    /**
     * The label to print for {@code bag} now: bound to its seal entry.
     *
     * @throws org.custody.failure.MalformedInputException if {@code history} holds no registration of the bag
     */
    public static Label issue(HashAlgorithm algorithm, LedgerId ledger, BagId bag, List<Entry> history) {
        Entry seal = sealEntry(bag, history).orElseThrow(() -> new MalformedInputException(
                "bag " + bag + " is not registered in ledger " + ledger + "; register it before printing its label"));
        return Label.bind(algorithm, ledger, bag, seal.seq(), seal.hash(algorithm));
    }

    /**
     * Checks a scanned {@code label} against the ledger {@code ledger} (hash function {@code algorithm}), given
     * every entry of that ledger that named the label's bag, oldest first.
     */
    public static LabelVerdict check(Label label, LedgerId ledger, HashAlgorithm algorithm, List<Entry> history) {
        BagId bag = label.bag();
        if (!label.ledger().equals(ledger)) {
            return new LabelVerdict(LabelVerdict.Status.OTHER_LEDGER, label, null, null, "the label of bag " + bag
                    + " is for ledger " + label.ledger() + ", not " + ledger + "; check it against that ledger's file");
        }
        Optional<Entry> seal = sealEntry(bag, history);
        if (seal.isEmpty()) {
            String message = "bag " + bag + " is not registered in ledger " + ledger
                    + ": this ledger never issued the label (forged, or a test print)";
            Finding f = new Finding(FindingCode.I10, label.seq(), null, null, List.of(bag), List.of(), message,
                    "账本中没有试卷袋 " + bag + "：标签并非本账本签发（伪造或试印）", null, null)
                    .comparing("a bag registered in " + ledger, "bag " + bag);
            return new LabelVerdict(LabelVerdict.Status.UNKNOWN_BAG, label, null, f, message);
        }
        Entry entry = seal.get();
        Hash hash = entry.hash(algorithm);
        Label expected = Label.bind(algorithm, ledger, bag, entry.seq(), hash);
        if (expected.equals(label)) {
            return new LabelVerdict(LabelVerdict.Status.OK, label, expected, null,
                    "bag " + bag + ": the label matches its seal entry " + entry.seq());
        }
        String message = mismatch(label, expected, algorithm, ledger, history);
        Finding f = new Finding(FindingCode.I10, entry.seq(), hash, entry.record().at(), List.of(bag), List.of(), message,
                "试卷袋 " + bag + " 的标签与其封装记录（第 " + entry.seq() + " 条）不符：标签被调换、伪造或已过期", null, null)
                .comparing(binding(expected), binding(label));
        return new LabelVerdict(LabelVerdict.Status.MISMATCH, label, expected, f, message);
    }

    private static String mismatch(Label label, Label expected, HashAlgorithm algorithm, LedgerId ledger, List<Entry> history) {
        BagId bag = label.bag();
        if (label.seq() == expected.seq()) {
            return "the label of bag " + bag + " names its seal entry " + expected.seq()
                    + " but its tag does not match that entry: the label was altered, forged or taken from another bag";
        }
        for (Entry e : history) {
            if (e.seq() == label.seq() && Label.bind(algorithm, ledger, bag, e.seq(), e.hash(algorithm)).equals(label)) {
                return "the label of bag " + bag + " binds entry " + label.seq() + ", but the bag was sealed again at entry "
                        + expected.seq() + ": the label is stale; check the bag and print a new label";
            }
        }
        return "the label of bag " + bag + " binds entry " + label.seq() + ", but the bag's seal entry is " + expected.seq()
                + ": the label was swapped or forged";
    }

    private static String binding(Label l) {
        return "entry " + l.seq() + " tag " + l.tag();
    }
}
