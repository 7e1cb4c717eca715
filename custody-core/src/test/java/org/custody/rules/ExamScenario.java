package org.custody.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.custody.crypto.Hash;
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
 * A clean, complete exam for one room, as records in ledger order, that breaks no custody rule; tests
 * change one thing in it to break exactly one rule. Bag links are placeholders: the rule engine does not
 * read them (integrity checks do).
 */
final class ExamScenario {
    static final String EXAM = "HN-ZSB-2021";
    static final LedgerId LEDGER = LedgerId.of(EXAM);
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final BagId QUESTIONS = BagId.of("K01.01.S1.ENG.A");
    static final BagId BACKUP = BagId.of("K01.01.S1.ENG.B");
    static final BagId SPARE = BagId.of("K01.S1.ENG.SPARE");
    static final BagId ANSWERS = BagId.of("K01.01.S1.ENG.ANS");
    static final BagId BOX = BagId.of("K01.BOX");
    static final Place PRINTER = Place.of("PRINTER", "湘印保密印刷厂");
    static final Place VAULT = Place.of("VAULT", "省考试院保密室");
    static final Place SITE = Place.of("K01", "湘江学院考点");
    static final Place ROOM = Place.of("K01-01", "第01考场");
    static final Place GRADING = Place.of("GRADING", "评卷中心");

    static final Map<String, Person> PEOPLE = new LinkedHashMap<>();

    static {
        person("P001", Role.CONFIDENTIALITY_OFFICER);
        person("P002", Role.CONFIDENTIALITY_OFFICER);
        person("P003", Role.DISCIPLINE_INSPECTOR);
        person("P004", Role.CONFIDENTIALITY_OFFICER);
        person("P010", Role.PRINT_SUPERVISOR);
        person("P011", Role.PRINTER_STAFF);
        person("P020", Role.ESCORT);
        person("P021", Role.POLICE);
        person("P022", Role.ESCORT);
        person("P030", Role.CHIEF_EXAMINER);
        person("P031", Role.DEPUTY_CHIEF_EXAMINER);
        person("P040", Role.INVIGILATOR);
        person("P041", Role.INVIGILATOR);
        PEOPLE.put("P042", new Person(PersonId.of("P042"), "P042", Set.of(Role.INVIGILATOR), "K01", null,
                List.of(new Recusal(EXAM, "子女参加本次考试"))));
        person("P050", Role.GRADING_LEADER);
        person("P051", Role.GRADER);
    }

    private static void person(String id, Role role) {
        PEOPLE.put(id, Person.of(id, id, role));
    }

    /** Local exam time (UTC+8). */
    static Instant at(String local) {
        return LocalDateTime.parse(local.replace(' ', 'T')).atZone(ZONE).toInstant();
    }

    final List<Record> handoffs = new ArrayList<>();
    private int counter;

    ExamScenario() {
        handoffs.add(new PolicyRecord(id(), LEDGER, at("2021-06-01 08:00"), Policy.defaults(EXAM).withMode(Policy.Mode.RECORD),
                ids("P001", "P003")));
        handoffs.add(new ScheduleRecord(id(), LEDGER, at("2021-06-01 08:00"), EXAM, List.of(new ExamSession("S1", "ENG",
                at("2021-06-09 09:00"), at("2021-06-09 11:30"))), ids("P001", "P003")));
        handoffs.add(new Registration(id(), LEDGER, at("2021-06-01 08:10"), List.of(
                Bag.papers(QUESTIONS, BagKind.QUESTION_PAPER, EXAM, "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(BACKUP, BagKind.QUESTION_PAPER, EXAM, "K01", "01", "S1", "ENG", "B", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(SPARE, BagKind.SPARE_PAPER, EXAM, "K01", null, "S1", "ENG", "A", 2, Secrecy.CONFIDENTIAL),
                Bag.papers(ANSWERS, BagKind.ANSWER_SHEET, EXAM, "K01", "01", "S1", "ENG", null, 30, Secrecy.SECRET),
                Bag.container(BOX, BagKind.TRANSPORT_BOX, EXAM, "K01")), ids("P001", "P003")));
        handoff(Step.PRINT, null, "P010", "2021-06-02 09:00", PRINTER, List.of("P011", "P001"),
                move(QUESTIONS).count(30), move(BACKUP).count(30), move(SPARE).count(2));
        handoff(Step.SEAL, "P010", "P001", "2021-06-02 15:00", PRINTER, List.of("P011"),
                move(QUESTIONS).count(30).seal("SN-1", SealState.INTACT),
                move(BACKUP).count(30).seal("SN-2", SealState.INTACT),
                move(SPARE).count(2).seal("SN-3", SealState.INTACT));
        handoff(Step.VAULT_IN, "P001", "P002", "2021-06-02 18:00", VAULT, List.of("P003"),
                move(QUESTIONS), move(BACKUP), move(SPARE));
        handoff(Step.DISTRIBUTE, "P002", "P020", "2021-06-09 05:30", VAULT, List.of("P001", "P003"),
                move(QUESTIONS).inside(BOX), move(BACKUP).inside(BOX), move(SPARE).inside(BOX), move(BOX));
        handoff(Step.ESCORT, "P020", "P030", "2021-06-09 07:20", SITE, List.of("P021"),
                move(QUESTIONS).inside(BOX), move(BACKUP).inside(BOX), move(SPARE).inside(BOX), move(BOX));
        handoff(Step.ROOM_PICKUP, "P030", "P040", "2021-06-09 08:30", SITE, List.of("P031"),
                move(QUESTIONS), move(SPARE));
        handoffs.add(Incident.builder(IncidentType.SPARE_OPENING_APPROVAL).id(id()).ledger(LEDGER).at(at("2021-06-09 08:40"))
                .bags(List.of(move(SPARE))).by(ids("P030", "P031")).place(ROOM).note("一份试卷印刷缺页，启用备用卷").build());
        handoff(Step.OPEN, null, "P040", "2021-06-09 08:55", ROOM, List.of("P041", "P031", "P030"),
                move(QUESTIONS).count(30), move(SPARE).count(2));
        handoff(Step.COLLECT, null, "P040", "2021-06-09 11:40", ROOM, List.of("P041"),
                move(ANSWERS).count(30).attendance(29, 1).seal("SN-A1", SealState.INTACT));
        handoff(Step.SITE_RECEIPT, "P040", "P030", "2021-06-09 11:50", SITE, List.of("P031"), move(ANSWERS));
        handoff(Step.RETURN_ESCORT, "P030", "P020", "2021-06-09 12:00", SITE, List.of("P021"),
                move(ANSWERS).inside(BOX), move(BACKUP).inside(BOX), move(BOX));
        handoff(Step.VAULT_RETURN, "P020", "P002", "2021-06-09 13:30", VAULT, List.of("P003"),
                move(ANSWERS), move(BACKUP), move(BOX));
        handoff(Step.GRADING_OUT, "P002", "P050", "2021-06-12 08:00", GRADING, List.of("P051"), move(ANSWERS).count(30));
        handoff(Step.GRADING_RETURN, "P050", "P002", "2021-06-12 17:30", VAULT, List.of("P003"), move(ANSWERS).count(30));
    }

    /** The records in ledger order: genesis, the handoffs, and vault inspections every 5 hours while bags are stored. */
    List<Record> records() {
        return records(Duration.ofHours(5), null);
    }

    /** Like {@link #records()}, leaving out the inspection at {@code skipped} (local time), if any. */
    List<Record> records(Duration every, String skipped) {
        List<Record> all = new ArrayList<>();
        all.add(genesis());
        all.addAll(handoffs);
        Instant last = handoffs.stream().map(Record::at).max(Comparator.naturalOrder()).orElseThrow();
        for (Instant t = at("2021-06-02 18:00").plus(every); !t.isAfter(last.plus(every)); t = t.plus(every)) {
            if (skipped == null || !t.equals(at(skipped))) {
                all.add(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("inspect-" + t.getEpochSecond())).ledger(LEDGER).at(t)
                        .bags(List.of()).by(ids("P003")).place(VAULT).note("监控回放正常").build());
            }
        }
        all.sort(Comparator.comparing(Record::at));
        return all;
    }

