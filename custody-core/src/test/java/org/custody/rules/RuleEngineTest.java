package org.custody.rules;

import static org.custody.rules.ExamScenario.ANSWERS;
import static org.custody.rules.ExamScenario.EXAM;
import static org.custody.rules.ExamScenario.LEDGER;
import static org.custody.rules.ExamScenario.QUESTIONS;
import static org.custody.rules.ExamScenario.SPARE;
import static org.custody.rules.ExamScenario.at;
import static org.custody.rules.ExamScenario.ids;
import static org.custody.rules.ExamScenario.move;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import java.util.Set;
import org.custody.model.Bag;
import org.custody.model.ExamSession;
import org.custody.model.IncidentType;
import org.custody.model.PaperSet;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Enrolment;
import org.custody.record.Registration;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Revocation;
import org.custody.record.ScheduleRecord;
import org.junit.jupiter.api.Test;

/** For each rule, a scenario that breaks it exactly once yields exactly one finding with its code. */
class RuleEngineTest {
    static List<Finding> run(List<Record> records) {
        RuleEngine engine = new RuleEngine();
        List<Finding> out = new ArrayList<>();
        long seq = 0;
        for (Record r : records) {
            out.addAll(engine.checkAndApply(seq++, null, r));
        }
        out.addAll(engine.finish(engine.latest()));
        return out;
    }

    static void assertExactlyOne(FindingCode code, ExamScenario scenario) {
        assertExactlyOne(code, scenario.records());
    }

    static void assertExactlyOne(FindingCode code, List<Record> records) {
        List<Finding> findings = run(records);
        assertEquals(1, findings.size(), () -> "expected exactly one " + code + ", got:\n" + String.join("\n",
                findings.stream().map(Finding::toString).toList()));
        assertEquals(code, findings.get(0).code(), findings.get(0).toString());
    }

    @Test
    void cleanLifeCycle_noFindings() {
        List<Finding> findings = run(new ExamScenario().records());
        assertEquals(List.of(), findings);
    }

    @Test
    void r01_openingWithOnlyTheHolder_oneFinding() {
        assertExactlyOne(FindingCode.R01, new ExamScenario().change(Step.COLLECT, h -> ExamScenario.people(h, null, "P040")));
    }

    @Test
    void r02_distributionWithoutInspector_oneFinding() {
        assertExactlyOne(FindingCode.R02, new ExamScenario().change(Step.DISTRIBUTE, h -> ExamScenario.people(h, "P002", "P020", "P001", "P004")));
    }

    @Test
    void r03_escortWithoutPolice_oneFinding() {
        assertExactlyOne(FindingCode.R03, new ExamScenario().change(Step.ESCORT, h -> ExamScenario.people(h, "P020", "P030", "P022")));
    }

    @Test
    void r04_releasedBySomeoneNotHoldingIt_oneFinding() {
        assertExactlyOne(FindingCode.R04, new ExamScenario().change(Step.ROOM_PICKUP, h -> ExamScenario.people(h, "P031", "P040", "P030")));
    }

    @Test
    void r05_questionPapersCheckedOutForGrading_oneFinding() {
        ExamScenario s = new ExamScenario();
        s.add(s.handoff(Step.GRADING_OUT, "P002", "P050", at("2021-06-12 18:00"), ExamScenario.GRADING, List.of("P051"),
                move(ExamScenario.BACKUP)));
        assertExactlyOne(FindingCode.R05, s);
    }

    @Test
    void r06_openedTenMinutesEarly_oneFinding() {
        assertExactlyOne(FindingCode.R06, new ExamScenario().change(Step.OPEN, h -> ExamScenario.at(h, "2021-06-09 08:45")));
    }

    @Test
    void r07_copiesFoundAtOpeningDiffer_oneFinding() {
        assertExactlyOne(FindingCode.R07, new ExamScenario().change(Step.OPEN,
                h -> ExamScenario.moves(h, move(QUESTIONS).count(29), move(SPARE).count(2))));
    }

    @Test
    void r08_recusedInvigilatorWitnessesCollection_oneFinding() {
        assertExactlyOne(FindingCode.R08, new ExamScenario().change(Step.COLLECT, h -> ExamScenario.people(h, null, "P040", "P042")));
    }

    @Test
    void r08_recusedPersonSignsAnIncidentThatNamesNoBag_oneFinding() {
        // the vault inspection names no bag and no set: it concerns every exam of the ledger, P042's too
        assertExactlyOne(FindingCode.R08, new ExamScenario().add(Incident.builder(IncidentType.VAULT_INSPECTION)
                .id(RecordId.of("inspect-by-recused")).ledger(LEDGER).at(at("2021-06-09 10:00")).bags(List.of())
                .by(ids("P003", "P042")).place(ExamScenario.VAULT).note("监控回放正常").build()));
    }

