package org.custody.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.IncidentType;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;

/**
 * Random valid ledgers for property tests. A chain is built from a list of {@link Op}s, each a kind and a
 * seed; the builder interprets them against the chain so far (who holds which bag, who is still enrolled),
 * so every list of ops gives a valid chain and jqwik can shrink a failing one by dropping ops.
 *
 * <p>Chains hold registrations of bags and transport boxes, handoffs moving 1-4 bags (sometimes inside a
 * box that moves with them), incidents (with and without bags), enrolments of new people sponsored by an
 * enrolled one, and revocations whose key is never used again. Optional fields are filled at random, and
 * free text mixes ASCII, JSON escapes, Chinese and characters outside the BMP, so the chains also exercise
 * the canonical encoding.
 */
public final class Chains {
    /**
     * When every entry of a chain is appended: its bag links name entries by hash, which covers the append time, so a
     * chain is appended to a ledger whose clock is {@link #CLOCK} (after every record time a chain of a few thousand
     * ops claims).
     */
    public static final Instant APPENDED = Instant.parse("2022-06-01T00:00:00.125Z");
    /** The clock of a ledger a chain is appended to, so that the stored entries are the chain's. */
    public static final java.time.Clock CLOCK = java.time.Clock.fixed(APPENDED, java.time.ZoneOffset.UTC);

    /** What one step of a chain does; the builder falls back to another kind when this one cannot apply. */
    public enum Kind { REGISTER, HANDOFF, INCIDENT, ENROL, REVOKE }

    /** One step of a chain: its kind and the seed of every choice it makes. */
    public record Op(Kind kind, long seed) {}