    static Genesis genesis() {
        List<Founder> founders = new ArrayList<>();
        var random = Cast.seeded(42);
        for (Person p : PEOPLE.values()) {
            founders.add(new Founder(p, SigningKey.generate(SignatureAlgorithm.ED25519, random).publicKey()));
            if (founders.size() == 16) {
                break;
            }
        }
        return new Genesis(RecordId.of("genesis"), LEDGER, at("2021-06-01 08:00"), Suite.ED25519_SHA256, founders);
    }

    /** Replaces the handoff at {@code step} (the first of that step) with {@code change} of it. */
    ExamScenario change(Step step, UnaryOperator<Handoff> change) {
        for (int i = 0; i < handoffs.size(); i++) {
            if (handoffs.get(i) instanceof Handoff h && h.step() == step) {
                handoffs.set(i, change.apply(h));
                return this;
            }
        }
        throw new IllegalArgumentException("no " + step + " handoff");
    }

    ExamScenario add(Record record) {
        handoffs.add(record);
        return this;
    }

    ExamScenario remove(Class<? extends Record> type) {
        handoffs.removeIf(type::isInstance);
        return this;
    }

    void handoff(Step step, String from, String to, String local, Place place, List<String> witnesses, BagMove... moves) {
        handoffs.add(handoff(step, from, to, at(local), place, witnesses, moves));
    }

    Handoff handoff(Step step, String from, String to, Instant at, Place place, List<String> witnesses, BagMove... moves) {
        return Handoff.builder(step).id(id()).ledger(LEDGER).at(at).from(from == null ? null : PersonId.of(from)).to(PersonId.of(to))
                .witnesses(ids(witnesses.toArray(String[]::new))).place(place).bags(List.of(moves)).build();
    }

    static BagMove move(BagId bag) {
        return BagMove.of(bag, Hash.ZERO);
    }

    static List<PersonId> ids(String... ids) {
        return java.util.Arrays.stream(ids).map(PersonId::of).toList();
    }

    private RecordId id() {
        return RecordId.of("r" + (++counter));
    }

    /** A copy of {@code h} at another time. */
    static Handoff at(Handoff h, String local) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(at(local)).from(h.from()).to(h.to()).witnesses(h.witnesses()).place(h.place()).bags(h.bags()).note(h.note()).build();
    }

    /** A copy of {@code h} with other people. */
    static Handoff people(Handoff h, String from, String to, String... witnesses) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(h.at()).from(from == null ? null : PersonId.of(from)).to(PersonId.of(to))
                .witnesses(ids(witnesses)).place(h.place()).bags(h.bags()).note(h.note()).build();
    }

    /** A copy of {@code h} with other bag moves. */
    static Handoff moves(Handoff h, BagMove... moves) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(h.at()).from(h.from()).to(h.to()).witnesses(h.witnesses()).place(h.place()).bags(List.of(moves)).note(h.note()).build();
    }

    /** A copy of {@code h} at another place. */
    static Handoff withPlace(Handoff h, Place place) {
        return h.toBuilder().place(place).build();
    }
}
