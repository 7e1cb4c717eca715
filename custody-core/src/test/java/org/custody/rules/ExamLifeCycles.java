package org.custody.rules;

import static org.custody.model.Role.CHIEF_EXAMINER;
import static org.custody.model.Role.CONFIDENTIALITY_OFFICER;
import static org.custody.model.Role.DEPUTY_CHIEF_EXAMINER;
import static org.custody.model.Role.DISCIPLINE_INSPECTOR;
import static org.custody.model.Role.ESCORT;
import static org.custody.model.Role.GRADER;
import static org.custody.model.Role.GRADING_LEADER;
import static org.custody.model.Role.INVIGILATOR;
import static org.custody.model.Role.PATROL_INSPECTOR;
import static org.custody.model.Role.POLICE;
import static org.custody.model.Role.PRINTER_STAFF;
import static org.custody.model.Role.PRINT_SUPERVISOR;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.custody.crypto.Hash;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.IncidentType;
import org.custody.model.LedgerId;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.model.Recusal;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;
import org.custody.testing.Cast;

/**
 * Random valid exam life cycles, as records in ledger order, for property tests of the rule engine.
 *
 * <p>A {@link Plan} holds the shape of an exam (rooms, sessions, spare papers, a withdrawn set, destruction
 * of unused papers, grading rounds, the policy) and a seed for every other choice (dates, times, who signs,
 * candidates, which set is drawn); {@link #build} turns it into an {@link Exam}. One exam site, one vault.
 *
 * <p>Each session of the timetable has one subject, an A and a B set of question papers per room, one
 * answer-sheet bag per room, optionally a spare-paper bag per set, and a transport box (its own, or an
 * earlier session's box once that came back empty). Papers are printed, sealed and taken into the vault on
 * the print day. On the exam day they are distributed in the box (the drawn set and the backup; a set
 * withdrawn after a suspected leak stays in the vault), escorted to the site with police in one or two legs,
 * received by a chief examiner (sometimes by the site's officer first), picked up by each room's 2 or 3
 * invigilators 25-40 minutes before the start and opened within the policy's opening lead. Spare papers,
 * when used, are approved, picked up and opened before 2 chief examiners. Answer sheets start in the vault,
 * at the room pickup or at collection; they are collected with attendance adding up to the candidates,
 * handed to the site's holder (then packed into the box with the backups) or straight to the escort, and
 * escorted back in one or two legs, into the vault in time, unpacked or left in the box. Graders take them
 * out and back on the same day (1-2 rounds, between 06:30 and 23:59 local time, often two UTC dates), kept
 * in the vault or the grading centre's. Each vault's video is reviewed at random gaps below the policy's
 * limit while it stores bags. Unused papers may
 * be destroyed after the exam. The policy is recorded before registration, on the print day, or only on
 * the eve of the exam.
 *
 * <p>Policy limits are random but realistic: return within 60-180 minutes (the return journey needs an
 * hour) and inspections every 120-360 minutes (tighter would mean hundreds of reviews per exam).
 *
 * <p>The generator checks its own work where it is cheap (the releasing person holds the bags, enough
 * signers, roles per docs/rules.md) and throws {@link IllegalStateException} on a slip of its own, so a
 * rule finding on a generated exam points at the rules, not at the generator.
 */
