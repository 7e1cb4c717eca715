package org.custody.bench;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;

/**
 * Deterministic people, keys and records for the benchmarks: a genesis signed by six founders, one
 * registration of {@code bags} bags, and handoffs signed by three parties (releasing, receiving, witness)
 * that move the bags in turn. Ed25519 signatures are deterministic, so the same workload always yields the
 * same ledger, entry for entry.
 */
public final class Workload {
    /** The benchmark ledger's id. */
    public static final LedgerId LEDGER = LedgerId.of("HN-ZSB-BENCH");
    private static final Instant T0 = Instant.parse("2021-06-01T00:00:00Z");
    /**
     * When a benchmark ledger appends every entry (after every record time of a workload): entry hashes cover the
     * append time, and {@link Chain} computes them before the records are appended.
     */
    public static final Instant APPENDED = T0.plus(java.time.Duration.ofDays(1));
    /** The clock of a benchmark ledger, so that its entries are the ones {@link Chain} computed. */
    public static final java.time.Clock CLOCK = java.time.Clock.fixed(APPENDED, java.time.ZoneOffset.UTC);

    private final Suite suite;
    private final int bags;
    private final List<Person> people = new ArrayList<>();
    private final Map<PersonId, SigningKey> keys = new LinkedHashMap<>();
    private final SigningKey checkpointKey;

