package org.custody.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.custody.ledger.Ledger;
import org.custody.ledger.LedgerLocation;

/**
 * Ledger files kept open during one {@code custody batch}, by path, so that the batch's commands share one open
 * {@link Ledger} per file instead of opening it again each: opening replays every stored entry through the custody
 * rules, which made a batch of n commands cost O(n²). Outside a batch every command opens the file itself and closes
 * it when done, as before. A shared ledger stays true to its file between commands: an append is one transaction,
 * and a refused or failed one rolls back both the file and the ledger's in-memory state.
 */
final class OpenLedgers {
    private static final BatchScope<OpenLedgers> SCOPE = new BatchScope<>();

    private final Map<String, Ledger> open = new LinkedHashMap<>();

    private OpenLedgers() {}

    /** A ledger as a command uses it; closing it closes the file unless the running batch keeps it open. */
    record Lease(Ledger ledger, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                ledger.close();
            }
        }
    }

    /** Runs {@code work} with ledgers shared by the commands it runs; closes every one of them afterwards. */
    static <T> T during(Supplier<T> work) {
        return SCOPE.during(new OpenLedgers(), work, OpenLedgers::closeAll);
    }

    /** Opens the ledger at {@code file}, or takes the one the running batch already has open. */
    static Lease open(LedgerLocation file) {
        OpenLedgers batch = SCOPE.current();
        if (batch == null) {
            return new Lease(Ledger.open(file), true);
        }
        String key = file instanceof LedgerLocation.File f ? BatchScope.key(f.path()).toString() : file.toString();
        Ledger ledger = batch.open.get(key);
        if (ledger == null) {
            ledger = Ledger.open(file);
            batch.open.put(key, ledger);
        }
        return new Lease(ledger, false);
    }

    /** Opens the ledger file {@code file}, as {@link #open(LedgerLocation)} does. */
    static Lease open(Path file) {
        return open(LedgerLocation.of(file));
    }

    /** The number of ledgers the running batch has open (0 outside a batch); for tests. */
    static int kept() {
        OpenLedgers batch = SCOPE.current();
        return batch == null ? 0 : batch.open.size();
    }

    private void closeAll() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Ledger ledger : open.values()) {
            try {
                ledger.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        open.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
