package org.custody.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.crypto.Hash;
import org.custody.model.Policy;
import org.custody.record.Record;

/**
 * Evaluates the custody rules R01-R25 over a ledger, entry by entry in order, and at its end. Holds the
 * custody state (people, policies, timetables, bags, vaults), which grows with bags, not entries.
 *
 * <p>Use {@link #check} to see what an entry would breach, {@link #apply} to take it into the state, and
 * {@link #finish} for what is overdue at the end (answer sheets not returned, grading not returned,
 * vaults not inspected).
 */
public final class RuleEngine {
    /** The time limits that run per bag (R10, R11, R25): a bag's position says which run for it. */
    private static final List<BagDeadlineRule> DEADLINES = List.of(new AnswerReturnRule(), new GradingSameDayRule(),
            new SiteArrivalRule());
    private final List<Rule> rules = List.of(new WitnessCountRule(), new DistributionStaffRule(), new PoliceEscortRule(),
            new SeamlessCustodyRule(), new LifeCycleRule(), new OpeningTimeRule(), new CountsRule(),
            new SignerEligibilityRule(), new SpareOpeningRule(), DEADLINES.get(0), DEADLINES.get(1),
            new VaultInspectionRule(), new WithdrawnSetRule(), new RetentionRule(), new TimeOrderRule(), new SealContinuityRule(),
            new GovernanceRule(), new OwnRoomRule(), new InvigilatorCountRule(), new BoxRule(), new FutureTimeRule(),
            new LateRecordRule(), new RegisteredPlaceRule(), DEADLINES.get(2));
    private final CustodyState state;

    /** An engine with an empty state, all of it in memory: apply the entries from the first on. */
    public RuleEngine() {
        this.state = new CustodyState(null);
    }

    private RuleEngine(StateRows rows) {
        this.state = new CustodyState(rows);
    }

    /**
     * An engine whose state a store keeps as rows (docs/formats.md §7), as of the entries that wrote them: the small
     * kinds are read whole now, bags one by one when a record names them. Changes are noted from the start
     * ({@link #changes}).
     *
     * @throws org.custody.failure.StoreException if a stored row is damaged (now, or when a bag's row is read)
     */
    public static RuleEngine stored(StateRows rows) {
        RuleEngine engine = new RuleEngine(rows);
        BagTable.decoded("the ledger's people, policies, places and vaults", () -> {
            StateCodec.load(engine.state, rows);
            return null;
        });
        engine.state.changed = new java.util.TreeMap<>();
        return engine;
    }

    /**
     * An engine holding, all in memory, the state {@code rows} describe: every row of every kind, bags included, as a
     * verifier that applied the same entries would hold it (a verification that starts after entries a kept state
     * covers, {@code LedgerVerifier.Options.since}). Changes are not noted.
     *
     * @throws org.custody.failure.StoreException if a row is damaged
     */
    public static RuleEngine restored(StateRows rows) {
        RuleEngine engine = new RuleEngine();
        BagTable.decoded("the kept people, policies, places and vaults", () -> {
            StateCodec.load(engine.state, rows);
            return null;
        });
        rows.rows(StateCodec.BAG, (key, value) -> {
            org.custody.model.BagId id = BagTable.decoded("bag " + key, () -> org.custody.model.BagId.of(key));
            engine.state.bags.restore(id, BagTable.decoded("bag " + key, () -> StateCodec.bag(id, value)));
        });
        return engine;
    }

    /**
     * The version of the rules' kept state and findings (formats.md §7.1-7.2): of the rows {@link #changes} and
     * {@link #forEachRow} give, and of what each rule finds and says. Raise it with any change to a rule's findings
     * (its logic, order or wording) or to what the state remembers: a store keeping another version is rebuilt by the
     * gate's next append, and a verifier neither compares nor trusts it meanwhile.
     */
    public static final int STATE_VERSION = 3;

    /**
     * Every row of the state, all of which must be in memory (an engine that applied the entries from the first); from
     * now on changes are noted for {@link #changes}. What an append gate writes after building the state by a replay.
     */
    public void forEachRow(java.util.function.Consumer<Row> each) {
        for (String kind : StateCodec.KINDS) {
            StateCodec.keys(state, kind, key -> StateCodec.row(state, kind, key).ifPresent(each));
        }
        state.bags.handedOut();
        state.changed = new java.util.TreeMap<>();
    }

    /** The rows changed since the last call (or since {@link #stored} or {@link #forEachRow}), for the store to write. */
    public List<Row> changes() {
        if (state.changed == null) {
            throw new IllegalStateException("this engine does not note its changes: write all of its rows first");
        }
        List<Row> rows = new ArrayList<>();
        state.changed.forEach((kind, keys) -> keys.forEach(key -> StateCodec.row(state, kind, key).ifPresent(rows::add)));
        state.changed.clear();
        state.bags.handedOut();
        return rows;
    }

