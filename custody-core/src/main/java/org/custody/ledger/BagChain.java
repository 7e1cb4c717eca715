package org.custody.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.crypto.HashAlgorithm;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Registration;

/**
 * Checks one bag's history on its own, without the rest of the ledger: it starts with the bag's
 * registration, every later entry names the bag and links to the entry before it in the history, and
 * sequence numbers increase. Signatures need the enrolments and are checked by {@link LedgerVerifier}.
 */
public final class BagChain {
    private BagChain() {}

    /** Every I07 or I06 finding in {@code history} (oldest first) of {@code bag}; empty if the chain holds. */
    public static List<Finding> check(BagId bag, List<Entry> history, HashAlgorithm hash) {
        List<Finding> findings = new ArrayList<>();
        Entry previous = null;
        Hash previousHash = null;
        for (Entry entry : history) {
            Hash entryHash = entry.hash(hash);
            if (previous == null) {
                boolean registers = entry.record() instanceof Registration r
                        && r.bags().stream().map(Bag::id).anyMatch(bag::equals);
                if (!registers) {
                    findings.add(Finding.of(FindingCode.I07, entry.seq(), entryHash,
                            "the history of " + bag + " does not start with its registration").withBags(List.of(bag)));
                }
            } else {
                if (entry.seq() <= previous.seq()) {
                    findings.add(Finding.of(FindingCode.I06, entry.seq(), entryHash, "history of " + bag
                            + " goes backwards").comparing("after " + previous.seq(), entry.seq()).withBags(List.of(bag)));
                }
                Optional<BagMove> move = entry.record().moves().stream().filter(m -> m.bag().equals(bag)).findFirst();
                if (move.isEmpty()) {
                    findings.add(Finding.of(FindingCode.I07, entry.seq(), entryHash, "entry does not name " + bag)
                            .withBags(List.of(bag)));
                } else if (!move.get().prev().equals(previousHash)) {
                    findings.add(Finding.of(FindingCode.I07, entry.seq(), entryHash, bag + " does not link to the entry before it ("
                            + previous.seq() + ")").comparing(previousHash, move.get().prev()).withBags(List.of(bag)));
                }
            }
            previous = entry;
            previousHash = entryHash;
        }
        return findings;
    }
}
