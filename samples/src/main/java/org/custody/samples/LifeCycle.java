package org.custody.samples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Appended;
import org.custody.ledger.Draft;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.IncidentType;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.Policy;
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
import org.custody.record.Incident;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;
import org.custody.record.SignedRecord;

/**
 * The embedding example: one exam room's papers through their whole life, recorded with the custody-core
 * public API the way another exam system would: the founders create the ledger, people enrol their keys,
 * bags are registered, and every handoff is signed by the person releasing, the person receiving and at
 * least one witness. The regions marked {@code README:begin} are quoted in the README (a test keeps
 * them identical).
 */
public final class LifeCycle {
    static final String EXAM = "HN-ZSB-2021";
    static final BagId QUESTIONS = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.A");
    static final BagId ANSWERS = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.ANS");
    static final BagId BOX = BagId.of("HN-ZSB-2021.BOX.K01");

    private final Suite suite;
    private final PrintStream out;
    private final Map<PersonId, SigningKey> keys = new LinkedHashMap<>();
    private final Map<PersonId, Person> people = new LinkedHashMap<>();
    private Instant clock = Instant.parse("2021-06-01T01:00:00Z");
    private int records = 1; // the genesis entry
    private int inspections;

    public LifeCycle(Suite suite, PrintStream out) {
        this.suite = suite;
        this.out = out;
        person("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        person("P002", "许春娜", Role.CONFIDENTIALITY_OFFICER);
        person("P003", "杨丹", Role.DISCIPLINE_INSPECTOR);
        person("P010", "吴怡晓", Role.PRINT_SUPERVISOR);
        person("P011", "周立", Role.PRINTER_STAFF);
        person("P020", "陈志刚", Role.ESCORT);
        person("P021", "刘洋", Role.POLICE);
        person("P030", "赵敏", Role.CHIEF_EXAMINER);
        person("P031", "孙伟", Role.DEPUTY_CHIEF_EXAMINER);
        person("P040", "钱红", Role.INVIGILATOR);
        person("P041", "郑磊", Role.INVIGILATOR);
        person("P050", "冯静", Role.GRADING_LEADER);
        person("P051", "蒋涛", Role.GRADER);
    }

    private void person(String id, String name, Role role) {
        Person p = Person.of(id, name, role);
        people.put(p.id(), p);
        keys.put(p.id(), SigningKey.generate(suite.signature()));
    }

    /** Creates the ledger at {@code file} and records the whole life cycle; returns the open ledger. */
    public Ledger run(Path file) {
        PersonId officer = PersonId.of("P001");
        PersonId inspector = PersonId.of("P003");
        // README:begin create
        // the founders sign the first entry (genesis), which fixes the ledger's id and algorithms
        List<Founder> founders = List.of(new Founder(people.get(officer), keys.get(officer).publicKey()),
                new Founder(people.get(inspector), keys.get(inspector).publicKey()));
        Ledger ledger = Ledger.create(file, sign(new Genesis(RecordId.of("genesis"), LedgerId.of(EXAM), tick(0), suite, founders)));
        // everyone else is enrolled by a sponsor; the new key signs too (proof of possession)
        for (Person p : people.values()) {
            if (!p.id().equals(officer) && !p.id().equals(inspector)) {
                append(ledger, new Enrolment(RecordId.of("enrol-" + p.id()), ledger.id(), tick(1), p,
                        keys.get(p.id()).publicKey(), officer));
            }
        }
        // README:end
        out.printf("created ledger %s (%s) at %s%n", ledger.id(), suite.wire(), file);
        out.printf("enrolled %d people's keys%n", people.size());

        append(ledger, new PolicyRecord(RecordId.of("policy-" + EXAM), ledger.id(), tick(2),
                Policy.defaults(EXAM).withMode(Policy.Mode.STRICT), List.of(officer, inspector)));
        append(ledger, new ScheduleRecord(RecordId.of("schedule-" + EXAM), ledger.id(), tick(2), EXAM,
                List.of(new ExamSession("S1", "ENG", at("2021-06-09 09:00"), at("2021-06-09 11:30"))), List.of(officer, inspector)));
        out.printf("put the regulations' policy in force, strict: a handoff that breaks a rule is refused; and the timetable%n");

        Registration registration = new Registration(RecordId.of("register-K01-01-S1"), ledger.id(), tick(5), List.of(
                Bag.papers(QUESTIONS, BagKind.QUESTION_PAPER, EXAM, "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(ANSWERS, BagKind.ANSWER_SHEET, EXAM, "K01", "01", "S1", "ENG", null, 30, Secrecy.SECRET),
                Bag.container(BOX, BagKind.TRANSPORT_BOX, EXAM, "K01")), List.of(officer, inspector));
        append(ledger, registration);
        out.printf("registered %d bags%n", registration.bags().size());

        Place printer = Place.of("PRINTER", "湘印保密印刷厂");
        Place vault = Place.of("VAULT", "省考试院保密室");
        Place site = Place.of("K01", "湘江学院考点");
        Place room = Place.of("K01-01", "湘江学院考点 第01考场");
        Place grading = Place.of("GRADING", "评卷中心");

        handoff(ledger, Step.PRINT, null, "P010", List.of("P011", "P001"), printer, at("2021-06-02 09:00"),
                ledger.move(QUESTIONS).count(30));
        handoff(ledger, Step.SEAL, "P010", "P001", List.of("P011"), printer, at("2021-06-02 15:00"),
                ledger.move(QUESTIONS).count(30).seal("SN-2021-000123", SealState.INTACT));
        // README:begin handoff
        // the officer who sealed the bag (P001) hands it to the vault's officer (P002); the inspector (P003) witnesses
        handoff(ledger, Step.VAULT_IN, "P001", "P002", List.of("P003"), vault, at("2021-06-02 18:30"),
                ledger.move(QUESTIONS).seal("SN-2021-000123", SealState.INTACT));
        // README:end
        inspectVault(ledger, vault, at("2021-06-02 18:30"), at("2021-06-09 05:30"));
        handoff(ledger, Step.DISTRIBUTE, "P002", "P020", List.of("P001", "P003"), vault, at("2021-06-09 05:30"),
                ledger.move(QUESTIONS).inside(BOX), ledger.move(BOX));
        handoff(ledger, Step.ESCORT, "P020", "P030", List.of("P021"), site, at("2021-06-09 07:20"),
                ledger.move(QUESTIONS).inside(BOX), ledger.move(BOX));
        handoff(ledger, Step.ROOM_PICKUP, "P030", "P040", List.of("P031"), site, at("2021-06-09 08:30"),
                ledger.move(QUESTIONS).seal("SN-2021-000123", SealState.INTACT));
        handoff(ledger, Step.OPEN, null, "P040", List.of("P041", "P031"), room, at("2021-06-09 08:55"),
                ledger.move(QUESTIONS).count(30).seal("SN-2021-000123", SealState.INTACT));
        handoff(ledger, Step.COLLECT, null, "P040", List.of("P041", "P031"), room, at("2021-06-09 11:40"),
                ledger.move(ANSWERS).count(30).attendance(29, 1).seal("SN-2021-A-000456", SealState.INTACT));
        handoff(ledger, Step.SITE_RECEIPT, "P040", "P030", List.of("P031"), site, at("2021-06-09 11:50"), ledger.move(ANSWERS));
        handoff(ledger, Step.RETURN_ESCORT, "P030", "P020", List.of("P021"), site, at("2021-06-09 12:00"),
                ledger.move(ANSWERS).inside(BOX), ledger.move(BOX));
        handoff(ledger, Step.VAULT_RETURN, "P020", "P002", List.of("P003"), vault, at("2021-06-09 13:30"),
                ledger.move(ANSWERS).seal("SN-2021-A-000456", SealState.INTACT), ledger.move(BOX));
        inspectVault(ledger, vault, at("2021-06-09 13:30"), at("2021-06-12 08:00"));
        handoff(ledger, Step.GRADING_OUT, "P002", "P050", List.of("P051"), grading, at("2021-06-12 08:00"),
                ledger.move(ANSWERS).count(30));
        handoff(ledger, Step.GRADING_RETURN, "P050", "P002", List.of("P003"), vault, at("2021-06-12 17:30"),
                ledger.move(ANSWERS).count(30).seal("SN-2021-A-000457", SealState.INTACT));
        out.printf("  %d vault video reviews (监控回放) recorded, one every 5 hours while papers were stored%n", inspections);
        out.printf("recorded %d entries%n", records);
        return ledger;
    }

    /** The discipline inspector reviews the vault video every 5 hours between {@code from} and {@code until} (003: every 6). */
    private void inspectVault(Ledger ledger, Place vault, Instant from, Instant until) {
        for (Instant t = from.plus(Duration.ofHours(5)); t.isBefore(until); t = t.plus(Duration.ofHours(5))) {
            append(ledger, Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("inspect-" + t.getEpochSecond())).ledger(ledger.id()).at(t).bags(List.of()).by(List.of(PersonId.of("P003"))).place(vault).note("监控回放正常").build());
            inspections++;
        }
    }

    // README:begin record
    /** Records one handoff: a draft from the ledger, each bag linked to its last entry, signed by everyone present. */
    private void handoff(Ledger ledger, Step step, String from, String to, List<String> witnesses, Place place,
                         Instant at, BagMove... moves) {
        Handoff.Builder handoff = Handoff.builder(step).id(RecordId.of(step.wire() + "-" + records)).at(at).place(place)
                .from(from == null ? null : PersonId.of(from)).to(PersonId.of(to))
                .witnesses(witnesses.stream().map(PersonId::of).toList()).bags(List.of(moves));
        Draft draft = ledger.draft(handoff);
        show(append(draft), (Handoff) draft.record());
    }
    // README:end

    private void show(Appended appended, Handoff handoff) {
        List<String> signers = new ArrayList<>();
        handoff.parties().forEach(p -> signers.add(p + " " + people.get(p).name()));
        out.printf("  #%-3d %-14s %s %-6s signed by %s%n", appended.seq(), handoff.step().wire(), handoff.step().stage().chinese(),
                handoff.step().chinese(), String.join(", ", signers));
    }

    // README:begin sign
    /** Each party signs the draft on their own (in a real system, on their own device); then the ledger appends it. */
    private Appended append(Draft draft) {
        for (PersonId party : draft.missing()) {
            draft.sign(keys.get(party)); // a key that may not sign is refused at once (RefusedException)
        }
        Appended appended = draft.append(); // the gate's checks and the custody rules (AppendRefusedException)
        records++;
        return appended;
    }
    // README:end

    private Appended append(Ledger ledger, Record record) {
        return append(ledger.draft(record));
    }

    /** The genesis record signed by its founders: the one record made before the ledger exists. */
    private SignedRecord sign(Genesis genesis) {
        SignedRecord signed = SignedRecord.unsigned(genesis);
        for (PersonId party : genesis.parties()) {
            signed = signed.signedBy(keys.get(party));
        }
        return signed;
    }

    /** A local time at the exam (UTC+8), as officers write it. */
    private static Instant at(String local) {
        return java.time.LocalDateTime.parse(local.replace(' ', 'T')).atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
    }

    private Instant tick(long minutes) {
        clock = clock.plus(Duration.ofMinutes(minutes));
        return clock;
    }
}
