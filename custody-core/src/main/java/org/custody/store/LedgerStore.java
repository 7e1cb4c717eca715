package org.custody.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.custody.audit.Finding;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.crypto.KeyId;
import org.custody.crypto.Suite;
import org.custody.merkle.HashSource;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.record.Entry;

/**
 * Where one ledger's entries and the indexes derived from them are kept. The ledger's facade reads through it and its
 * append gate writes through a {@link Transaction}; neither knows how the store keeps its bytes. A store checks no
 * signature and applies no custody rule: it stores what the gate accepted, atomically, and compares-and-swaps the head
 * so that two writers can never fork the chain.
 *
 * <p>Reads outside a transaction see the last committed state. Failures to read or write are
 * {@link org.custody.failure.StoreException}s; stored bytes that do not decode say so and ask for a verification.
 * Implementations need not be safe for concurrent use: the ledger serialises its calls.
 */
public interface LedgerStore extends AutoCloseable {
    /** The ledger this store holds, from its genesis entry. */
    LedgerId ledger();

    /** The signature and hash suite of the ledger. */
    Suite suite();

    /** Where the store is, for messages ("exam.db", a database URL without credentials). */
    String name();

    /** The last entry, or empty while the store holds none. */
    Optional<EntryRef> last();

    /** The entry at {@code seq}, if the store holds one. */
    Optional<Entry> entry(long seq);

    /**
     * The entry whose hash is {@code hash}, if the store holds one (inside a transaction: also one it added). Used
     * rarely (a correction names the entry it corrects by hash), so a store may answer it by a scan.
     */
    Optional<Entry> entryByHash(org.custody.crypto.Hash hash);

    /** Every entry that named {@code bag}, oldest first, following the bag's links from its last entry. */
    List<Entry> history(BagId bag);

    /** The last entry that named {@code bag}, or empty if none did. */
    Optional<EntryRef> bagHead(BagId bag);

    /** Every entry of one of {@code types} (docs/formats.md §3.1) from position {@code from} on, oldest first. */
    void entries(long from, Set<String> types, EntryVisitor visitor);

    /**
     * Every entry from position {@code from} on, oldest first, with its stored hash: what the append gate replays to
     * bring its rules up to date. With {@code checkIndexes} (and {@code from == 0}) the store also compares every index
     * the gate reads (the head, bag heads and links, keys, checkpoint keys, the entries' derived columns) with what the
     * entries imply, and returns each disagreement as a finding; the gate refuses to append while there is one.
     * The gate calls this inside an open {@link Transaction} too: a store must then read as that transaction sees the
     * ledger (the SQLite store reads on the transaction's own connection), never past its head.
     */
    List<Finding> replay(long from, boolean checkIndexes, EntryVisitor visitor);

    /** The stored Merkle tree of the first {@code size} entries (docs/merkle.md), for roots and proofs. */
    HashSource tree(long size);

    /** The stored checkpoint of the first {@code size} entries, or with {@code size < 0} the largest one made. */
    Optional<SignedNote> checkpoint(long size);

    /** The time-stamp token stored with the checkpoint of {@code size}, if a TSA gave one (docs/formats.md §7.6). */
    Optional<org.custody.timestamp.TimestampToken> timestamp(long size);

    /**
     * The keys that may sign the checkpoint of the first {@code size} entries: keys enrolled for a checkpoint signer
     * by an entry before {@code size}, not revoked by one before it.
     */
    List<StoredKey> checkpointKeys(long size);

    /**
     * Which entries the custody rules' state kept beside them reflects (docs/formats.md §7), or empty if the store keeps
     * none (a new store, or one a version without it wrote). Inside an open {@link Transaction}, as it sees the ledger.
     */
    Optional<StateAt> ruleStateAt();

    /** One row of the custody rules' state, or empty (inside an open transaction: as it sees the ledger). */
    Optional<byte[]> ruleState(String kind, String key);

    /** Every row of the custody rules' state of {@code kind}, in no particular order. */
    void ruleStates(String kind, java.util.function.BiConsumer<String, byte[]> each);

    /** The keys of the rule state's rows of {@code kind} in {@code group} (the bags a container holds). */
    List<String> ruleStateKeys(String kind, String group);

    /**
     * The rule findings kept for {@code bag} (docs/formats.md §7.2), in ledger order: each the bytes of
     * {@link org.custody.audit.FindingJson}, of a finding that names the bag or, naming no bag, lies on one of its entries.
     */
    List<byte[]> findings(BagId bag);

    /**
     * The entries indexed under {@code term} ({@link EntryTerms}: a person, a seal number, a place) after position
     * {@code after} ({@code -1}: from the first), oldest first, at most {@code limit} of them.
     */
    List<Entry> entriesWith(String term, long after, int limit);

    /**
     * The bags {@code query} asks about (docs/formats.md §7.3), in order of id after {@code after} ({@code null}: from the
     * first), at most {@code limit} of them.
     */
    List<BagId> bags(BagQuery query, BagId after, int limit);

    /**
     * How many of the bags {@code query} asks about stand at each step (by the wire name of their last handoff's step;
     * {@link BagQuery#REGISTERED}: moved by no handoff).
     */
    Map<String, Long> stepCounts(BagQuery query);

    /**
     * How many of the bags {@code query} asks about share each combination of values of the columns {@code by} (names of
     * {@link BagQuery#COLUMNS}, at least one, each once): one grouped count over the bag index, in order of those
     * values (a {@code null} value first), combinations with no bag left out.
     *
     * @throws IllegalArgumentException if {@code by} is empty, repeats a column or names one not in {@link BagQuery#COLUMNS}
     */
    List<BagCount> bagCounts(BagQuery query, List<String> by);

