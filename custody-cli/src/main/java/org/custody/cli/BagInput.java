package org.custody.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.custody.model.BagId;

/**
 * Bag ids as officers give them: on the command line, or one per line on standard input as a USB barcode
 * scanner types them (the code's text, then Enter). An empty line or the end of input ends the list; a
 * bag scanned twice counts once.
 */
final class BagInput {
    private BagInput() {}

    /** The bag id in one typed or scanned line. */
    static BagId parse(String line, long number) {
        String t = line.strip();
        try {
            return BagId.of(t);
        } catch (IllegalArgumentException e) {
            throw new UserError("line " + number + " of standard input ('" + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
                    + "') is not a bag id: " + e.getMessage() + "; scan the bag's label again or type its id");
        }
    }

    /** Reads bag ids from {@code terminal} until an empty line or the end of input. */
    static List<BagId> read(Terminal terminal, List<String> duplicates) {
        Set<BagId> bags = new LinkedHashSet<>();
        long n = 0;
        while (true) {
            String line = terminal.readLine(bags.isEmpty() ? "Scan or type bag ids, one per line; an empty line ends: " : "");
            n++;
            if (line == null || line.isBlank()) {
                break;
            }
            BagId id = parse(line, n);
            if (!bags.add(id)) {
                duplicates.add(id.value());
            }
        }
        return new ArrayList<>(bags);
    }
}
