package org.custody.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.label.Label;
import org.custody.label.LabelVerdict;
import org.custody.label.MalformedLabelException;
import org.custody.model.BagId;

/**
 * Bag ids as officers give them: on the command line, or one per line on standard input as a USB barcode
 * scanner types them (the code's text, then Enter). A scanned label ({@code CUSTODY1/...}, formats.md §10) is
 * checked against the ledger before its bag is taken: a swapped, forged or stale label is refused with I10.
 * An empty line or the end of input ends the list; a bag scanned twice counts once.
 */
final class BagInput {
    private BagInput() {}

    /** The bag id in one typed or scanned line: a bag id, or a label checked against {@code ledger}. */
    static BagId parse(String line, long number, BagBook ledger) {
        String t = line.strip();
        if (t.startsWith(Label.PREFIX)) {
            return checkedLabel(t, "line " + number + " of standard input", ledger);
        }
        try {
            return BagId.of(t);
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new UserError("line " + number + " of standard input ('" + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
                    + "') is not a bag id: " + e.getMessage() + "; scan the bag's label again or type its id");
        }
    }

    /** The bag of a scanned label, after checking that the label binds the bag to its current seal entry. */
    static BagId checkedLabel(String payload, String where, BagBook ledger) {
        Label label;
        try {
            label = Label.parse(payload);
        } catch (MalformedLabelException e) {
            throw new UserError(where + " is not a readable bag label: " + e.getMessage() + "; scan the label again");
        }
        LabelVerdict verdict = ledger.check(label);
        switch (verdict.status()) {
            case OK:
                return label.bag();
            case OTHER_LEDGER:
                throw new UserError(where + ": " + verdict.message() + "; this handoff is recorded in " + ledger.where()
                        + ". Nothing was stored");
            default:
                throw new UserError(where + ": I10 " + verdict.message() + ". Do not accept the bag: report the label"
                        + " with 'custody incident'. Nothing was stored", Exit.INTEGRITY);
        }
    }

    /** Reads bag ids (or labels, checked against {@code ledger}) from {@code terminal} until an empty line or the end of input. */
    static List<BagId> read(Terminal terminal, List<String> duplicates, BagBook ledger) {
        Set<BagId> bags = new LinkedHashSet<>();
        long n = 0;
        while (true) {
            String line = terminal.readLine(bags.isEmpty() ? "Scan or type bag ids, one per line; an empty line ends: " : "");
            n++;
            if (line == null || line.isBlank()) {
                break;
            }
            BagId id = parse(line, n, ledger);
            if (!bags.add(id)) {
                duplicates.add(id.value());
            }
        }
        return new ArrayList<>(bags);
    }
}