    /**
     * How many rule findings are kept (docs/formats.md §7.2) of each code: with {@code sites} {@code null}, all of them;
     * else those found only under bags that are registered at one of {@code sites} (a {@code null} element: bags of no
     * site), so a count never tells of a finding that names a bag elsewhere. By code, in code order.
     */
    Map<String, Long> findingCounts(java.util.Collection<String> sites);

    /** Every bag a time limit runs for (its {@link BagIndex#deadlines} are not {@code null}), in order of id. */
    List<BagId> bagsWithDeadlines();

    /**
     * The kept rule findings (docs/formats.md §7.2) of {@code code} ({@code null}: of any), in ledger order after the
     * {@code afterN}th finding of the entry at {@code afterSeq} ({@code -1, -1}: from the first), at most {@code limit}.
     */
    List<KeptFinding> findings(String code, long afterSeq, int afterN, int limit);

    /** The handoff drafts kept beside the ledger for its servers (not ledger data: never verified nor exported). */
    KeptDrafts drafts();

    /**
     * A lock that one process at a time holds among all that use this store, for a duty only one may do (the
     * checkpointer); a store used by one process only hands out a lock that is always held.
     */
    ExclusiveLock exclusive(String duty);

    /** Begins a write transaction, waiting for another writer's to end; only one is open at a time. */
    Transaction begin();

    /** Releases the store; a transaction still open is rolled back. */
    @Override
    void close();

    /** Called with each entry read, in ledger order. */
    @FunctionalInterface
    interface EntryVisitor {
        void entry(long seq, Hash hash, Entry entry);
    }

    /**
     * One write transaction: everything written is committed together by {@link #commit} or not at all. Reads inside it
     * see its own writes once they are {@linkplain #flush() flushed}. {@link #close} without a commit rolls back.
     */
    interface Transaction extends AutoCloseable {
        /** The last entry as this transaction sees it. */
        Optional<EntryRef> last();

        /** Entries already stored under any of {@code recordIds}, by record id. */
        Map<String, StoredEntry> byRecordId(Collection<String> recordIds);

        /** The key index's row for {@code id}. */
        Optional<StoredKey> key(KeyId id);

        /** Writes or replaces the key index's row for {@code key.id()}. */
        void putKey(StoredKey key);

        /** The last entry that named {@code bag}, as committed or flushed. */
        Optional<EntryRef> bagHead(BagId bag);

        /** Moves the heads of these bags; written by the next {@link #flush}. */
        void putBagHeads(Map<BagId, EntryRef> heads);

        /**
         * Stores {@code entry} at {@code seq} with its {@code hash}, a link from each bag it names to that bag's
         * previous entry ({@code links}: the previous entry's position, or {@code null} at the bag's registration), its
         * leaf in the Merkle tree and, for an enrolment, its place in the derived indexes. Entries come in order, from
         * the head on.
         */
        void add(long seq, Hash hash, Entry entry, Map<BagId, Long> links);

        /** Writes what is buffered, so that reads in this transaction see it. */
        void flush();

        /**
         * Moves the head from {@code from} (empty for a store without entries) to {@code to}, only if the head is still
         * {@code from}: otherwise another writer moved it, and this fails with nothing stored.
         */
        void advance(Optional<EntryRef> from, EntryRef to);

        /** The Merkle tree of the first {@code size} entries, as stored in this transaction. */
        HashSource tree(long size);

        /** The stored checkpoint of {@code size}, as this transaction sees it. */
        Optional<SignedNote> checkpoint(long size);

        /** The keys that may sign the checkpoint of {@code size}, as this transaction sees them. */
        List<StoredKey> checkpointKeys(long size);

        /** Writes or replaces one row of the custody rules' state ({@code group}: how it is found, or {@code null}). */
        void putRuleState(String kind, String key, String group, byte[] value);

        /** Keeps the {@code n}th rule finding of the entry at {@code seq}, found under each of {@code bags}. */
        void putFinding(long seq, int n, String code, byte[] body, Collection<BagId> bags);

        /** Writes or replaces the index row of one bag ({@code row.bag()}), beside its rules' state row. */
        void putBagIndex(BagIndex row);

        /** Removes every row of the custody rules' state, every kept finding and bag index row, before all is written again. */
        void clearRuleState();

        /** Says which entries the rule state as now written reflects. */
        void ruleStateAt(StateAt at);

        /** Stores a new checkpoint of the first {@code size} entries, whose root is {@code root}. */
        void addCheckpoint(long size, Hash root, SignedNote note, Instant madeAt);

        /** Replaces the stored checkpoint of {@code size} (with cosignatures added). */
        void replaceCheckpoint(long size, SignedNote note);

        /** Stores the time-stamp token of the stored checkpoint of {@code size}, which has none yet. */
        void addTimestamp(long size, org.custody.timestamp.TimestampToken token);

        /** Makes every write durable and visible to readers; the transaction ends. */
        void commit();

        /** Ends the transaction; rolls it back unless it was committed. */
        @Override
        void close();
    }

    /**
     * Which entries a stored rule state reflects: the first {@code size}, the last of which has hash {@code head}
     * ({@link Hash#ZERO} for none), in the row format {@code version}.
     */
    record StateAt(int version, long size, Hash head) {}

    /**
     * A kept rule finding: the {@code n}th of the entry at {@code seq}, as the bytes of
     * {@link org.custody.audit.FindingJson}.
     */
    record KeptFinding(long seq, int n, byte[] body) {}

    /**
     * An entry already stored, found by its record id.
     *
     * @param canonicalRecord the stored record's canonical bytes, to tell the same record sent again from another that
     *                        reuses its id
     */
    record StoredEntry(long seq, Hash hash, byte[] canonicalRecord) {}
}