    /** A workload of {@code bags} bags (1-1000, one registration) whose keys derive from {@code seed}. */
    public Workload(Suite suite, int bags, long seed) {
        if (bags < 1 || bags > Record.MAX_BAGS) {
            throw new IllegalArgumentException("bags must be 1-" + Record.MAX_BAGS);
        }
        this.suite = suite;
        this.bags = bags;
        SecureRandom random = seeded(seed);
        add(random, Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER));
        add(random, Person.of("P002", "许春娜", Role.CONFIDENTIALITY_OFFICER));
        add(random, Person.of("P003", "杨丹", Role.DISCIPLINE_INSPECTOR));
        add(random, Person.of("P004", "吴怡晓", Role.ESCORT));
        add(random, Person.of("P005", "王强", Role.POLICE));
        add(random, Person.of("P006", "李娜", Role.INVIGILATOR));
        checkpointKey = SigningKey.generate(suite.signature(), random);
    }

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(SecureRandom random, Person person) {
        people.add(person);
        keys.put(person.id(), SigningKey.generate(suite.signature(), random));
    }

    public Suite suite() {
        return suite;
    }

    public int bags() {
        return bags;
    }

    /** The key of the ledger's checkpoint signer, derived from the workload's keys (it signs no handoff). */
    public SigningKey checkpointKey() {
        return checkpointKey;
    }

    /**
     * The enrolment of {@link #checkpointKey} for the person {@code LOG} with the role {@code checkpoint_signer},
     * sponsored by the first confidentiality officer: what lets a {@code Checkpointer} sign this ledger's checkpoints.
     */
    public SignedRecord checkpointSignerEnrolment() {
        SignedRecord signed = SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-LOG"), LEDGER, T0.plusSeconds(120),
                Person.of("LOG", "ledger checkpoint key 台账检查点密钥", Role.CHECKPOINT_SIGNER), checkpointKey.publicKey(),
                people.get(0).id()));
        return signed.signedBy(keys.get(people.get(0).id())).signedBy(checkpointKey);
    }

    /** The key of the {@code i}-th person (0-5). */
    public SigningKey key(int i) {
        return keys.get(people.get(i).id());
    }

    /** The genesis record with all six people as founders, signed by all. */
    public SignedRecord genesis() {
        List<Founder> founders = new ArrayList<>();
        for (Person p : people) {
            founders.add(new Founder(p, keys.get(p.id()).publicKey()));
        }
        return sign(new Genesis(RecordId.of("genesis"), LEDGER, T0, suite, founders));
    }

    /** The registration of every bag, signed by a confidentiality officer and a discipline inspector. */
    public SignedRecord registration() {
        List<Bag> all = new ArrayList<>(bags);
        for (int i = 0; i < bags; i++) {
            String room = String.format("%04d", i);
            all.add(Bag.papers(bag(i), BagKind.QUESTION_PAPER, LEDGER.value(), "K01", room, "S1", "ENG", "A", 30,
                    Secrecy.CONFIDENTIAL));
        }
        return sign(new Registration(RecordId.of("register"), LEDGER, T0.plusSeconds(60), all,
                List.of(people.get(0).id(), people.get(2).id())));
    }

    /** The id of bag {@code i}. */
    public BagId bag(int i) {
        return BagId.of(String.format("HN.K01.%04d.S1.ENG.A", i));
    }

    /** Which bag handoff {@code j} moves. */
    public int bagOf(long j) {
        return (int) (j % bags);
    }

    /**
     * Handoff number {@code j} (from 0), of bag {@link #bagOf j}, whose previous entry has hash {@code prev};
     * signed by its parties. Each bag follows a real, rule-clean life cycle, so verification measures the
     * common case (no findings): print, seal (30 copies counted), into the vault, distribution by 3 staff
     * and a discipline inspector, then escorts back and forth between an escort and a confidentiality
     * officer with a police officer witnessing, for as long as the workload goes on. All but the
     * distribution have three signers.
     */
    public SignedRecord handoff(long j, Hash prev) {
        int round = (int) (j / bags);
        BagMove move = BagMove.of(bag(bagOf(j)), prev);
        Place vault = Place.of("VAULT-1", "省考试院保密室");
        Instant at = T0.plusSeconds(3600).plusMillis(j);
        PersonId officer = people.get(0).id();
        PersonId officer2 = people.get(1).id();
        PersonId inspector = people.get(2).id();
        PersonId escort = people.get(3).id();
        PersonId police = people.get(4).id();
        Handoff h;
        switch (round) {
            case 0 -> h = handoff(j, at, Step.PRINT, null, officer, List.of(officer2, inspector), vault, move.count(30));
            case 1 -> h = handoff(j, at, Step.SEAL, officer, officer2, List.of(inspector), vault,
                    move.count(30).seal(sealOf(bagOf(j)), SealState.INTACT));
            case 2 -> h = handoff(j, at, Step.VAULT_IN, officer2, officer, List.of(inspector), vault, move);
            case 3 -> h = handoff(j, at, Step.DISTRIBUTE, officer, escort, List.of(officer2, inspector), vault, move);
            default -> {
                boolean outward = round % 2 == 0;
                h = handoff(j, at, Step.ESCORT, outward ? escort : officer, outward ? officer : escort, List.of(police),
                        Place.of("K01", "湘江学院考点"), move.seal(sealOf(bagOf(j)), SealState.INTACT));
            }
        }
        return sign(h);
    }

    /**
     * The seal number bag {@code i} is sealed with (round 1) and shows at every escort after: the same seal all the
     * way, as R16 requires (a new number at each escort, as this workload wrote before R16, is a finding each time).
     */
    private String sealOf(int i) {
        return "FT-2021-" + (1_000_000 + bags + i);
    }

    private static Handoff handoff(long j, Instant at, Step step, PersonId from, PersonId to, List<PersonId> witnesses,
                                   Place place, BagMove move) {
        return Handoff.builder(step).id(RecordId.of("h-" + j)).ledger(LEDGER).at(at).from(from).to(to).witnesses(witnesses).place(place).bags(List.of(move)).build();
    }

    /** {@code record} signed by each of its parties, in order. */
    public SignedRecord sign(Record record) {
        SignedRecord signed = SignedRecord.unsigned(record);
        for (PersonId party : record.parties()) {
            signed = signed.signedBy(keys.get(party));
        }
        return signed;
    }
}