    private static final Map<Suite, Cast> CASTS = new EnumMap<>(Suite.class);
    private static final String[] TEXT = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "é", "试卷", "袋", "保密室",
            "\u2028", "\u00ff", "\ud83d\ude00", "<", "&", "'", "~"};
    private static final Step[] STEPS = {Step.SEAL, Step.VAULT_IN, Step.DISTRIBUTE, Step.ESCORT, Step.SITE_RECEIPT,
            Step.ROOM_PICKUP, Step.OPEN, Step.COLLECT, Step.RETURN_ESCORT, Step.VAULT_RETURN, Step.GRADING_OUT,
            Step.GRADING_RETURN};
    private static final IncidentType[] INCIDENTS = {IncidentType.SEAL_BROKEN, IncidentType.MISCOUNT, IncidentType.LOST,
            IncidentType.SUSPECTED_LEAK, IncidentType.SET_WITHDRAWN, IncidentType.SPARE_OPENING_APPROVAL,
            IncidentType.VAULT_INSPECTION, IncidentType.CORRECTION};
    /** Fewest enrolled people kept unrevoked, so every handoff can find a releaser, a receiver and a witness. */
    private static final int MIN_ACTIVE = 4;

    private Chains() {}

    /** The cast of founders for {@code suite} (seed 1), shared because key generation is the slow part. */
    public static synchronized Cast cast(Suite suite) {
        return CASTS.computeIfAbsent(suite, s -> new Cast(s, 1));
    }

    /** Lists of up to {@code maxOps} ops, weighted towards handoffs, all lengths equally likely. */
    public static Arbitrary<List<Op>> ops(int maxOps) {
        Arbitrary<Kind> kinds = Arbitraries.frequency(
                Tuple.of(3, Kind.REGISTER), Tuple.of(8, Kind.HANDOFF), Tuple.of(2, Kind.INCIDENT),
                Tuple.of(2, Kind.ENROL), Tuple.of(1, Kind.REVOKE));
        return Combinators.combine(kinds, Arbitraries.longs()).as(Op::new).withoutEdgeCases().list().ofMaxSize(maxOps)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    /** Valid chains of {@code suite} with up to {@code maxOps} entries after the genesis. */
    public static Arbitrary<Chain> chains(Suite suite, int maxOps) {
        return ops(maxOps).map(ops -> build(suite, ops));
    }

    /** Builds the chain that {@code ops} describe. */
    public static Chain build(Suite suite, List<Op> ops) {
        Builder b = new Builder(cast(suite));
        for (Op op : ops) {
            b.apply(op);
        }
        return b.chain();
    }

    /**
     * A valid chain: its signed records in order (the genesis first), the entries they become, and what the
     * ledger should know at the end.
     *
     * @param bagEntries for each bag and box, the sequence numbers of the entries that named it
     */
    public record Chain(Suite suite, List<SignedRecord> records, List<Entry> entries, List<Hash> hashes,
                        Map<BagId, List<Long>> bagEntries) {
        public Chain {
            records = List.copyOf(records);
            entries = List.copyOf(entries);
            hashes = List.copyOf(hashes);
            bagEntries = Map.copyOf(bagEntries);
        }

        public int size() {
            return entries.size();
        }

        /** The records after the genesis. */
        public List<SignedRecord> afterGenesis() {
            return records.subList(1, records.size());
        }

        public Hash lastHash() {
            return hashes.get(hashes.size() - 1);
        }

        @Override
        public String toString() {
            Map<String, Long> types = records.stream().map(r -> r.record().type())
                    .collect(Collectors.groupingBy(t -> t, LinkedHashMap::new, Collectors.counting()));
            return "Chain[" + suite.wire() + ", " + entries.size() + " entries " + types + "]";
        }
    }

    /** Interprets ops against the chain so far. */
    private static final class Builder {
        private final Suite suite;
        private final Map<PersonId, SigningKey> keys = new LinkedHashMap<>();
        private final List<PersonId> active = new ArrayList<>();
        private final List<BagId> papers = new ArrayList<>();
        private final List<BagId> boxes = new ArrayList<>();
        private final Map<BagId, Bag> bags = new HashMap<>();
        private final Map<BagId, Hash> bagHeads = new HashMap<>();
        private final Map<BagId, PersonId> holders = new HashMap<>();
        private final Map<BagId, List<Long>> bagEntries = new LinkedHashMap<>();
        private final List<SignedRecord> records = new ArrayList<>();
        private final List<Entry> entries = new ArrayList<>();
        private final List<Hash> hashes = new ArrayList<>();
        private Instant clock = Cast.T0;
        private int counter;
        private Random rnd;

        Builder(Cast cast) {
            this.suite = cast.suite();
            for (PersonId id : cast.ids()) {
                keys.put(id, cast.key(id.value()));
                active.add(id);
            }
            add(cast.genesis());
        }

        void apply(Op op) {
            rnd = new Random(op.seed());
            clock = clock.plusMillis(1 + rnd.nextInt(3_600_000));
            counter++;
            Kind kind = op.kind();
            if (kind == Kind.HANDOFF && papers.isEmpty()) {
                kind = Kind.REGISTER;
            }
            if (kind == Kind.REVOKE && revocable().isEmpty()) {
                kind = Kind.INCIDENT;
            }
            switch (kind) {
                case REGISTER:
                    register();
                    break;
                case HANDOFF:
                    handoff();
                    break;
                case INCIDENT:
                    incident();
                    break;
                case ENROL:
                    enrol();
                    break;
                case REVOKE:
                    revoke();
                    break;
                default:
                    throw new IllegalStateException("unknown op " + kind);
            }
        }

        Chain chain() {
            return new Chain(suite, records, entries, hashes, bagEntries);
        }

        private RecordId nextId(String type) {
            return RecordId.of(type + "-" + counter);
        }

        private void register() {
            List<Bag> registered = new ArrayList<>();
            String room = String.format("%02d", 1 + rnd.nextInt(30));
            String subject = pick(List.of("CHN", "MATH", "ENG", "PHY", "CHEM"));
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                BagId id = BagId.of("K01." + room + ".S1." + subject + "." + counter + "." + i);
                BagKind kind = pick(List.of(BagKind.QUESTION_PAPER, BagKind.QUESTION_PAPER, BagKind.ANSWER_SHEET,
                        BagKind.SPARE_PAPER, BagKind.MARKING_REFERENCE));
                String set = kind == BagKind.MARKING_REFERENCE ? null : pick(List.of("A", "B", "C"));
                registered.add(Bag.papers(id, kind, Cast.LEDGER.value(), rnd.nextBoolean() ? "K01" : null,
                        kind == BagKind.MARKING_REFERENCE ? null : room, "S1", subject, set,
                        rnd.nextInt(Bag.MAX_COPIES + 1), pick(List.of(Secrecy.values()))));
            }
            if (rnd.nextInt(3) == 0) {
                BagId box = BagId.of("BOX-" + counter);
                registered.add(Bag.container(box, pick(List.of(BagKind.TRANSPORT_BOX, BagKind.VAULT_CABINET)),
                        Cast.LEDGER.value(), rnd.nextBoolean() ? "K01" : null));
            }
            List<org.custody.model.RegisteredPlace> places = new ArrayList<>();
            if (rnd.nextInt(4) == 0) { // places now and then: a vault with a name that needs escaping, or a room
                places.add(rnd.nextBoolean() ? org.custody.model.RegisteredPlace.vault("VAULT-" + counter, text(1 + rnd.nextInt(4)))
                        : org.custody.model.RegisteredPlace.room("K01", room + "x" + counter));
            }
            Registration r = new Registration(nextId("reg"), Cast.LEDGER, clock, registered, somePeople(1 + rnd.nextInt(2), Set.of()),
                    places);
            long seq = add(sign(r));
            for (Bag bag : registered) {
                (bag.kind().isContainer() ? boxes : papers).add(bag.id());
                bags.put(bag.id(), bag);
                touch(bag.id(), seq);
            }
        }

        private void handoff() {
            BagId first = pick(papers);
            PersonId from = holders.get(first);
            List<BagId> sameHolder = papers.stream().filter(b -> Objects.equals(holders.get(b), from)).collect(Collectors.toList());
            java.util.Collections.shuffle(sameHolder, rnd);
            sameHolder.remove(first);
            sameHolder.add(0, first);
            List<BagId> moved = sameHolder.subList(0, 1 + rnd.nextInt(Math.min(4, sameHolder.size())));
            List<BagId> freeBoxes = boxes.stream().filter(b -> Objects.equals(holders.get(b), from)).toList();
            BagId box = !freeBoxes.isEmpty() && rnd.nextInt(3) > 0 ? pick(freeBoxes) : null;
            Set<PersonId> taken = from == null ? Set.of() : Set.of(from);
            PersonId to = somePeople(1, taken).get(0);
            Set<PersonId> notWitness = new java.util.HashSet<>(taken);
            notWitness.add(to);
            List<PersonId> witnesses = somePeople(rnd.nextInt(3), notWitness);
            List<BagMove> moves = new ArrayList<>();
            for (BagId bag : moved) {
                moves.add(detail(BagMove.of(bag, bagHeads.get(bag)), bags.get(bag), box));
            }
            if (box != null) {
                moves.add(BagMove.of(box, bagHeads.get(box)));
            }
            Step step = from == null ? Step.PRINT : pick(List.of(STEPS));
            Place place = Place.of(pick(List.of("PRINTER-1", "VAULT-1", "K01", "K01.R" + counter)),
                    rnd.nextBoolean() ? text(12) : null);
            Handoff h = Handoff.builder(step).id(nextId("h")).ledger(Cast.LEDGER).at(clock).from(from).to(to).witnesses(witnesses).place(place).bags(moves)
                    .note(rnd.nextInt(4) == 0 ? text(40) : null).build();
            long seq = add(sign(h));
            for (BagMove m : moves) {
                holders.put(m.bag(), to);
                touch(m.bag(), seq);
            }
        }

        private BagMove detail(BagMove move, Bag bag, BagId box) {
            BagMove m = move;
            if (rnd.nextBoolean() && bag.copies() != null) {
                m = m.count(rnd.nextBoolean() ? bag.copies() : rnd.nextInt(Bag.MAX_COPIES + 1));
            }
            if (bag.kind() == BagKind.ANSWER_SHEET && rnd.nextBoolean()) {
                m = m.attendance(rnd.nextInt(40), rnd.nextInt(5));
            }
            if (rnd.nextBoolean()) {
                m = m.seal("S-" + rnd.nextInt(1_000_000), rnd.nextInt(5) == 0 ? SealState.BROKEN : SealState.INTACT);
            }
            return box == null ? m : m.inside(box);
        }

        private void incident() {
            IncidentType type = pick(List.of(INCIDENTS));
            List<BagMove> moves = new ArrayList<>();
            if (!papers.isEmpty() && type != IncidentType.VAULT_INSPECTION) {
                List<BagId> pool = new ArrayList<>(papers);
                java.util.Collections.shuffle(pool, rnd);
                for (BagId bag : pool.subList(0, rnd.nextInt(Math.min(3, pool.size()) + 1))) {
                    moves.add(detail(BagMove.of(bag, bagHeads.get(bag)), bags.get(bag), null));
                }
            }
            PaperSet set = type == IncidentType.SET_WITHDRAWN || rnd.nextInt(5) == 0
                    ? new PaperSet(Cast.LEDGER.value(), "S1", pick(List.of("CHN", "MATH", "ENG")), pick(List.of("A", "B"))) : null;
            Hash refers = type == IncidentType.CORRECTION || rnd.nextInt(5) == 0 ? pick(hashes) : null;
            Place place = rnd.nextBoolean() ? Place.of("VAULT-1", rnd.nextBoolean() ? text(8) : null) : null;
            Incident i = Incident.builder(type).id(nextId("inc")).ledger(Cast.LEDGER).at(clock).bags(moves).by(somePeople(1 + rnd.nextInt(3), Set.of()))
                    .place(place).set(set).refers(refers).note(text(1 + rnd.nextInt(60))).build();
            long seq = add(sign(i));
            moves.forEach(m -> touch(m.bag(), seq));
        }

        /** Every role as before witness_cosigner (held alone, never drawn with others), so seeded chains keep their bytes. */
        private static final List<Role> PEOPLES_ROLES = java.util.Arrays.stream(Role.values())
                .filter(r -> r != Role.WITNESS_COSIGNER).toList();

        private void enrol() {
            PersonId id = PersonId.of("N" + counter);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            int n = 1 + rnd.nextInt(3);
            while (roles.size() < n) {
                roles.add(pick(PEOPLES_ROLES));
            }
            List<Recusal> recusals = rnd.nextInt(4) == 0 ? List.of(new Recusal("HN-ZSB-2020", text(10))) : List.of();
            Person person = new Person(id, text(1 + rnd.nextInt(10)), roles, rnd.nextBoolean() ? "K01" : null,
                    rnd.nextBoolean() ? text(15) : null, recusals);
            SigningKey key = SigningKey.generate(suite.signature(), Cast.seeded(1_000_000L + counter));
            PersonId sponsor = somePeople(1, Set.of()).get(0);
            keys.put(id, key);
            add(sign(new Enrolment(nextId("enrol"), Cast.LEDGER, clock, person, key.publicKey(), sponsor)));
            active.add(id);
        }

        private List<PersonId> revocable() {
            if (active.size() <= MIN_ACTIVE) {
                return List.of();
            }
            return active.stream().filter(p -> !holders.containsValue(p)).toList();
        }

        private void revoke() {
            PersonId revoked = pick(revocable());
            active.remove(revoked);
            Instant effective = clock.plusMillis(rnd.nextInt(86_400_000));
            Revocation r = new Revocation(nextId("revoke"), Cast.LEDGER, clock, keys.get(revoked).id(), effective,
                    text(1 + rnd.nextInt(20)), somePeople(1 + rnd.nextInt(2), Set.of()));
            add(sign(r));
        }

        private void touch(BagId bag, long seq) {
            bagHeads.put(bag, hashes.get((int) seq));
            bagEntries.computeIfAbsent(bag, b -> new ArrayList<>()).add(seq);
        }

        /** {@code n} distinct active people, none of them in {@code except}. */
        private List<PersonId> somePeople(int n, Set<PersonId> except) {
            List<PersonId> pool = new ArrayList<>(active);
            pool.removeAll(except);
            java.util.Collections.shuffle(pool, rnd);
            return List.copyOf(pool.subList(0, n));
        }

        private SignedRecord sign(Record record) {
            SignedRecord signed = SignedRecord.unsigned(record);
            for (PersonId party : record.parties()) {
                signed = signed.signedBy(Objects.requireNonNull(keys.get(party), party::value));
            }
            return signed;
        }

        /** Adds {@code signed} as the next entry and returns its sequence number. */
        private long add(SignedRecord signed) {
            long seq = entries.size();
            Entry entry = Entry.create(seq, seq == 0 ? Hash.ZERO : hashes.get(hashes.size() - 1), signed, APPENDED);
            records.add(signed);
            entries.add(entry);
            hashes.add(entry.hash(suite.hash()));
            return seq;
        }

        private <T> T pick(List<T> from) {
            return from.get(rnd.nextInt(from.size()));
        }

        private String text(int pieces) {
            StringBuilder s = new StringBuilder(pick(List.of("x", "试", "Q")));
            for (int i = 1; i < pieces; i++) {
                s.append(TEXT[rnd.nextInt(TEXT.length)]);
            }
            return s.toString();
        }
    }
}