    @Test
    void r08_recusedPersonSignsAWithdrawalOfTheirExamsSet_oneFinding() {
        List<Finding> findings = run(new ExamScenario().add(Incident.builder(IncidentType.SET_WITHDRAWN).id(RecordId.of("withdraw"))
                .ledger(LEDGER).at(at("2021-06-09 08:00")).bags(List.of()).by(ids("P030", "P003", "P042"))
                .set(new PaperSet(EXAM, "S1", "ENG", "C")).note("C卷疑似泄密").build()).records());
        assertEquals(List.of(FindingCode.R08), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(ids("P042"), findings.get(0).people());
    }

    @Test
    void r08_baglessIncidentSignedByNobodyRecused_noFinding() {
        List<Finding> findings = run(new ExamScenario().add(Incident.builder(IncidentType.VAULT_INSPECTION)
                .id(RecordId.of("inspect-other")).ledger(LEDGER).at(at("2021-06-09 10:00")).bags(List.of())
                .by(ids("P003", "P041")).place(ExamScenario.VAULT).note("监控回放正常").build()).records());
        assertEquals(List.of(), findings, "P041 is recused from nothing; the founders' genesis (P042 among them) is key management");
    }

    /** The scenario's records in ledger order, with its escort dated {@code local} but left where it stands. */
    private static List<Record> escortDated(String local) {
        List<Record> records = new ArrayList<>(new ExamScenario().records());
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) instanceof Handoff h && h.step() == Step.ESCORT) {
                records.set(i, ExamScenario.at(h, local));
                return records;
            }
        }
        throw new IllegalStateException("no escort");
    }

    @Test
    void r15_escortDatedBeforeTheDistributionItFollows_oneFindingNamingItsBags() {
        List<Finding> findings = run(escortDated("2021-06-09 05:00"));
        assertEquals(List.of(FindingCode.R15), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(List.of(QUESTIONS, ExamScenario.BACKUP, SPARE, ExamScenario.BOX), findings.get(0).bags());
        assertEquals("not before " + at("2021-06-09 05:30"), findings.get(0).expected());
        assertEquals(at("2021-06-09 05:00").toString(), findings.get(0).actual());
    }

    @Test
    void r15_sameTimeAsThePreviousEntry_noFinding() {
        assertEquals(List.of(), run(escortDated("2021-06-09 05:30")));
    }

    @Test
    void r16_pickupSeesAnotherSealThanTheOneApplied_oneFinding() {
        List<Finding> findings = run(new ExamScenario().change(Step.ROOM_PICKUP,
                h -> ExamScenario.moves(h, move(QUESTIONS).seal("SN-999", SealState.INTACT), move(SPARE))).records());
        assertEquals(List.of(FindingCode.R16), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(List.of(QUESTIONS), findings.get(0).bags());
        assertEquals(List.of("SN-1", "SN-999"), List.of(findings.get(0).expected(), findings.get(0).actual()));
    }

    @Test
    void r16_anotherSealAfterARecordedBrokenSeal_isTheNewSeal_noFinding() {
        ExamScenario s = new ExamScenario().change(Step.ROOM_PICKUP,
                h -> ExamScenario.moves(h, move(QUESTIONS).seal("SN-NEW", SealState.INTACT), move(SPARE)));
        s.add(Incident.builder(IncidentType.SEAL_BROKEN).id(RecordId.of("broken-seal")).ledger(LEDGER).at(at("2021-06-09 08:00"))
                .bags(List.of(move(QUESTIONS))).by(ids("P030", "P031")).place(ExamScenario.SITE).note("封条破损，重新封装").build());
        s.change(Step.OPEN, h -> ExamScenario.moves(h, move(QUESTIONS).count(30).seal("SN-NEW", SealState.INTACT), move(SPARE).count(2)));
        assertEquals(List.of(), run(s.records()), "re-sealed after a recorded broken seal; the opening sees the new seal");
    }

    @Test
    void r05_boxEscortedWithoutTheBagsInIt_saysHowToGoOn() {
        List<Finding> findings = run(new ExamScenario().change(Step.ESCORT, h -> ExamScenario.moves(h, move(ExamScenario.BOX))).records());
        List<Finding> inside = findings.stream().filter(f -> f.code() == FindingCode.R05 && f.message().contains("was packed in")).toList();
        assertEquals(3, inside.size(), findings.toString());
        org.junit.jupiter.api.Assertions.assertTrue(inside.get(0).message().contains("custody bags list --in " + ExamScenario.BOX),
                inside.get(0).message());
    }

    @Test
    void r09_spareOpenedWithoutApproval_oneFinding() {
        assertExactlyOne(FindingCode.R09, new ExamScenario().remove(Incident.class));
    }

    @Test
    void r10_answerSheetsBackLate_oneFinding() {
        assertExactlyOne(FindingCode.R10, new ExamScenario().change(Step.VAULT_RETURN, h -> ExamScenario.at(h, "2021-06-09 15:00")));
    }

    @Test
    void r11_gradingReturnedNextDay_oneFinding() {
        assertExactlyOne(FindingCode.R11, new ExamScenario().change(Step.GRADING_RETURN, h -> ExamScenario.at(h, "2021-06-13 09:00")));
    }

    @Test
    void r12_oneVaultInspectionMissed_oneFinding() {
        assertExactlyOne(FindingCode.R12, new ExamScenario().records(Duration.ofHours(5), "2021-06-05 11:00"));
    }

    @Test
    void r13_withdrawnSetOpened_oneFinding() {
        assertExactlyOne(FindingCode.R13, new ExamScenario().add(Incident.builder(IncidentType.SET_WITHDRAWN).id(RecordId.of("withdraw")).ledger(LEDGER)
                .at(at("2021-06-09 08:00")).bags(List.of()).by(ids("P003", "P030"))
                .set(new PaperSet(EXAM, "S1", "ENG", "A")).note("A卷疑似泄密，启用B卷").build()));
    }

    @Test
    void r14_answerSheetsDestroyedAfterAMonth_oneFinding() {
        ExamScenario s = new ExamScenario();
        s.add(s.handoff(Step.DESTROY, "P002", "P001", at("2021-06-12 18:00"), ExamScenario.VAULT, List.of("P003"), move(ANSWERS)));
        assertExactlyOne(FindingCode.R14, s);
    }

    @Test
    void finish_answerSheetsNeverReturned_r10AtTheEnd() {
        ExamScenario s = new ExamScenario();
        s.handoffs.removeIf(r -> r instanceof Handoff h && (h.step() == Step.VAULT_RETURN || h.step() == Step.GRADING_OUT
                || h.step() == Step.GRADING_RETURN));
        List<Finding> findings = run(s.records());
        assertEquals(List.of(FindingCode.R10), findings.stream().map(Finding::code).toList(), findings.toString());
    }

    @Test
    void r25_questionPapersEscortedToTheSiteAfterTheStart_oneFindingPerBag_andNotRefusable() {
        // the records go in time order: set A was picked up into its room at 08:30 (R05, R04 say how), set B came with
        // the escort at 09:05, five minutes after the start
        List<Finding> findings = run(new ExamScenario().change(Step.ESCORT, h -> ExamScenario.at(h, "2021-06-09 09:05")).records())
                .stream().filter(f -> f.code() == FindingCode.R25).toList();
        assertEquals(List.of(List.of(ExamScenario.BACKUP)), findings.stream().map(Finding::bags).toList(), findings.toString());
        assertTrue(findings.get(0).message().contains("5 min after the session started"), findings.get(0).message());
        assertFalse(RuleEngine.refusable(FindingCode.R25), "lateness is recorded, never refused");
        assertEquals("002; domain.md", RuleEngine.source(FindingCode.R25).orElseThrow());
    }

    @Test
    void r25_notYetAtTheSite_isOverdueFromTheSessionStart_andStopsRunningOnArrival() {
        List<Record> records = new ArrayList<>(new ExamScenario().records());
        int escort = records.indexOf(records.stream().filter(r -> r instanceof Handoff h && h.step() == Step.ESCORT).findFirst()
                .orElseThrow());
        RuleEngine engine = new RuleEngine();
        long seq = 0;
        for (Record r : records.subList(0, escort)) {
            engine.checkAndApply(seq++, null, r);
        }
        assertEquals(Set.of(FindingCode.R25), engine.position(QUESTIONS).orElseThrow().deadlines(), "sent out, not at the site");
        assertEquals(List.of(), r25(engine.finish(at("2021-06-09 08:59"))), "not late before the session starts");
        List<Finding> late = r25(engine.finish(at("2021-06-09 09:01")));
        assertEquals(List.of(List.of(QUESTIONS), List.of(ExamScenario.BACKUP)), late.stream().map(Finding::bags).toList(),
                late.toString());
        assertTrue(late.get(0).message().contains("not received at the site by the start of their session"), late.get(0).message());
        assertEquals(late, r25(engine.overdue(at("2021-06-09 09:01"), List.of(QUESTIONS, ExamScenario.BACKUP, SPARE))),
                "the bags a time limit runs for give the same answer");
        engine.checkAndApply(seq, null, records.get(escort));
        assertEquals(Set.of(), engine.position(QUESTIONS).orElseThrow().deadlines(), "at the site (escort's handoff at K01)");
        assertEquals(List.of(), r25(engine.finish(at("2021-06-09 09:01"))));
    }

    @Test
    void r25_aBackupSetKeptInTheVault_isNotJudged() {
        RuleEngine engine = new RuleEngine();
        long seq = 0;
        for (Record r : new ExamScenario().records()) {
            if (r instanceof Handoff h && h.step() == Step.DISTRIBUTE) {
                break;
            }
            engine.checkAndApply(seq++, null, r);
        }
        assertEquals(Set.of(), engine.position(QUESTIONS).orElseThrow().deadlines(), "in the vault");
        assertEquals(List.of(), r25(engine.finish(at("2021-06-09 12:00"))));
    }

    private static List<Finding> r25(List<Finding> findings) {
        return findings.stream().filter(f -> f.code() == FindingCode.R25).toList();
    }

    // R17: governance records are signed by their quorum (docs/rules.md, Governance)

    private static org.custody.crypto.KeyId keyOf(String person) {
        return ExamScenario.genesis().founders().stream().filter(f -> f.person().id().value().equals(person)).findFirst()
                .orElseThrow().key().id();
    }

    private static Revocation revocation(String owner, String effective, String at, String... by) {
        return new Revocation(RecordId.of("revoke-" + owner), LEDGER, at(at), keyOf(owner), at(effective), "key lost", ids(by));
    }

    @Test
    void r17_policyChangedByOneOfficerAlone_oneFindingNamingThem() {
        List<Finding> findings = run(new ExamScenario().add(new PolicyRecord(RecordId.of("loosen"), LEDGER, at("2021-06-08 08:00"),
                Policy.defaults(EXAM).withMode(Policy.Mode.RECORD), ids("P001"))).records());
        assertEquals(List.of(FindingCode.R17), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(ids("P001"), findings.get(0).people());
        assertTrue(findings.get(0).message().contains("P001 (confidentiality_officer 保密员) alone 单独"), findings.get(0).message());
    }

    @Test
    void r17_timetablePostedByTwoInvigilators_oneFinding() {
        assertExactlyOne(FindingCode.R17, new ExamScenario().add(new ScheduleRecord(RecordId.of("timetable-2"), LEDGER,
                at("2021-06-08 08:00"), EXAM, List.of(new ExamSession("S2", "MATH", at("2021-06-10 09:00"), at("2021-06-10 11:00"))),
                ids("P040", "P041"))));
    }

    @Test
    void r17_graderAloneRevokesTheInspectorsKeyWeeksBack_oneFinding() {
        assertExactlyOne(FindingCode.R17, new ExamScenario().add(revocation("P003", "2021-06-01 09:00", "2021-06-12 09:00", "P051")));
    }

    @Test
    void r17_ownerAloneRevokesTheirOwnKeyFromNow_noFinding() {
        List<Finding> findings = run(new ExamScenario().add(revocation("P051", "2021-06-12 09:00", "2021-06-12 09:00", "P051")).records());
        assertEquals(List.of(), findings);
    }

    @Test
    void r17_ownerAloneDeclaresTheirKeyCompromisedBackwards_oneFinding() {
        // a compromise declaration reaches back over entries already signed: it needs the quorum, even from the owner
        assertExactlyOne(FindingCode.R17, new ExamScenario().add(revocation("P051", "2021-06-10 09:00", "2021-06-12 09:00", "P051")));
    }

    @Test
    void r17_officerAndInspectorDeclareAKeyCompromised_noFinding() {
        List<Finding> findings = run(new ExamScenario().add(revocation("P051", "2021-06-10 09:00", "2021-06-12 09:00", "P001", "P003"))
                .records());
        assertEquals(List.of(), findings);
    }

    @Test
    void r17_oneInvigilatorWithdrawsASet_oneFinding() {
        assertExactlyOne(FindingCode.R17, new ExamScenario().add(Incident.builder(IncidentType.SET_WITHDRAWN).id(RecordId.of("withdraw"))
                .ledger(LEDGER).at(at("2021-06-09 08:00")).bags(List.of()).by(ids("P040"))
                .set(new PaperSet(EXAM, "S1", "ENG", "C")).note("C卷疑似泄密").build()));
    }

    @Test
    void r17_twoInvigilatorsRecordABrokenSealAndReSealWithoutAnOfficer_oneFinding() {
        ExamScenario s = new ExamScenario().change(Step.OPEN, h -> ExamScenario.moves(h, move(QUESTIONS).count(30).seal("SN-NEW",
                SealState.INTACT), move(SPARE).count(2)));
        s.add(Incident.builder(IncidentType.SEAL_BROKEN).id(RecordId.of("broken-seal")).ledger(LEDGER).at(at("2021-06-09 08:40"))
                .bags(List.of(move(QUESTIONS))).by(ids("P040", "P041")).place(ExamScenario.ROOM).note("封条破损，重新封装").build());
        assertExactlyOne(FindingCode.R17, s);
    }

    @Test
    void r17_oneInspectorCorrectsAnEntryAlone_oneFinding() {
        assertExactlyOne(FindingCode.R17, new ExamScenario().add(Incident.builder(IncidentType.CORRECTION).id(RecordId.of("correct"))
                .ledger(LEDGER).at(at("2021-06-09 08:00")).bags(List.of()).by(ids("P003"))
                .refers(org.custody.crypto.Hash.of(new byte[32])).note("时间记录有误").build()));
    }

    /**
     * A correction of the escort (P020 to P030, witness P021) at 2021-06-09 12:00, signed by {@code by}; the findings of
     * the scenario with it, the engine watching the escort's hash as a verifier does after reading ahead.
     */
    private static List<Finding> correctingTheEscort(org.custody.crypto.Hash refers, String... by) {
        List<Record> records = new ArrayList<>(new ExamScenario().records());
        int escort = -1;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) instanceof Handoff h && h.step() == Step.ESCORT) {
                escort = i;
                break;
            }
        }
        org.custody.crypto.Hash escortHash = entryHash(escort);
        records.add(Incident.builder(IncidentType.CORRECTION).id(RecordId.of("correct")).ledger(LEDGER).at(at("2021-06-09 12:00"))
                .bags(List.of()).by(ids(by)).refers(refers == null ? escortHash : refers).note("押运时间记录有误，应为07:25").build());
        RuleEngine engine = new RuleEngine();
        engine.watch(List.of(escortHash));
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            out.addAll(engine.checkAndApply(i, entryHash(i), records.get(i)));
        }
        return out.stream().filter(f -> f.code() == FindingCode.R17).toList();
    }

    private static org.custody.crypto.Hash entryHash(int seq) {
        byte[] b = new byte[32];
        b[0] = (byte) (seq + 1);
        return org.custody.crypto.Hash.of(b);
    }

    @Test
    void r17_correctionByOneWhoSignedTheCorrectedEntry_andAnInspector_noFinding() {
        assertEquals(List.of(), correctingTheEscort(null, "P030", "P003"));
    }

    @Test
    void r17_correctionByAnOfficerAndAnInspector_whoSignedNeither_oneFindingNamingTheCorrectedEntrysSigners() {
        List<Finding> found = correctingTheEscort(null, "P001", "P003");
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).message().contains("one of the people who signed the corrected entry (P020, P030, P021), and a"
                + " discipline inspector"), found.get(0).message());
        assertTrue(found.get(0).chinese().contains("被更正记录的签字人之一（P020、P030、P021）"), found.get(0).chinese());
    }

    @Test
    void r17_correctionBySomeoneWhoSignedIt_butNoInspector_oneFinding_andOfAnEntryNotInTheLedger_oneFinding() {
        assertEquals(1, correctingTheEscort(null, "P030", "P021").size());
        List<Finding> unknown = correctingTheEscort(org.custody.crypto.Hash.of(new byte[32]), "P030", "P003");
        assertEquals(1, unknown.size(), unknown.toString());
        assertTrue(unknown.get(0).message().contains("not in this ledger"), unknown.get(0).message());
    }

    /** The places of the scenario registered the day before printing: its vault, and rooms 01 and 02 of K01. */
    private static Registration places(org.custody.model.RegisteredPlace... places) {
        return new Registration(RecordId.of("places"), LEDGER, at("2021-06-01 09:00"), List.of(), ids("P001", "P003"), List.of(places));
    }

    private static final org.custody.model.RegisteredPlace VAULT_PLACE = org.custody.model.RegisteredPlace.vault("VAULT", "省考试院保密室");

    @Test
    void r24_placesRegistered_theScenarioNamesOnlyThem_noFinding() {
        List<Finding> findings = run(new ExamScenario().add(places(VAULT_PLACE, org.custody.model.RegisteredPlace.room("K01", "01"),
                org.custody.model.RegisteredPlace.room("K01", "02"))).records());
        assertEquals(List.of(), findings, findings.toString());
    }

    @Test
    void r24_reviewOfAVaultTypedWrong_oneFindingNamingTheRegisteredVaults_unlessNoVaultIsRegistered() {
        ExamScenario s = new ExamScenario().add(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("typo"))
                .ledger(LEDGER).at(at("2021-06-03 08:00")).bags(List.of()).by(ids("P003")).place(Place.of("VAUL", null))
                .note("监控回放正常").build());
        assertEquals(List.of(), run(s.records()).stream().filter(f -> f.code() == FindingCode.R24).toList(), "nothing registered");
        List<Finding> found = run(s.add(places(VAULT_PLACE)).records()).stream().filter(f -> f.code() == FindingCode.R24).toList();
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).message().startsWith("VAUL is not a registered vault; the ledger's vaults are VAULT"), found.get(0).message());
        assertEquals("VAUL", found.get(0).actual());
    }

    @Test
    void r24_openingAtARoomTypedWrong_isR24Alone_andAtAnotherRegisteredRoom_R19Alone() {
        ExamScenario typo = new ExamScenario().add(places(VAULT_PLACE, org.custody.model.RegisteredPlace.room("K01", "01"),
                org.custody.model.RegisteredPlace.room("K01", "02"))).change(Step.OPEN, h -> ExamScenario.withPlace(h, Place.of("K01-1", null)));
        List<Finding> findings = run(typo.records());
        assertEquals(List.of(FindingCode.R24), findings.stream().map(Finding::code).toList(), findings.toString());
        assertTrue(findings.get(0).message().contains("the rooms of site K01 are K01-01, K01-02"), findings.get(0).message());

        ExamScenario other = new ExamScenario().add(places(VAULT_PLACE, org.custody.model.RegisteredPlace.room("K01", "01"),
                org.custody.model.RegisteredPlace.room("K01", "02"))).change(Step.OPEN, h -> ExamScenario.withPlace(h, Place.of("K01-02", null)));
        assertEquals(List.of(FindingCode.R19), run(other.records()).stream().map(Finding::code).toList());
    }

    @Test
    void r22r23_aRecordOfTheWholeLedger_isHeldToTheTightestToleranceAnyExamStates() {
        RuleEngine engine = new RuleEngine();
        Instant t = at("2021-06-01 09:00");
        engine.apply(0, null, ExamScenario.genesis());
        // exam B, not the first by id, states the tight limits
        engine.apply(1, null, new PolicyRecord(RecordId.of("p-a"), LEDGER, t, Policy.defaults("EXAM-A"), ids("P001", "P003")));
        engine.apply(2, null, new PolicyRecord(RecordId.of("p-b"), LEDGER, t, Policy.defaults("EXAM-B")
                .withFutureTolerance(Duration.ZERO).withRecordWithin(Duration.ofMinutes(30)), ids("P001", "P003")));
        // a vault review names no bag or exam: it concerns the whole ledger
        Incident review = Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("review")).ledger(LEDGER)
                .at(t.plusSeconds(120)).bags(List.of()).by(ids("P003")).place(Place.of("VAULT", null)).note("监控回放正常").build();
        List<FindingCode> ahead = engine.check(3, null, review, t).stream().map(Finding::code).toList();
        assertTrue(ahead.contains(FindingCode.R22), "2 minutes ahead, exam B allows none: " + ahead);
        List<FindingCode> late = engine.check(3, null, review, t.plusSeconds(120 + 3600)).stream().map(Finding::code).toList();
        assertTrue(late.contains(FindingCode.R23), "an hour late, exam B allows 30 minutes: " + late);
    }

    @Test
    void r17_graderSponsorsAnEnrolment_oneFindingNamingTheSponsor() {
        Person newcomer = new Person(PersonId.of("P060"), "P060", Set.of(Role.INVIGILATOR), "K01", null, null);
        var key = org.custody.crypto.SigningKey.generate(org.custody.crypto.SignatureAlgorithm.ED25519, org.custody.testing.Cast.seeded(7)).publicKey();
        List<Finding> findings = run(new ExamScenario().add(new Enrolment(RecordId.of("enrol-60"), LEDGER, at("2021-06-03 08:00"),
                newcomer, key, PersonId.of("P051"))).records());
        assertEquals(List.of(FindingCode.R17), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(ids("P051"), findings.get(0).people());
    }

    // R19-R21: place and people

    @Test
    void r19_roomsPapersOpenedInAnotherSitesRoom_oneFindingNamingTheRoom() {
        List<Finding> findings = run(new ExamScenario().change(Step.OPEN, h -> rebuilt(h, Place.of("K02-01", "第01考场"), h.bags()))
                .records());
        // the spare papers of K01 opened at K02 too: one finding for both bags
        assertEquals(List.of(FindingCode.R19), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(List.of(QUESTIONS, SPARE), findings.get(0).bags());
        assertEquals("K01-01", findings.get(0).expected());
    }

    @Test
    void r19_sparePapersOpenedInAnotherRoomOfTheirSite_noFinding() {
        List<Finding> findings = run(new ExamScenario().change(Step.OPEN, h -> rebuilt(h, Place.of("K01-02", "第02考场"),
                h.bags().stream().filter(m -> m.bag().equals(SPARE)).toList())).records());
        assertEquals(List.of(), findings.stream().filter(f -> f.code() == FindingCode.R19).toList());
    }

    @Test
    void r20_standardRoomOpenedByOneInvigilator_oneFinding() {
        assertExactlyOne(FindingCode.R20, new ExamScenario().change(Step.OPEN, h -> ExamScenario.people(h, null, "P040", "P031", "P030")));
    }

    @Test
    void r20_nonStandardRoomOpenedByTwoInvigilators_oneFinding() {
        ExamScenario s = new ExamScenario();
        s.handoffs.replaceAll(r -> r instanceof Registration reg ? new Registration(reg.id(), reg.ledger(), reg.at(),
                reg.bags().stream().map(b -> b.id().equals(QUESTIONS) ? b.withInvigilators(3) : b).toList(), reg.by()) : r);
        assertExactlyOne(FindingCode.R20, s);
    }

    @Test
    void r21_bagsPackedIntoTheBoxOfAnotherSession_r21OnEachPackingNamingBagAndBox() {
        ExamScenario s = new ExamScenario();
        s.handoffs.replaceAll(r -> r instanceof Registration reg ? new Registration(reg.id(), reg.ledger(), reg.at(),
                reg.bags().stream().map(b -> b.id().equals(ExamScenario.BOX)
                        ? Bag.container(b.id(), b.kind(), b.exam(), b.site(), "S2") : b).toList(), reg.by()) : r);
        List<Finding> findings = run(s.records());
        assertFalse(findings.isEmpty());
        assertTrue(findings.stream().allMatch(f -> f.code() == FindingCode.R21 && f.bags().contains(ExamScenario.BOX)),
                findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f.bags().contains(QUESTIONS) && f.message().contains("session")), findings.toString());
    }

    private static Handoff rebuilt(Handoff h, Place place, List<org.custody.record.BagMove> bags) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(h.at()).from(h.from()).to(h.to())
                .witnesses(h.witnesses()).place(place).bags(bags).build();
    }

    // R07 count continuity

    @Test
    void r07_printed25ForARoomOf30ThenSealed30_findingsAtPrintingAndSealing() {
        ExamScenario s = new ExamScenario().change(Step.PRINT, h -> ExamScenario.moves(h, move(QUESTIONS).count(25),
                move(ExamScenario.BACKUP).count(30), move(SPARE).count(2)));
        List<Finding> findings = run(s.records());
        assertEquals(List.of(FindingCode.R07, FindingCode.R07), findings.stream().map(Finding::code).toList(), findings.toString());
        assertEquals(List.of("30", "25"), List.of(findings.get(0).expected(), findings.get(0).actual()));
        assertEquals(List.of("25", "30"), List.of(findings.get(1).expected(), findings.get(1).actual()));
        assertTrue(findings.stream().allMatch(f -> f.bags().equals(List.of(QUESTIONS))));
    }

    @Test
    void r07_answerSheetsBackFromGradingOneShort_oneFinding() {
        ExamScenario s = new ExamScenario().change(Step.GRADING_RETURN, h -> ExamScenario.moves(h,
                h.bags().stream().map(m -> m.bag().equals(ANSWERS) ? move(ANSWERS).count(29).seal("SN-A2", SealState.INTACT) : m)
                        .toArray(org.custody.record.BagMove[]::new)));
        List<Finding> findings = run(s.records());
        assertEquals(List.of(FindingCode.R07), findings.stream().map(Finding::code).toList(), findings.toString());
        assertTrue(findings.get(0).message().contains("counted at grading_return"), findings.get(0).message());
    }

    // R12 stops once papers leave exam keeping

    @Test
    void r12_noReviewForAMonthAfterTheExamIsOverAndTheAnswerSheetsArchived_noFinding() {
        ExamScenario s = new ExamScenario();
        s.add(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("review-a-month-on")).ledger(LEDGER)
                .at(at("2021-07-12 10:00")).bags(List.of()).by(ids("P003")).place(ExamScenario.VAULT).note("监控回放正常").build());
        assertEquals(List.of(), run(s.records()));
    }

    @Test
    void r12_reviewsStopWhileAnswerSheetsWaitForGrading_oneFindingAtTheEnd() {
        ExamScenario s = new ExamScenario();
        s.handoffs.removeIf(r -> r instanceof Handoff h && (h.step() == Step.GRADING_OUT || h.step() == Step.GRADING_RETURN));
        s.add(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("site-review")).ledger(LEDGER)
                .at(at("2021-06-11 10:00")).bags(List.of()).by(ids("P003")).place(ExamScenario.SITE).note("考点保密室回放正常").build());
        List<Record> records = new ArrayList<>(s.records());
        // the vault's reviews stop the evening of the exam; its answer sheets wait for grading two days on
        records.removeIf(r -> r instanceof Incident i && i.incident() == IncidentType.VAULT_INSPECTION
                && i.place().equals(ExamScenario.VAULT) && i.at().isAfter(at("2021-06-09 20:00")));
        assertExactlyOne(FindingCode.R12, records);
    }

    @Test
    void r17_theExamsPolicyStatesAStricterQuorumForWithdrawals_anOfficerAndOneInspectorNoLongerSuffice() {
        org.custody.model.Quorum twoInspectorsAndAChief = new org.custody.model.Quorum(List.of(
                new org.custody.model.Quorum.Group(java.util.EnumSet.of(Role.DISCIPLINE_INSPECTOR), 2),
                new org.custody.model.Quorum.Group(java.util.EnumSet.of(Role.CHIEF_EXAMINER), 1)));
        ExamScenario s = new ExamScenario();
        s.handoffs.replaceAll(r -> r instanceof PolicyRecord p ? new PolicyRecord(p.id(), p.ledger(), p.at(),
                p.policy().withQuorum("set_withdrawn", twoInspectorsAndAChief), p.by()) : r);
        s.add(Incident.builder(IncidentType.SET_WITHDRAWN).id(RecordId.of("withdraw")).ledger(LEDGER).at(at("2021-06-09 08:00"))
                .bags(List.of()).by(ids("P003", "P030")).set(new PaperSet(EXAM, "S1", "ENG", "C")).note("C卷疑似泄密").build());
        List<Finding> findings = run(s.records());
        assertEquals(List.of(FindingCode.R17), findings.stream().map(Finding::code).toList(), findings.toString());
        assertTrue(findings.get(0).message().contains("as the exam's policy states"), findings.get(0).message());
    }

    @Test
    void r12_gapBeforeTheExamEnds_stillReportedWhenAnswerSheetsComeBackAfterIt() {
        // the backup set stays in the vault through the exam; the review due at 10:00 is missed, so by the end of the
        // session (11:30, when keeping of that set ends) 6.5 h have passed since the 05:00 review; the answer sheets
        // come back at 13:30 and keeping starts again, but the gap of the keeping before is R12
        ExamScenario s = new ExamScenario();
        org.custody.model.BagId backup = ExamScenario.BACKUP;
        for (Step step : List.of(Step.DISTRIBUTE, Step.ESCORT, Step.RETURN_ESCORT, Step.VAULT_RETURN)) {
            s.change(step, h -> ExamScenario.moves(h, h.bags().stream().filter(m -> !m.bag().equals(backup))
                    .toArray(org.custody.record.BagMove[]::new)));
        }
        List<Record> records = new ArrayList<>(s.records());
        records.removeIf(r -> r instanceof Incident i && i.incident() == IncidentType.VAULT_INSPECTION
                && i.at().equals(at("2021-06-09 10:00")));
        List<Finding> findings = run(records);
        assertEquals(List.of(FindingCode.R12), findings.stream().map(Finding::code).toList(), findings.toString());
    }

    @Test
    void r17_anotherExamsLaxRevokeQuorum_doesNotDecideRevocationsForThisExam() {
        org.custody.model.Quorum twoInvigilators = new org.custody.model.Quorum(List.of(
                new org.custody.model.Quorum.Group(java.util.EnumSet.of(Role.INVIGILATOR), 2)));
        ExamScenario s = new ExamScenario();
        // exam AAA's policy, signed by an officer and an inspector, lets two invigilators revoke keys
        s.add(new PolicyRecord(RecordId.of("policy-aaa"), LEDGER, at("2021-06-05 08:00"),
                Policy.defaults("AAA").withQuorum("revoke", twoInvigilators), ids("P001", "P003")));
        s.add(revocation("P001", "2021-06-12 09:00", "2021-06-12 09:00", "P040", "P041"));
        List<Finding> findings = run(s.records());
        assertEquals(List.of(FindingCode.R17), findings.stream().map(Finding::code).toList(), findings.toString());
        assertTrue(findings.get(0).message().contains("discipline inspector"), findings.get(0).message());
    }
}