final class ExamLifeCycles {
    static final String EXAM = ExamScenario.EXAM;
    static final LedgerId LEDGER = ExamScenario.LEDGER;
    static final String SITE_ID = "K01";
    static final Place PRINTER = ExamScenario.PRINTER;
    static final Place VAULT = ExamScenario.VAULT;
    static final Place SITE = ExamScenario.SITE;
    static final Place GRADING = ExamScenario.GRADING;
    static final Place RELAY = Place.of("RELAY", "县招生考试中心");
    static final Place GRADING_VAULT = Place.of("GRADING-VAULT", "评卷中心保密室");
    private static final String[] SUBJECTS = {"CHN", "MATH", "ENG"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    // The roster: everyone who may sign, with one role each. P099 declared a recusal for the exam and is only
    // ever added by mutations.
    static final Map<PersonId, Person> ROSTER = new LinkedHashMap<>();
    static final List<PersonId> OFFICERS = ids("P001", "P002", "P004", "P005");
    static final List<PersonId> DISCIPLINE = ids("P003", "P006");
    static final PersonId PATROL = PersonId.of("P007");
    static final PersonId SUPERVISOR = PersonId.of("P010");
    static final List<PersonId> PRINTERS = ids("P011", "P012");
    static final List<PersonId> ESCORTS = ids("P020", "P022");
    static final List<PersonId> POLICE_OFFICERS = ids("P021", "P023");
    static final PersonId CHIEF = PersonId.of("P030");
    static final List<PersonId> DEPUTIES = ids("P031", "P032");
    static final PersonId LEADER = PersonId.of("P060");
    static final List<PersonId> GRADERS = ids("P061", "P062", "P063");
    static final PersonId RECUSED = PersonId.of("P099");
    /** The roles that may sign each step, as docs/rules.md lists them ("Roles per step"). */
    static final Map<Step, Set<Role>> STEP_ROLES = new EnumMap<>(Step.class);
    private static final Map<PersonId, PublicKey> KEYS = new LinkedHashMap<>();
    /** Steps after which a bag is stored in the vault at the handoff's place (docs/rules.md, R12). */
    static final Set<Step> ENTERS_VAULT = EnumSet.of(Step.VAULT_IN, Step.VAULT_RETURN, Step.GRADING_RETURN);

    static {
        person("P001", "于涵敏", CONFIDENTIALITY_OFFICER);
        person("P002", "许春娜", CONFIDENTIALITY_OFFICER);
        person("P003", "杨丹", DISCIPLINE_INSPECTOR);
        person("P004", "吴怡晓", CONFIDENTIALITY_OFFICER);
        person("P005", "陈立", CONFIDENTIALITY_OFFICER);
        person("P006", "周敏", DISCIPLINE_INSPECTOR);
        person("P007", "郑伟", PATROL_INSPECTOR);
        person("P010", "刘建国", PRINT_SUPERVISOR);
        person("P011", "赵红", PRINTER_STAFF);
        person("P012", "钱亮", PRINTER_STAFF);
        person("P020", "孙浩", ESCORT);
        person("P021", "李强", POLICE);
        person("P022", "胡军", ESCORT);
        person("P023", "马俊", POLICE);
        person("P030", "王志远", CHIEF_EXAMINER);
        person("P031", "黄丽", DEPUTY_CHIEF_EXAMINER);
        person("P032", "林涛", DEPUTY_CHIEF_EXAMINER);
        for (int room = 1; room <= 4; room++) {
            for (PersonId id : invigilators(room)) {
                ROSTER.put(id, new Person(id, "监考员" + id.value(), Set.of(INVIGILATOR), SITE_ID, null, List.of()));
            }
        }
        person("P060", "邓华", GRADING_LEADER);
        person("P061", "蒋蕾", GRADER);
        person("P062", "韩冰", GRADER);
        person("P063", "曹阳", GRADER);
        ROSTER.put(RECUSED, new Person(RECUSED, "彭磊", Set.of(INVIGILATOR), SITE_ID, null,
                List.of(new Recusal(EXAM, "子女参加本次考试"))));

        var random = Cast.seeded(7);
        for (PersonId id : ROSTER.keySet()) {
            KEYS.put(id, SigningKey.generate(SignatureAlgorithm.ED25519, random).publicKey());
        }

        Set<Role> inspectors = EnumSet.of(DISCIPLINE_INSPECTOR, PATROL_INSPECTOR);
        roles(inspectors, EnumSet.of(Step.PRINT, Step.SEAL), PRINT_SUPERVISOR, PRINTER_STAFF, CONFIDENTIALITY_OFFICER);
        roles(inspectors, EnumSet.of(Step.VAULT_IN, Step.DISTRIBUTE, Step.VAULT_RETURN, Step.DESTROY),
                CONFIDENTIALITY_OFFICER, ESCORT, POLICE, CHIEF_EXAMINER, DEPUTY_CHIEF_EXAMINER);
        roles(inspectors, EnumSet.of(Step.ESCORT, Step.RETURN_ESCORT, Step.SITE_RECEIPT), ESCORT, POLICE,
                CONFIDENTIALITY_OFFICER, CHIEF_EXAMINER, DEPUTY_CHIEF_EXAMINER, INVIGILATOR);
        roles(inspectors, EnumSet.of(Step.ROOM_PICKUP, Step.OPEN, Step.COLLECT), CHIEF_EXAMINER, DEPUTY_CHIEF_EXAMINER,
                INVIGILATOR, CONFIDENTIALITY_OFFICER);
        roles(inspectors, EnumSet.of(Step.GRADING_OUT, Step.GRADING_RETURN), GRADING_LEADER, GRADER, CONFIDENTIALITY_OFFICER);
    }

    private static void person(String id, String name, Role role) {
        ROSTER.put(PersonId.of(id), Person.of(id, name, role));
    }

    private static void roles(Set<Role> everywhere, Set<Step> steps, Role... roles) {
        Set<Role> all = EnumSet.copyOf(everywhere);
        Collections.addAll(all, roles);
        for (Step s : steps) {
            STEP_ROLES.put(s, Collections.unmodifiableSet(all));
        }
    }

    private ExamLifeCycles() {}

    /** The 3 invigilators of room {@code room} (1-4), e.g. P411-P413; a standard room uses 2 of them. */
    static List<PersonId> invigilators(int room) {
        return ids("P4" + room + "1", "P4" + room + "2", "P4" + room + "3");
    }

    static List<PersonId> ids(String... ids) {
        return java.util.Arrays.stream(ids).map(PersonId::of).toList();
    }

    static boolean hasRole(PersonId person, Role role) {
        Person p = ROSTER.get(person);
        return p != null && p.hasRole(role);
    }

    /** Whether {@code person} holds a role that may sign {@code step}, per docs/rules.md. */
    static boolean maySign(PersonId person, Step step) {
        Person p = ROSTER.get(person);
        return p != null && p.roles().stream().anyMatch(STEP_ROLES.get(step)::contains);
    }

    /** Everyone on the roster, but the recused person, who may sign {@code step}. */
    static List<PersonId> eligible(Step step) {
        return ROSTER.keySet().stream().filter(p -> !p.equals(RECUSED) && maySign(p, step)).toList();
    }

    static Place room(int room) {
        return Place.of(SITE_ID + "-0" + room, "第0" + room + "考场");
    }

    static String local(Instant at, ZoneId zone) {
        return LocalDateTime.ofInstant(at, zone).format(TIME);
    }

    /** How spare papers figure in a plan: none registered, registered but unused, or opened in one room. */
    enum SpareUse { NONE, UNUSED, OPENED }

    /**
     * The shape of one exam.
     *
     * @param rooms          exam rooms at the site, 1-4
     * @param sessions       sessions in the timetable, 1-3, one subject each
     * @param spares         whether spare papers are registered, and whether one session opens them
     * @param withdrawal     one session's drawn set is withdrawn (suspected leak) and the other set is used
     * @param destroyBackups unused question and spare papers are destroyed after the exam
     * @param gradingRounds  days each answer-sheet bag is checked out for grading, 1-2
     * @param policy         the exam's policy (record mode, limits at or tighter than the regulations')
     * @param seed           every other choice
     */
    record Plan(int rooms, int sessions, SpareUse spares, boolean withdrawal, boolean destroyBackups, int gradingRounds,
                Policy policy, long seed) {
        Plan withSpares(SpareUse use) {
            return new Plan(rooms, sessions, use, withdrawal, destroyBackups, gradingRounds, policy, seed);
        }

        Plan withWithdrawal(boolean withdrawn) {
            return new Plan(rooms, sessions, spares, withdrawn, destroyBackups, gradingRounds, policy, seed);
        }

        Plan withDestroyBackups(boolean destroy) {
            return new Plan(rooms, sessions, spares, withdrawal, destroy, gradingRounds, policy, seed);
        }
    }

    /** Policies in record mode with random limits within what a policy may set (tighter than the regulations). */
    static Arbitrary<Policy> policies() {
        return Combinators.combine(Arbitraries.integers().between(Policy.MIN_SIGNERS, 4),
                Arbitraries.integers().between(Policy.DISTRIBUTION_STAFF, 5), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(60, 180), Arbitraries.integers().between(120, 360),
                Arbitraries.of(ZoneId.of("Asia/Shanghai"), ZoneId.of("Asia/Urumqi")), Arbitraries.of(false, true))
                .as((signers, staff, lead, returnWithin, inspection, zone, scanned) -> new Policy(EXAM, Policy.Mode.RECORD,
                        signers, staff, Duration.ofMinutes(lead), Duration.ofMinutes(returnWithin),
                        Duration.ofMinutes(inspection), zone, scanned));
    }

    static Arbitrary<Plan> plans() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 3),
                Arbitraries.of(SpareUse.class), Arbitraries.of(false, true), Arbitraries.of(false, true),
                Arbitraries.integers().between(1, 2), policies(), Arbitraries.longs().withoutEdgeCases())
                .as(Plan::new);
    }

    static Exam build(Plan plan) {
        return new Builder(plan).build();
    }

    /**
     * A vault review generated for an exam, which storage period of its vault it falls in, and whether that
     * period lasts to the end of the events.
     */
    record Inspection(Incident incident, int period, boolean untilEnd) {}

    /**
     * A generated exam: the records before custody starts (genesis, enrolments, policy, timetable,
     * registration), the custody events (handoffs and incidents) in time order, and the vault reviews, which
     * are derived from the events (so an exam whose events a mutation changed is still reviewed in time) less
     * any a mutation dropped.
     */
    static final class Exam {
        final Plan plan;
        final List<Record> setup;
        final List<Record> events;
        final Map<BagId, Bag> bags;
        final Map<String, ExamSession> timetable;
        final List<String> notes;
        /** Which variants of the life cycle the builder chose, for checking the generator's coverage. */
        final Set<String> features;
        final Set<Instant> dropped;

        Exam(Plan plan, List<Record> setup, List<Record> events, Map<BagId, Bag> bags, Map<String, ExamSession> timetable,
             List<String> notes, Set<String> features, Set<Instant> dropped) {
            this.plan = plan;
            this.setup = List.copyOf(setup);
            List<Record> sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparing(Record::at));
            this.events = List.copyOf(sorted);
            this.bags = Collections.unmodifiableMap(new LinkedHashMap<>(bags));
            this.timetable = Collections.unmodifiableMap(new LinkedHashMap<>(timetable));
            this.notes = List.copyOf(notes);
            this.features = Set.copyOf(features);
            this.dropped = Set.copyOf(dropped);
        }

        Policy policy() {
            return plan.policy();
        }

        /** When the plan's policy comes into force: before it, the regulations' defaults apply. */
        Instant policyFrom() {
            return events.stream().filter(PolicyRecord.class::isInstance).map(Record::at).findFirst().orElse(Instant.EPOCH);
        }

        ZoneId zone() {
            return plan.policy().zone();
        }

        /** Every record in ledger order. */
        List<Record> records() {
            List<Record> custody = new ArrayList<>(events);
            inspections().forEach(i -> custody.add(i.incident()));
            custody.sort(Comparator.comparing(Record::at));
            List<Record> all = new ArrayList<>(setup);
            all.addAll(custody);
            return all;
        }

        /**
         * Vault reviews while bags are stored: the events are replayed to find when each vault starts and stops
         * storing bags (a bag enters with vault_in, vault_return or grading_return, leaves with any later
         * handoff, and a destroyed bag is no longer stored), and each such period gets reviews at random gaps
         * of more than half and at most the whole policy interval, until it ends or the events do.
         */
        List<Inspection> inspections() {
            Random rnd = new Random(plan.seed() * 31 + 17);
            long limit = plan.policy().inspectionInterval().toMinutes();
            Map<String, Integer> stored = new HashMap<>();
            Map<String, Instant> since = new TreeMap<>();
            Map<BagId, String> where = new HashMap<>();
            Set<BagId> destroyed = new HashSet<>();
            List<Inspection> out = new ArrayList<>();
            int period = 0;
            for (Record r : events) {
                if (!(r instanceof Handoff h)) {
                    continue;
                }
                for (BagMove m : h.bags()) {
                    Bag bag = bags.get(m.bag());
                    if (bag == null || bag.kind().isContainer()) {
                        continue;
                    }
                    String left = where.remove(m.bag());
                    if (left != null && stored.merge(left, -1, Integer::sum) == 0) {
                        fill(out, left, since.remove(left), h.at(), rnd, limit, period++, false);
                    }
                    if (h.step() == Step.DESTROY) {
                        destroyed.add(m.bag());
                    }
                    if (ENTERS_VAULT.contains(h.step()) && !destroyed.contains(m.bag())) {
                        String place = h.place().id();
                        if (stored.merge(place, 1, Integer::sum) == 1) {
                            since.put(place, h.at());
                        }
                        where.put(m.bag(), place);
                    }
                }
            }
            Instant end = events.get(events.size() - 1).at();
            for (Map.Entry<String, Instant> open : since.entrySet()) {
                fill(out, open.getKey(), open.getValue(), end, rnd, limit, period++, true);
            }
            out.removeIf(i -> dropped.contains(i.incident().at()));
            out.sort(Comparator.comparing(i -> i.incident().at()));
            return out;
        }

        private static void fill(List<Inspection> out, String place, Instant from, Instant until, Random rnd, long limit,
                                 int period, boolean untilEnd) {
            long shortest = limit / 2 + 1;
            Instant t = from;
            while (true) {
                t = t.plus(Duration.ofMinutes(shortest + rnd.nextInt((int) (limit - shortest + 1))));
                if (!t.isBefore(until)) {
                    return;
                }
                PersonId by = rnd.nextBoolean() ? DISCIPLINE.get(rnd.nextInt(2)) : OFFICERS.get(1);
                out.add(new Inspection(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("inspect-" + t.getEpochSecond())).ledger(LEDGER).at(t).bags(List.of()).by(List.of(by)).place(place.equals(VAULT.id()) ? VAULT
                        : place.equals(GRADING_VAULT.id()) ? GRADING_VAULT : Place.of(place, null)).note("监控回放正常").build(),
                        period, untilEnd));
            }
        }

        Exam withEvents(List<Record> changed) {
            return new Exam(plan, setup, changed, bags, timetable, notes, features, dropped);
        }

        Exam withoutInspections(Collection<Instant> times) {
            Set<Instant> all = new HashSet<>(dropped);
            all.addAll(times);
            return new Exam(plan, setup, events, bags, timetable, notes, features, all);
        }

        Exam replace(Record old, Record changed) {
            List<Record> out = new ArrayList<>(events);
            int i = out.indexOf(old);
            if (i < 0) {
                throw new IllegalArgumentException("not an event of this exam: " + old);
            }
            out.set(i, changed);
            return withEvents(out);
        }

        Exam insert(Record added) {
            List<Record> out = new ArrayList<>(events);
            out.add(added);
            return withEvents(out);
        }

        Exam remove(Record removed) {
            List<Record> out = new ArrayList<>(events);
            if (!out.remove(removed)) {
                throw new IllegalArgumentException("not an event of this exam: " + removed);
            }
            return withEvents(out);
        }

        List<Handoff> handoffs() {
            return events.stream().filter(Handoff.class::isInstance).map(Handoff.class::cast).toList();
        }

        List<Handoff> handoffs(Step step) {
            return handoffs().stream().filter(h -> h.step() == step).toList();
        }

        List<Incident> incidents(IncidentType type) {
            return events.stream().filter(Incident.class::isInstance).map(Incident.class::cast)
                    .filter(i -> i.incident() == type).toList();
        }

        /** The handoffs that move {@code bag}, in ledger order. */
        List<Handoff> handoffsOf(BagId bag) {
            return handoffs().stream().filter(h -> h.bags().stream().anyMatch(m -> m.bag().equals(bag))).toList();
        }

        Handoff lastOf(BagId bag) {
            List<Handoff> all = handoffsOf(bag);
            return all.get(all.size() - 1);
        }

        /** The handoff of {@code bag} before {@code h}, if any. */
        Optional<Handoff> before(BagId bag, Handoff h) {
            List<Handoff> all = handoffsOf(bag);
            int i = all.indexOf(h);
            return i > 0 ? Optional.of(all.get(i - 1)) : Optional.empty();
        }

        /** The handoff of {@code bag} after {@code h}, if any. */
        Optional<Handoff> after(BagId bag, Handoff h) {
            List<Handoff> all = handoffsOf(bag);
            int i = all.indexOf(h);
            return i >= 0 && i + 1 < all.size() ? Optional.of(all.get(i + 1)) : Optional.empty();
        }

        Bag bag(BagId id) {
            return bags.get(id);
        }

        ExamSession session(BagId bag) {
            return timetable.get(bags.get(bag).session());
        }

        /** The plan, what was drawn, and every record in ledger order, one a line in the exam's local time. */
        String describe() {
            StringBuilder out = new StringBuilder();
            out.append(plan).append('\n');
            notes.forEach(n -> out.append("  ").append(n).append('\n'));
            if (!dropped.isEmpty()) {
                out.append("  vault reviews dropped at ").append(dropped.stream().sorted().map(t -> local(t, zone())).toList())
                        .append('\n');
            }
            for (Record r : records()) {
                if (!setup.contains(r)) {
                    out.append("  ").append(line(r, zone())).append('\n');
                }
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return "Exam" + plan;
        }
    }

    /** One record on one line: local time, type, step or incident, people, place and bags with their counts. */
    static String line(Record r, ZoneId zone) {
        StringBuilder out = new StringBuilder(local(r.at(), zone)).append(' ').append(r.id()).append(' ');
        if (r instanceof Handoff h) {
            out.append(h.step().wire()).append(' ').append(h.from() == null ? "-" : h.from()).append("->").append(h.to())
                    .append(" with ").append(h.witnesses()).append(" @").append(h.place().id()).append(' ');
        } else if (r instanceof Incident i) {
            out.append(i.incident().wire()).append(" by ").append(i.by()).append(i.place() == null ? "" : " @" + i.place().id())
                    .append(i.set() == null ? "" : " set " + i.set().session() + "/" + i.set().subject() + "/" + i.set().set())
                    .append(' ');
        } else {
            out.append(r.type()).append(' ');
        }
        out.append(r.moves().stream().map(ExamLifeCycles::move).collect(Collectors.joining(" ")));
        return out.toString();
    }

    private static String move(BagMove m) {
        StringBuilder out = new StringBuilder(m.bag().value());
        if (m.count() != null) {
            out.append('#').append(m.count());
        }
        if (m.present() != null || m.absent() != null) {
            out.append("(").append(m.present()).append('+').append(m.absent()).append(')');
        }
        if (m.container() != null) {
            out.append("^").append(m.container());
        }
        return out.toString();
    }

    /** Answer sheets' first step: into the vault with the papers, picked up with them, or straight to collection. */
    private enum AnswerRoute { VAULT, PICKUP, COLLECT }

    /** One session while it is built: its subject, times, sets and bags. */
    private static final class Session {
        final String id;
        final String subject;
        Instant start;
        Instant end;
        String drawn;
        String used;
        String withdrawn;
        AnswerRoute route;
        BagId box;
        final Map<Integer, BagId> questionsA = new TreeMap<>();
        final Map<Integer, BagId> questionsB = new TreeMap<>();
        final Map<Integer, BagId> answers = new TreeMap<>();
        final Map<String, BagId> spares = new TreeMap<>();
        /** Room and spare bag opened with approval, if any. */
        int spareRoom;
        BagId spareOpened;

        Session(int index) {
            this.id = "S" + index;
            this.subject = SUBJECTS[index - 1];
        }

        BagId questions(int room, String set) {
            return set.equals("A") ? questionsA.get(room) : questionsB.get(room);
        }

        /** Every bag of question or spare papers of this session. */
        List<BagId> papers() {
            List<BagId> out = new ArrayList<>(questionsA.values());
            out.addAll(questionsB.values());
            out.addAll(spares.values());
            return out;
        }
    }

    /** Builds one exam from a plan, in causal order per bag; the exam sorts the events by time. */
    private static final class Builder {
        private final Plan plan;
        private final Policy policy;
        private final ZoneId zone;
        private final Random rnd;
        private final List<Record> setup = new ArrayList<>();
        private final List<Record> events = new ArrayList<>();
        private final Map<BagId, Bag> bags = new LinkedHashMap<>();
        private final Map<BagId, PersonId> holders = new HashMap<>();
        private final Map<String, ExamSession> timetable = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final Set<String> features = new java.util.TreeSet<>();
        private final Map<Integer, List<PersonId>> roomStaff = new TreeMap<>();
        private final Map<Integer, Integer> candidates = new TreeMap<>();
        private final List<Session> sessions = new ArrayList<>();
        /** Boxes back in the vault and empty, with when they came back: a later session may reuse one. */
        private final Map<BagId, Instant> emptyBoxes = new LinkedHashMap<>();
        private int counter;

        Builder(Plan plan) {
            this.plan = plan;
            this.policy = plan.policy();
            this.zone = policy.zone();
            this.rnd = new Random(plan.seed());
        }

        Exam build() {
            LocalDate day0 = LocalDate.of(2021, 3, 1).plusDays(between(0, 900));
            Instant t0 = at(day0, 8, 0);
            LocalDate printDay = day0.plusDays(between(1, 3));
            LocalDate examDay = printDay.plusDays(between(2, 5));
            for (int r = 1; r <= plan.rooms(); r++) {
                List<PersonId> staff = new ArrayList<>(invigilators(r));
                Collections.shuffle(staff, rnd);
                roomStaff.put(r, List.copyOf(staff.subList(0, between(2, 3))));
                candidates.put(r, between(15, 30));
            }
            planSessions(examDay);
            register(t0, printDay, examDay);

            Instant printing = at(printDay, 8, between(30, 59));
            for (Session s : sessions) {
                printing = printAndStore(s, printing);
            }
            for (Session s : sessions) {
                examSession(s);
            }
            LocalDate lastDay = LocalDate.ofInstant(sessions.get(sessions.size() - 1).end, zone);
            grading(lastDay.plusDays(between(1, 3)));
            if (plan.destroyBackups()) {
                destroyUnused(lastDay);
            }
            return new Exam(plan, setup, events, bags, timetable, notes, features, Set.of());
        }

        private void planSessions(LocalDate examDay) {
            int slot = 0;
            for (int i = 1; i <= plan.sessions(); i++) {
                if (i > 1) {
                    slot += between(1, 2);
                }
                Session s = new Session(i);
                LocalDate day = examDay.plusDays(slot / 2);
                s.start = slot % 2 == 0 ? at(day, 8, 30 + 15 * between(0, 4)) : at(day, 14, 30 + 15 * between(0, 4));
                s.end = s.start.plus(Duration.ofMinutes(90 + 15 * between(0, 4)));
                s.drawn = rnd.nextBoolean() ? "A" : "B";
                s.used = s.drawn;
                s.route = AnswerRoute.values()[rnd.nextInt(3)];
                sessions.add(s);
                boolean bySubject = rnd.nextBoolean();
                timetable.put(s.id, new ExamSession(s.id, bySubject ? s.subject : null, s.start, s.end));
                features.add(bySubject ? "timetable by subject" : "timetable by session");
                features.add("answer sheets start at " + s.route.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (plan.withdrawal()) {
                Session s = sessions.get(rnd.nextInt(sessions.size()));
                s.withdrawn = s.drawn;
                s.used = s.drawn.equals("A") ? "B" : "A";
            }
            if (plan.spares() == SpareUse.OPENED) {
                Session s = sessions.get(rnd.nextInt(sessions.size()));
                s.spareRoom = between(1, plan.rooms());
            }
            for (Session s : sessions) {
                notes.add(s.id + " " + s.subject + " " + local(s.start, zone) + " to " + local(s.end, zone) + ", set "
                        + s.drawn + " drawn" + (s.withdrawn == null ? "" : ", withdrawn, set " + s.used + " used")
                        + ", answer sheets start at " + s.route.name().toLowerCase(java.util.Locale.ROOT)
                        + (s.spareRoom == 0 ? "" : ", spare opened in room " + s.spareRoom));
            }
            notes.add("rooms " + roomStaff + ", candidates " + candidates);
        }

        private void register(Instant t0, LocalDate printDay, LocalDate examDay) {
            List<Founder> founders = new ArrayList<>();
            List<Person> rest = new ArrayList<>();
            for (Person p : ROSTER.values()) {
                if (founders.size() < Record.MAX_PEOPLE) {
                    founders.add(new Founder(p, KEYS.get(p.id())));
                } else {
                    rest.add(p);
                }
            }
            setup.add(new Genesis(RecordId.of("genesis"), LEDGER, t0, Suite.ED25519_SHA256, founders));
            for (Person p : rest) {
                setup.add(new Enrolment(id(), LEDGER, t0, p, KEYS.get(p.id()), OFFICERS.get(0)));
            }
            List<PersonId> board = List.of(OFFICERS.get(0), DISCIPLINE.get(0));
            // The policy in force from the start, from the print day, or only from the eve of the exam (the
            // regulations' defaults apply until then; the generated times meet both).
            int when = rnd.nextInt(4);
            if (when <= 1) {
                setup.add(new PolicyRecord(id(), LEDGER, minutes(t0, 5), policy, board));
            } else {
                Instant at = when == 2 ? at(printDay, 7, between(0, 60)) : at(examDay.minusDays(1), 20, between(0, 59));
                String note = when == 2 ? "policy recorded on the print day" : "policy recorded on the eve of the exam";
                events.add(new PolicyRecord(id(), LEDGER, at, policy, board));
                notes.add(note);
                features.add(note);
            }
            setup.add(new ScheduleRecord(id(), LEDGER, minutes(t0, 5), EXAM, List.copyOf(timetable.values()), board));
            for (Session s : sessions) {
                for (int r = 1; r <= plan.rooms(); r++) {
                    String prefix = SITE_ID + ".0" + r + "." + s.id + "." + s.subject;
                    s.questionsA.put(r, paper(BagId.of(prefix + ".A"), BagKind.QUESTION_PAPER, r, s, "A", candidates.get(r)));
                    s.questionsB.put(r, paper(BagId.of(prefix + ".B"), BagKind.QUESTION_PAPER, r, s, "B", candidates.get(r)));
                    s.answers.put(r, paper(BagId.of(prefix + ".ANS"), BagKind.ANSWER_SHEET, r, s, null, candidates.get(r)));
                }
                if (plan.spares() != SpareUse.NONE) {
                    for (String set : List.of("A", "B")) {
                        s.spares.put(set, paper(BagId.of(SITE_ID + "." + s.id + "." + s.subject + ".SPARE." + set),
                                BagKind.SPARE_PAPER, 0, s, set, between(2, 5)));
                    }
                }
                if (s.spareRoom != 0) {
                    s.spareOpened = s.spares.get(s.used);
                }
                s.box = BagId.of(SITE_ID + "." + s.id + ".BOX");
                bags.put(s.box, Bag.container(s.box, BagKind.TRANSPORT_BOX, EXAM, SITE_ID));
            }
            setup.add(new Registration(id(), LEDGER, minutes(t0, 10), List.copyOf(bags.values()), board));
        }

        private BagId paper(BagId id, BagKind kind, int room, Session s, String set, int copies) {
            bags.put(id, Bag.papers(id, kind, EXAM, SITE_ID, room == 0 ? null : "0" + room, s.id, s.subject, set, copies,
                    kind == BagKind.ANSWER_SHEET ? Secrecy.SECRET : Secrecy.CONFIDENTIAL));
            return id;
        }

        /** Print, seal and store the session's papers from {@code t}; returns when the next session's printing starts. */
        private Instant printAndStore(Session s, Instant t) {
            List<BagId> papers = s.papers();
            handoff(Step.PRINT, null, SUPERVISOR, t, PRINTER, List.of(), List.of(PRINTERS.get(0), PRINTERS.get(1),
                    OFFICERS.get(0), DISCIPLINE.get(0), PATROL), counted(papers));
            Instant sealed = minutes(t, between(60, 180));
            List<BagMove> seals = new ArrayList<>();
            for (BagMove m : counted(papers)) {
                seals.add(m.seal("SN-" + m.bag().value(), SealState.INTACT));
            }
            handoff(Step.SEAL, SUPERVISOR, OFFICERS.get(0), sealed, PRINTER, List.of(), List.of(PRINTERS.get(0),
                    PRINTERS.get(1), DISCIPLINE.get(0), OFFICERS.get(2)), seals);
            List<BagMove> stored = moves(papers, null);
            if (s.route == AnswerRoute.VAULT) {
                stored.addAll(moves(s.answers.values(), null));
            }
            PersonId keeper = pick(OFFICERS.subList(1, 3));
            handoff(Step.VAULT_IN, OFFICERS.get(0), keeper, minutes(sealed, between(30, 90)), VAULT, List.of(),
                    List.of(DISCIPLINE.get(0), DISCIPLINE.get(1), OFFICERS.get(3), PATROL), stored);
            return minutes(sealed, between(10, 40));
        }

        private void examSession(Session s) {
            Instant arrival = minutes(s.start, -between(70, 150));
            Instant distributed = minutes(arrival, -between(45, 120));
            if (s.withdrawn != null) {
                events.add(Incident.builder(IncidentType.SET_WITHDRAWN).id(id()).ledger(LEDGER).at(minutes(distributed, -between(10, 600)))
                        .bags(List.of()).by(List.of(DISCIPLINE.get(0), CHIEF)).place(SITE).set(new PaperSet(EXAM, s.id, s.subject, s.withdrawn)).note(s.withdrawn + "卷疑似泄密，启用" + s.used + "卷").build());
            }
            // What travels in the box: every room's papers of the drawn set and the backup, the spare papers (none
            // of a withdrawn set: those stay in the vault), and the answer sheets if they were stored.
            List<BagId> out = new ArrayList<>();
            for (int r = 1; r <= plan.rooms(); r++) {
                out.add(s.questions(r, "A"));
                out.add(s.questions(r, "B"));
            }
            out.addAll(s.spares.values());
            if (s.withdrawn != null) {
                out.removeIf(b -> s.withdrawn.equals(bags.get(b).set()));
            }
            if (s.route == AnswerRoute.VAULT) {
                out.addAll(s.answers.values());
            }
            PersonId escort = pick(ESCORTS);
            PersonId keeper = holders.get(out.get(0));
            for (Map.Entry<BagId, Instant> e : emptyBoxes.entrySet()) {
                if (e.getValue().isBefore(distributed) && keeper.equals(holders.get(e.getKey())) && rnd.nextBoolean()) {
                    notes.add(s.id + " reuses the box " + e.getKey());
                    features.add("box reused");
                    s.box = e.getKey();
                    emptyBoxes.remove(e.getKey());
                    break;
                }
            }
            distribute(s, out, escort, distributed);

            // Escort to the site, in one or two legs, received by a chief examiner or first by the site's officer.
            PersonId receiver = pick(List.of(CHIEF, DEPUTIES.get(0), DEPUTIES.get(1)));
            boolean relay = rnd.nextInt(3) == 0;
            boolean siteOfficer = rnd.nextInt(3) == 0;
            features.add(relay ? "escort in two legs" : "escort in one leg");
            features.add(siteOfficer ? "site officer receives the box" : "chief examiner receives the box");
            if (relay) {
                PersonId second = other(ESCORTS, escort);
                Instant mid = distributed.plus(Duration.between(distributed, arrival).dividedBy(2));
                escort(s, out, escort, second, mid, RELAY);
                escort = second;
            }
            PersonId siteHolder = receiver;
            if (siteOfficer) {
                escort(s, out, escort, OFFICERS.get(3), arrival, SITE);
                handoff(Step.SITE_RECEIPT, OFFICERS.get(3), receiver, minutes(arrival, between(5, 20)), SITE, List.of(),
                        without(List.of(CHIEF, DEPUTIES.get(0), DEPUTIES.get(1), DISCIPLINE.get(0), PATROL), receiver),
                        inBox(out, s.box));
            } else {
                escort(s, out, escort, receiver, arrival, SITE);
            }

            // Each room's invigilators pick up the drawn set (and answer sheets) and open it in time.
            List<BagId> stayInBox = new ArrayList<>(out);
            Map<Integer, PersonId> leads = new TreeMap<>();
            long lead = policy.openingLead().toMinutes();
            for (int r = 1; r <= plan.rooms(); r++) {
                List<PersonId> staff = roomStaff.get(r);
                PersonId inv = pick(staff);
                leads.put(r, inv);
                BagId questions = s.questions(r, s.used);
                List<BagId> picked = new ArrayList<>(List.of(questions));
                if (s.route != AnswerRoute.COLLECT) {
                    picked.add(s.answers.get(r));
                }
                stayInBox.removeAll(picked);
                handoff(Step.ROOM_PICKUP, siteHolder, inv, minutes(s.start, -between(25, 40)), SITE, List.of(),
                        roomPool(staff, inv, siteHolder), moves(picked, null));
                int early = (int) lead - between(0, (int) lead);
                if (early == lead && lead > 0) {
                    features.add("opened at the earliest permitted minute");
                }
                // the room's second invigilator signs every opening (R20: 2 in a standard room)
                PersonId second = staff.stream().filter(p -> !p.equals(inv)).findFirst().orElseThrow();
                handoff(Step.OPEN, null, inv, minutes(s.start, -early), room(r), List.of(second),
                        roomPool(staff, inv, second), List.of(move(questions).count(bags.get(questions).copies())));
            }
            if (s.spareOpened != null) {
                openSpare(s, leads.get(s.spareRoom), siteHolder);
                stayInBox.remove(s.spareOpened);
            }

            // Collection; the answer sheets go to the site's holder, or (direct) straight to the escort, before police.
            boolean direct = rnd.nextInt(3) == 0;
            features.add(direct ? "answer sheets straight to the escort" : "answer sheets via the site");
            PersonId returning = pick(ESCORTS);
            Instant ready = s.end;
            List<BagId> answersBack = new ArrayList<>();
            for (int r = 1; r <= plan.rooms(); r++) {
                BagId answers = s.answers.get(r);
                PersonId inv = holders.getOrDefault(answers, leads.get(r));
                int planned = candidates.get(r);
                int absent = between(0, 3);
                Instant collected = minutes(s.end, between(2, 10));
                handoff(Step.COLLECT, null, inv, collected, room(r), List.of(), roomPool(roomStaff.get(r), inv, null),
                        List.of(move(answers).count(planned).attendance(planned - absent, absent)
                                .seal("SN-" + answers.value(), SealState.INTACT)));
                Instant at = minutes(collected, between(2, 8));
                if (direct) {
                    handoff(Step.RETURN_ESCORT, inv, returning, at, SITE, List.of(pick(POLICE_OFFICERS)),
                            roomPool(roomStaff.get(r), inv, null), List.of(move(answers)));
                } else {
                    handoff(Step.SITE_RECEIPT, inv, siteHolder, at, SITE, List.of(), without(List.of(CHIEF, DEPUTIES.get(0),
                            DEPUTIES.get(1), OFFICERS.get(3), DISCIPLINE.get(0)), siteHolder), List.of(move(answers)));
                }
                ready = ready.isAfter(at) ? ready : at;
                answersBack.add(answers);
            }

            // The escort back: the box with the backups (and the answer sheets unless they came direct), in one
            // or two legs, then into the vault in time, unpacked or still in the box.
            List<BagId> boxed = new ArrayList<>(direct ? List.of() : answersBack);
            boxed.addAll(stayInBox);
            Instant leaving = minutes(ready, between(5, 15));
            handoff(Step.RETURN_ESCORT, siteHolder, returning, leaving, SITE, List.of(pick(POLICE_OFFICERS)),
                    without(List.of(POLICE_OFFICERS.get(0), POLICE_OFFICERS.get(1), DEPUTIES.get(0), DEPUTIES.get(1), CHIEF,
                            DISCIPLINE.get(1)), siteHolder), carried(List.of(), boxed, s.box, true));
            Instant due = s.end.plus(policy.returnWithin());
            if (rnd.nextInt(3) == 0 && !minutes(leaving, 25).isAfter(due)) {
                PersonId second = other(ESCORTS, returning);
                leaving = minutes(leaving, between(10, 20));
                handoff(Step.RETURN_ESCORT, returning, second, leaving, RELAY, List.of(pick(POLICE_OFFICERS)),
                        List.of(OFFICERS.get(2), DISCIPLINE.get(1), PATROL, POLICE_OFFICERS.get(0), POLICE_OFFICERS.get(1)),
                        carried(direct ? answersBack : List.of(), boxed, s.box, true));
                returning = second;
                features.add("escort back in two legs");
            }
            long slack = Duration.between(minutes(leaving, 5), due).toMinutes();
            if (slack < 0) {
                throw new IllegalStateException("generator: no time to return " + s.id + " by " + due);
            }
            boolean unpack = rnd.nextBoolean();
            features.add(unpack ? "unpacked at the vault" : "left in the box at the vault");
            PersonId backInVault = pick(OFFICERS.subList(1, 3));
            Instant returned = rnd.nextInt(8) == 0 ? due : minutes(leaving, 5 + between(0, (int) slack));
            if (returned.equals(due)) {
                features.add("back in the vault at the deadline");
            }
            handoff(Step.VAULT_RETURN, returning, backInVault, returned, VAULT, List.of(),
                    List.of(DISCIPLINE.get(0), DISCIPLINE.get(1), OFFICERS.get(0), OFFICERS.get(3)),
                    carried(direct ? answersBack : List.of(), boxed, s.box, !unpack));
            if (unpack || boxed.isEmpty()) {
                emptyBoxes.put(s.box, returned);
            }
        }

        /** Moves of {@code loose} bags, of {@code boxed} bags inside {@code box} (or unpacked from it), and of the box. */
        private List<BagMove> carried(List<BagId> loose, List<BagId> boxed, BagId box, boolean inside) {
            List<BagMove> out = moves(loose, null);
            out.addAll(moves(boxed, inside ? box : null));
            out.add(move(box));
            return out;
        }

        private void distribute(Session s, List<BagId> out, PersonId escort, Instant at) {
            PersonId keeper = holders.get(out.get(0));
            List<PersonId> staff = new ArrayList<>(OFFICERS);
            staff.addAll(ESCORTS);
            staff.addAll(POLICE_OFFICERS);
            staff.addAll(DEPUTIES);
            staff.removeAll(List.of(keeper, escort));
            Collections.shuffle(staff, rnd);
            List<PersonId> required = new ArrayList<>(staff.subList(0, policy.distributionStaff() - 2 + between(0, 1)));
            required.add(pick(DISCIPLINE));
            if (rnd.nextInt(4) == 0) {
                required.add(other(DISCIPLINE, required.get(required.size() - 1)));
            }
            handoff(Step.DISTRIBUTE, keeper, escort, at, VAULT, required, List.of(), inBox(out, s.box));
        }

        private void escort(Session s, List<BagId> out, PersonId from, PersonId to, Instant at, Place place) {
            List<PersonId> police = new ArrayList<>(POLICE_OFFICERS);
            Collections.shuffle(police, rnd);
            handoff(Step.ESCORT, from, to, at, place, police.subList(0, between(1, 2)),
                    without(List.of(OFFICERS.get(2), DISCIPLINE.get(1), PATROL, DEPUTIES.get(1)), to), inBox(out, s.box));
        }

        private void openSpare(Session s, PersonId inv, PersonId siteHolder) {
            BagId spare = s.spareOpened;
            Place place = room(s.spareRoom);
            PersonId deputy = pick(DEPUTIES);
            Instant approved = minutes(s.start, between(5, 30));
            events.add(Incident.builder(IncidentType.SPARE_OPENING_APPROVAL).id(id()).ledger(LEDGER).at(approved).bags(List.of(move(spare)))
                    .by(List.of(CHIEF, deputy)).place(place).note("一份试卷印刷缺页，启用备用卷").build());
            Instant picked = minutes(approved, between(1, 3));
            handoff(Step.ROOM_PICKUP, siteHolder, inv, picked, place, List.of(), roomPool(roomStaff.get(s.spareRoom), inv,
                    siteHolder), List.of(move(spare)));
            handoff(Step.OPEN, null, inv, minutes(picked, between(1, 5)), place, List.of(CHIEF, deputy),
                    roomPool(roomStaff.get(s.spareRoom), inv, null), List.of(move(spare).count(bags.get(spare).copies())));
        }

        /** Answer sheets out to the graders and back the same day, in batches of a session or of a room. */
        private void grading(LocalDate first) {
            List<List<BagId>> batches = new ArrayList<>();
            for (Session s : sessions) {
                if (rnd.nextBoolean()) {
                    batches.add(List.copyOf(s.answers.values()));
                } else {
                    s.answers.values().forEach(b -> batches.add(List.of(b)));
                }
            }
            for (int round = 0; round < plan.gradingRounds(); round++) {
                LocalDate day = first.plusDays(round);
                for (List<BagId> batch : batches) {
                    // From 06:30 to 23:59 local: in UTC+8 or UTC+6 that often spans two UTC dates.
                    Instant out = minutes(at(day, 6, 30), between(0, 240));
                    Instant lastMinute = at(day, 23, 59);
                    Instant back = rnd.nextInt(8) == 0 ? lastMinute
                            : minutes(out, between(180, (int) Duration.between(out, lastMinute).toMinutes()));
                    if (!LocalDate.ofInstant(out, java.time.ZoneOffset.UTC).equals(LocalDate.ofInstant(back, java.time.ZoneOffset.UTC))) {
                        features.add("grading out and back on two UTC dates");
                    }
                    List<BagMove> counted = batch.stream().map(b -> move(b).count(bags.get(b).copies())).toList();
                    handoff(Step.GRADING_OUT, holders.get(batch.get(0)), LEADER, out, GRADING, List.of(),
                            List.of(GRADERS.get(0), GRADERS.get(1), GRADERS.get(2), OFFICERS.get(0)), counted);
                    Place vault = rnd.nextInt(3) == 0 ? GRADING_VAULT : VAULT;
                    if (vault == GRADING_VAULT) {
                        features.add("kept in the grading centre's vault");
                    }
                    handoff(Step.GRADING_RETURN, LEADER, pick(OFFICERS.subList(1, 3)), back, vault,
                            List.of(), List.of(GRADERS.get(0), GRADERS.get(1), DISCIPLINE.get(0), OFFICERS.get(0)), counted);
                }
            }
        }

        /** Unused question and spare papers destroyed after the exam, one handoff per person holding them. */
        private void destroyUnused(LocalDate lastDay) {
            Map<PersonId, List<BagId>> byHolder = new TreeMap<>();
            for (Session s : sessions) {
                for (BagId b : s.papers()) {
                    Handoff last = lastHandoff(b);
                    if (last.step() == Step.VAULT_RETURN || last.step() == Step.VAULT_IN) {
                        byHolder.computeIfAbsent(holders.get(b), p -> new ArrayList<>()).add(b);
                    }
                }
            }
            Instant at = at(lastDay.plusDays(between(1, 4)), 14, between(0, 59));
            for (Map.Entry<PersonId, List<BagId>> e : byHolder.entrySet()) {
                PersonId to = other(OFFICERS, e.getKey());
                handoff(Step.DESTROY, e.getKey(), to, at, VAULT, List.of(), List.of(DISCIPLINE.get(0), DISCIPLINE.get(1),
                        OFFICERS.get(3), OFFICERS.get(0)), moves(e.getValue(), null));
                at = minutes(at, between(5, 30));
            }
        }

        private Handoff lastHandoff(BagId bag) {
            Handoff last = null;
            for (Record r : events) {
                if (r instanceof Handoff h && h.bags().stream().anyMatch(m -> m.bag().equals(bag))) {
                    last = h;
                }
            }
            return last;
        }

        /**
         * Records a handoff, checking what the generator promises: the releasing (or, for opening and collection,
         * the receiving) person holds every bag already held, everyone may sign the step, and there are enough
         * signers. Witnesses are {@code required} then people from {@code pool} until the policy is met, sometimes
         * one more.
         */
        private void handoff(Step step, PersonId from, PersonId to, Instant at, Place place, List<PersonId> required,
                             List<PersonId> pool, List<BagMove> moves) {
            PersonId actor = from != null ? from : to;
            for (BagMove m : moves) {
                PersonId holder = holders.get(m.bag());
                if (holder != null && !holder.equals(actor)) {
                    throw new IllegalStateException("generator: " + step.wire() + " of " + m.bag() + " by " + actor
                            + " but held by " + holder);
                }
            }
            List<PersonId> witnesses = new ArrayList<>();
            for (PersonId p : required) {
                if (!p.equals(from) && !p.equals(to) && !witnesses.contains(p)) {
                    witnesses.add(p);
                }
            }
            List<PersonId> others = new ArrayList<>(pool);
            others.removeAll(witnesses);
            others.remove(from);
            others.remove(to);
            Collections.shuffle(others, rnd);
            int base = (from == null ? 1 : 2) + witnesses.size();
            int wanted = Math.max(0, policy.minSigners() - base) + (rnd.nextInt(3) == 0 ? 1 : 0);
            witnesses.addAll(others.subList(0, Math.min(wanted, others.size())));
            Handoff h = Handoff.builder(step).id(id()).ledger(LEDGER).at(at).from(from).to(to).witnesses(witnesses).place(place).bags(moves).build();
            if (h.parties().size() < policy.minSigners()) {
                throw new IllegalStateException("generator: too few signers for " + line(h, zone));
            }
            for (PersonId p : h.parties()) {
                if (!maySign(p, step)) {
                    throw new IllegalStateException("generator: " + p + " may not sign " + line(h, zone));
                }
            }
            moves.forEach(m -> holders.put(m.bag(), to));
            events.add(h);
        }

        /** The people in a room who may witness its handoffs: its invigilators, the chiefs and the patrol inspector. */
        private List<PersonId> roomPool(List<PersonId> staff, PersonId... not) {
            List<PersonId> pool = new ArrayList<>(staff);
            pool.add(PATROL);
            pool.addAll(DEPUTIES);
            pool.add(CHIEF);
            pool.removeAll(java.util.Arrays.asList(not));
            return pool;
        }

        private List<BagMove> inBox(Collection<BagId> bags, BagId box) {
            return withBox(moves(bags, box), box);
        }

        private static List<BagMove> withBox(List<BagMove> moves, BagId box) {
            List<BagMove> out = new ArrayList<>(moves);
            out.add(move(box));
            return out;
        }

        private static List<BagMove> moves(Collection<BagId> bags, BagId box) {
            List<BagMove> out = new ArrayList<>();
            for (BagId b : bags) {
                out.add(box == null ? move(b) : move(b).inside(box));
            }
            return out;
        }

        private List<BagMove> counted(List<BagId> papers) {
            return papers.stream().map(b -> move(b).count(bags.get(b).copies())).toList();
        }

        private Instant at(LocalDate day, int hour, int minute) {
            return day.atStartOfDay(zone).plusHours(hour).plusMinutes(minute).toInstant();
        }

        private int between(int lo, int hi) {
            return lo + rnd.nextInt(hi - lo + 1);
        }

        private PersonId pick(List<PersonId> people) {
            return people.get(rnd.nextInt(people.size()));
        }

        private PersonId other(List<PersonId> people, PersonId not) {
            return pick(without(people, not));
        }

        private RecordId id() {
            return RecordId.of("r" + (++counter));
        }
    }

    static List<PersonId> without(List<PersonId> people, PersonId... not) {
        List<PersonId> out = new ArrayList<>(people);
        out.removeAll(java.util.Arrays.asList(not));
        return out;
    }

    static BagMove move(BagId bag) {
        return BagMove.of(bag, Hash.ZERO);
    }

    static Instant minutes(Instant t, long minutes) {
        return t.plus(Duration.ofMinutes(minutes));
    }
}