    /** The row of {@code kind} and {@code key} as this engine's state has it, or empty: for comparing with a store's. */
    public java.util.Optional<Row> row(String kind, String key) {
        return StateCodec.row(state, kind, key);
    }

    /** How many rows the state has (all of it in memory). */
    public long rowCount() {
        long[] count = {0};
        forEachKey((kind, key) -> count[0]++);
        return count[0];
    }

    /** The kind and key of every row the state has (all of it in memory), in no particular order. */
    public void forEachKey(java.util.function.BiConsumer<String, String> each) {
        for (String kind : StateCodec.KINDS) {
            StateCodec.keys(state, kind, key -> each.accept(kind, key));
        }
    }

    /** The changed rows were committed: keep what was read only while there is room. */
    public void committed() {
        state.bags.trim();
    }

    /**
     * One row of the custody state a store keeps: its {@code kind} (bag, person, key-owner, policy, session, place,
     * withdrawn, exam, vault, container, ledger), its {@code key} within the kind, the {@code group} it is found by
     * (a bag's container, else {@code null}), and its {@code value}, a JSON object (docs/formats.md §7); a bag's row
     * also gives the bag's {@code position}, which a store indexes for questions over many bags (§7.3), else {@code null}.
     */
    public record Row(String kind, String key, String group, byte[] value, BagPosition position) {
        /** A row of any kind but bag, which carries no position. */
        public Row(String kind, String key, String group, byte[] value) {
            this(kind, key, group, value, null);
        }
    }

    /** Where a store keeps the custody state's rows, read by an engine {@link #stored} there. */
    public interface StateRows {
        /** The value of one row, or empty. */
        java.util.Optional<byte[]> row(String kind, String key);

        /** Every row of {@code kind}, in no particular order. */
        void rows(String kind, java.util.function.BiConsumer<String, byte[]> each);

        /** The keys of the rows of {@code kind} whose group is {@code group}. */
        List<String> keys(String kind, String group);
    }

    /** The rule findings {@code record}, at {@code seq} with entry hash {@code hash}, would make; the state is unchanged. */
    public List<Finding> check(long seq, Hash hash, Record record) {
        return check(seq, hash, record, null);
    }

    /**
     * The rule findings {@code record}, at {@code seq} with entry hash {@code hash}, appended at {@code appended}
     * ({@code null} if the entry has no append time: R22 and R23 are then not checked), would make; the state is unchanged.
     */
    public List<Finding> check(long seq, Hash hash, Record record, Instant appended) {
        List<Finding> out = new ArrayList<>();
        RuleInput input = new RuleInput(seq, hash, record, appended, state);
        for (Rule rule : rules) {
            rule.check(input, out);
        }
        return out;
    }

    /** Takes {@code record} into the state. */
    public void apply(long seq, Hash hash, Record record) {
        StateUpdate.apply(state, seq, hash, record);
    }

    /** Checks then applies; returns the findings. */
    public List<Finding> checkAndApply(long seq, Hash hash, Record record) {
        return checkAndApply(seq, hash, record, null);
    }

    /** Checks (with the entry's append time, or {@code null}) then applies; returns the findings. */
    public List<Finding> checkAndApply(long seq, Hash hash, Record record, Instant appended) {
        List<Finding> out = check(seq, hash, record, appended);
        apply(seq, hash, record);
        return out;
    }

