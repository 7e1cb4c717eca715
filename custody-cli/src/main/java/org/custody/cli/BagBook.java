package org.custody.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.custody.crypto.Hash;
import org.custody.label.Label;
import org.custody.label.LabelCheck;
import org.custody.label.LabelVerdict;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;
import org.custody.record.Registration;

/** Where a handoff looks its bags up: registered bags, their heads, and scanned labels checked (I10). */
interface BagBook {
    /** Where the ledger is, for messages: its file or the server's URL. */
    String where();

    LedgerId ledger();

    /** The bag as registered, if it is. */
    Optional<Bag> bag(BagId id);

    /** The hash of the last entry that moved the bag (what the next handoff links to). */
    Optional<Hash> head(BagId id);

    /** A scanned label checked against the bag's history. */
    LabelVerdict check(Label label);

    /** The bags of a local ledger file. */
    static BagBook of(Ledger ledger) {
        Map<BagId, Bag> registered = ledger.bags().stream().collect(Collectors.toMap(Bag::id, Function.identity(), (a, b) -> a));
        return new BagBook() {
            @Override
            public String where() {
                return ledger.location().toString();
            }

            @Override
            public LedgerId ledger() {
                return ledger.id();
            }

            @Override
            public Optional<Bag> bag(BagId id) {
                return Optional.ofNullable(registered.get(id));
            }

            @Override
            public Optional<Hash> head(BagId id) {
                return ledger.bagHead(id);
            }

            @Override
            public LabelVerdict check(Label label) {
                return ledger.checkLabel(label);
            }
        };
    }

    /** The bags of a server's ledger, read from each bag's history (once per bag). */
    static BagBook of(RemoteLedger remote) {
        Map<BagId, RemoteLedger.History> histories = new HashMap<>();
        Function<BagId, RemoteLedger.History> history = id -> histories.computeIfAbsent(id, b -> {
            try {
                return remote.history(b);
            } catch (ServerError e) {
                if (e.httpStatus() == 404) {
                    return new RemoteLedger.History(List.of(), null, null, null);
                }
                throw e;
            }
        });
        return new BagBook() {
            @Override
            public String where() {
                return "the server's ledger " + remote.id() + " at " + remote.api().url("");
            }

            @Override
            public LedgerId ledger() {
                return remote.id();
            }

            @Override
            public Optional<Bag> bag(BagId id) {
                for (Entry e : history.apply(id).entries()) {
                    if (e.record() instanceof Registration r) {
                        return r.bags().stream().filter(b -> b.id().equals(id)).findFirst();
                    }
                }
                return Optional.empty();
            }

            @Override
            public Optional<Hash> head(BagId id) {
                return Optional.ofNullable(history.apply(id).head());
            }

            @Override
            public LabelVerdict check(Label label) {
                List<Entry> entries = label.ledger().equals(remote.id()) ? history.apply(label.bag()).entries() : List.of();
                return LabelCheck.check(label, remote.id(), remote.suite().hash(), entries);
            }
        };
    }
}
