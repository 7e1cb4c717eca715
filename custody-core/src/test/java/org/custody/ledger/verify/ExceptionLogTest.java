package org.custody.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.audit.AuditReport;
import org.custody.audit.RecordedException;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.model.BagId;
import org.custody.model.IncidentType;
import org.custody.model.LedgerId;
import org.custody.model.PaperSet;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.testing.Chains.Chain;
import org.custody.testing.Chains;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The exceptions recorded in a ledger (异常记录) that the audit report lists. */
class ExceptionLogTest {
    static final LedgerId LEDGER = LedgerId.of("HN-ZSB-2021");
    static final Instant AT = Instant.parse("2021-06-09T00:40:00Z");
    static final Hash PREV = Hash.of(new byte[32]);
    static final Hash ENTRY = hash("entry");
    static final BagId BAG = BagId.of("K01.01.S1.ENG.A");
    static final List<PersonId> PEOPLE = List.of(PersonId.of("P040"), PersonId.of("P041"));
    static final PaperSet SET = new PaperSet("ZSB2021", "S1", "ENG", "A");

    /** A distinct hash for {@code text} (test data only). */
    static Hash hash(String text) {
        try {
            return Hash.of(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Incident incident(IncidentType type) {
        return Incident.builder(type).id(RecordId.of("inc-1")).ledger(LEDGER).at(AT).bags(List.of(BagMove.of(BAG, PREV))).by(PEOPLE)
                .place(Place.of("K01", null)).set(type == IncidentType.SET_WITHDRAWN ? SET : null)
                .refers(type == IncidentType.CORRECTION ? hash("corrected") : null).note("found at 08:40").build();
    }

    static Handoff handoff(Step step, SealState... states) {
        List<BagMove> moves = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            moves.add(BagMove.of(BagId.of("K01.0" + (i + 1) + ".S1.ENG.A"), PREV).seal("F-" + i, states[i]));
        }
        return Handoff.builder(step).id(RecordId.of("h-1")).ledger(LEDGER).at(AT).from(PersonId.of("P030")).to(PersonId.of("P040"))
                .witnesses(List.of(PersonId.of("P041"))).place(Place.of("K01", null)).bags(moves).build();
    }

    @ParameterizedTest
    @EnumSource(value = IncidentType.class, names = "VAULT_INSPECTION", mode = EnumSource.Mode.EXCLUDE)
    void incident_ofAnExceptionType_isRecordedWithEverything(IncidentType type) {
        RecordedException e = ExceptionLog.of(17, ENTRY, incident(type));
        assertEquals(17, e.seq());
        assertEquals(ENTRY, e.entry());
        assertEquals(AT, e.at());
        assertEquals("incident", e.record());
        assertEquals(type.wire(), e.type());
        assertEquals(type.chinese(), e.chinese());
        assertEquals(List.of(BAG), e.bags());
        assertEquals(PEOPLE, e.people());
        assertEquals(type == IncidentType.SET_WITHDRAWN ? SET : null, e.set());
        assertEquals(type == IncidentType.CORRECTION ? hash("corrected") : null, e.refers());
        assertEquals("found at 08:40", e.note());
    }

    @Test
    void incident_vaultInspection_isRoutineNotAnException() {
        Incident inspection = Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("insp-1")).ledger(LEDGER).at(AT).bags(List.of()).by(PEOPLE)
                .place(Place.of("VAULT-1", null)).note("weekly inspection, all in order").build();
        assertNull(ExceptionLog.of(3, ENTRY, inspection));
    }

    @Test
    void handoff_sealFoundBroken_namesOnlyTheBrokenBags() {
        RecordedException e = ExceptionLog.of(9, ENTRY, handoff(Step.OPEN, SealState.INTACT, SealState.BROKEN, SealState.INTACT));
        assertEquals("handoff", e.record());
        assertEquals("open", e.type());
        assertEquals("启封", e.chinese());
        assertEquals(List.of(BagId.of("K01.02.S1.ENG.A")), e.bags());
        assertEquals(List.of(PersonId.of("P030"), PersonId.of("P040"), PersonId.of("P041")), e.people());
        assertTrue(e.brokenSealAtHandoff());
        assertTrue(e.title().contains("seal found broken 封条破损"), e.title());
    }

    @Test
    void handoff_sealsIntactOrUnchecked_isNoException() {
        assertNull(ExceptionLog.of(9, ENTRY, handoff(Step.ROOM_PICKUP, SealState.INTACT, SealState.INTACT)));
        Handoff unchecked = Handoff.builder(Step.ESCORT).id(RecordId.of("h-2")).ledger(LEDGER).at(AT).from(PersonId.of("P030")).to(PersonId.of("P040")).place(Place.of("K01", null)).bags(List.of(BagMove.of(BAG, PREV))).build();
        assertNull(ExceptionLog.of(9, ENTRY, unchecked));
    }

    @Test
    void log_beyondTheCap_keepsTheFirstAndCountsAll() {
        ExceptionLog log = new ExceptionLog(3);
        for (int seq = 1; seq <= 5; seq++) {
            log.note(seq, ENTRY, incident(IncidentType.MISCOUNT));
            log.note(seq, ENTRY, handoff(Step.OPEN, SealState.INTACT)); // not an exception
        }
        assertEquals(5, log.count());
        assertEquals(List.of(1L, 2L, 3L), log.kept().stream().map(RecordedException::seq).toList());
    }

    @Provide
    Arbitrary<Chain> chains() {
        return Chains.chains(Suite.ED25519_SHA256, 24);
    }

    /**
     * On random valid ledgers the report lists exactly the exception incidents and the handoffs with a broken
     * seal, in ledger order with their stored hashes (random chains are intact but not rule-clean).
     */
    @Property(tries = 25)
    void verify_validChain_listsEveryExceptionAndStaysClean(@ForAll("chains") Chain chain) {
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < chain.entries().size(); i++) {
            Record r = chain.entries().get(i).record();
            boolean exception = r instanceof Incident inc ? inc.incident() != IncidentType.VAULT_INSPECTION
                    : r instanceof Handoff h && h.bags().stream().anyMatch(m -> m.sealState() == SealState.BROKEN);
            if (exception) {
                expected.add(chain.entries().get(i).seq());
            }
        }
        try (Scratch scratch = new Scratch()) {
            Path file = scratch.file("ledger.db");
            LedgerVerifierPropertiesTest.store(chain, file, 3);
            AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults());
            assertTrue(report.intact(), report.summary());
            assertEquals(expected.size(), report.exceptionCount());
            assertEquals(expected, report.exceptions().stream().map(RecordedException::seq).toList());
            for (RecordedException e : report.exceptions()) {
                Entry stored = chain.entries().get((int) e.seq());
                assertEquals(chain.hashes().get((int) e.seq()), e.entry());
                assertEquals(stored.record().at(), e.at());
                assertEquals(stored.record().parties(), e.people());
            }
        }
    }
}