    /** Findings for what is overdue as of {@code asOf}. */
    public List<Finding> finish(Instant asOf) {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule instanceof TimedRule timed) {
                timed.finish(state, asOf, out);
            }
        }
        return out;
    }

    /** The latest record time seen: the default "as of" time, so a later verification reproduces this one. */
    public Instant latest() {
        return state.latest;
    }

    /**
     * Keeps the signers of the entries whose hashes are {@code entries}, when they are applied: the entries later
     * corrections refer to (R17 needs one of their signers). A verifier reads the corrections ahead and names them here.
     */
    public void watch(java.util.Collection<Hash> entries) {
        state.watched.addAll(entries);
    }

    /**
     * How to find the signers of an entry no {@link #watch} named, by its hash, for a correction that refers to it:
     * the gate looks the entry up in its store. Empty if there is no such entry before the record checked.
     */
    public void signersFrom(java.util.function.Function<Hash, java.util.Optional<List<org.custody.model.PersonId>>> lookup) {
        state.signersOf = lookup;
    }

    /** Everyone enrolled so far, as their latest enrolment (or founder record) describes them (a read-only view). */
    public java.util.Map<org.custody.model.PersonId, org.custody.model.Person> people() {
        return java.util.Collections.unmodifiableMap(state.people);
    }

    /** Every exam the ledger names so far (by its bags, policies and timetables), sorted. */
    public List<String> exams() {
        return List.copyOf(state.exams);
    }

    /** The places registered so far, sorted by id. */
    public List<org.custody.model.RegisteredPlace> places() {
        return List.copyOf(state.places.values());
    }

    /** The policy in force for {@code exam}: its latest policy record, else the regulations' defaults. */
    public Policy policy(String exam) {
        return state.policy(exam);
    }

    /**
     * Whether a strict policy refuses a finding of {@code code}: every rule but lateness (R10, R11, R12, R23, R25),
     * since refusing to record a late return, inspection or record would only hide it. (R22, a time from the future,
     * is refused under every policy: {@link #alwaysRefused}.)
     */
    public static boolean refusable(org.custody.audit.FindingCode code) {
        return code.findingClass() == org.custody.audit.FindingClass.RULE && code != org.custody.audit.FindingCode.R10
                && code != org.custody.audit.FindingCode.R11 && code != org.custody.audit.FindingCode.R12
                && code != org.custody.audit.FindingCode.R23 && code != org.custody.audit.FindingCode.R25;
    }

    /** Whether every policy refuses a finding of {@code code}: R22, a record dated in the future cannot be what happened. */
    public static boolean alwaysRefused(org.custody.audit.FindingCode code) {
        return code == org.custody.audit.FindingCode.R22;
    }

    /** The bags inside {@code container} now (packed into it and not taken out since), sorted; empty for a bag. */
    public java.util.List<org.custody.model.BagId> contents(org.custody.model.BagId container) {
        return state.bags.inside(container);
    }

    /** Where every registered bag stands, by id (a state kept in a store is read whole: one pass over its bag rows). */
    public java.util.Map<org.custody.model.BagId, BagPosition> positions() {
        java.util.Map<org.custody.model.BagId, BagPosition> out = new java.util.HashMap<>();
        for (BagState b : state.bags.all()) {
            out.put(b.bag.id(), position(b));
        }
        return out;
    }

    /** How many bags are registered (a state kept in a store is read whole). */
    public long bagCount() {
        return state.bags.all().size();
    }

    /** Where {@code bag} stands, or empty if it was never registered (a state kept in a store reads its row). */
    public java.util.Optional<BagPosition> position(org.custody.model.BagId bag) {
        return java.util.Optional.ofNullable(state.bags.get(bag)).map(RuleEngine::position);
    }

    /** The counts {@code bag}'s handoffs recorded, or empty if it was never registered (a kept state reads its row). */
    public java.util.Optional<BagCounts> counts(org.custody.model.BagId bag) {
        return java.util.Optional.ofNullable(state.bags.get(bag)).map(b -> new BagCounts(b.bag, b.stepCounts, b.attendance));
    }

    static BagPosition position(BagState b) {
        java.util.Set<org.custody.audit.FindingCode> running = java.util.EnumSet.noneOf(org.custody.audit.FindingCode.class);
        for (BagDeadlineRule rule : DEADLINES) {
            if (rule.running(b)) {
                running.add(rule.code());
            }
        }
        return new BagPosition(b.bag, b.lastStep, b.holder, b.container, b.lastSeq, running);
    }

    /**
     * The findings {@link #finish} makes as of {@code asOf}, reading only the bags of {@code running} (and the vaults):
     * the same answer when {@code running} holds every bag a time limit runs for (those whose position names one, which a
     * store keeps indexed). Bags in it that are not registered, or for which no limit runs, are passed over.
     */
    public List<Finding> overdue(Instant asOf, java.util.Collection<org.custody.model.BagId> running) {
        List<BagState> bags = new ArrayList<>();
        for (org.custody.model.BagId id : new java.util.TreeSet<>(running)) {
            BagState b = state.bags.get(id);
            if (b != null) {
                bags.add(b);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule instanceof BagDeadlineRule deadline) {
                deadline.overdue(state, bags, asOf, out);
            } else if (rule instanceof TimedRule timed) {
                timed.finish(state, asOf, out);
            }
        }
        return out;
    }

    /**
     * The regulation the custody rule {@code code} comes from (docs/rules.md's "source" column, e.g. {@code "004 Art.36"}),
     * or empty for a code no rule of this engine finds (an integrity code).
     */
    public static java.util.Optional<String> source(org.custody.audit.FindingCode code) {
        return SOURCES.stream().filter(r -> r.code() == code).map(Rule::source).findFirst();
    }

    private static final List<Rule> SOURCES = new RuleEngine().rules;

    /** The policy of the exam a record concerns (that of its first known bag). */
    public Policy policyFor(Record record) {
        return new RuleInput(-1, null, record, null, state).policy();
    }
}
