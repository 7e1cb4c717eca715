package org.custody.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.custody.failure.MalformedInputException;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.Quorum;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.junit.jupiter.api.Test;

/**
 * A policy's optional members on the wire (the stated quorums of R17, the station idle time): written only when stated,
 * read back exactly, refused when malformed or out of range.
 */
class PolicyGovernanceCodecTest {
    private static final LedgerId LEDGER = LedgerId.of("HN-ZSB-2021");
    private static final Instant AT = Instant.parse("2021-06-01T00:05:00Z");

    private static PolicyRecord record(Policy policy) {
        return new PolicyRecord(RecordId.of("policy-1"), LEDGER, AT, policy, List.of(PersonId.of("P001"), PersonId.of("P003")));
    }

    @Test
    void policyWithoutStatedQuorums_hasNoGovernanceMember_soOldPoliciesKeepTheirBytes() {
        String text = new String(RecordCodec.canonicalBytes(record(Policy.defaults("HN-ZSB-2021"))), StandardCharsets.UTF_8);
        assertFalse(text.contains("governance"), text);
    }

    @Test
    void statedQuorum_roundTripsExactly() {
        Quorum twoInspectorsAndAChief = new Quorum(List.of(new Quorum.Group(EnumSet.of(Role.DISCIPLINE_INSPECTOR), 2),
                new Quorum.Group(EnumSet.of(Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER), 1)));
        PolicyRecord p = record(Policy.defaults("HN-ZSB-2021").withQuorum("set_withdrawn", twoInspectorsAndAChief));
        byte[] bytes = RecordCodec.canonicalBytes(p);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"governance\":{\"set_withdrawn\":[{\"count\":2,\"roles\":[\"discipline_inspector\"]},"
                + "{\"count\":1,\"roles\":[\"chief_examiner\",\"deputy_chief_examiner\"]}]}"), text);
        PolicyRecord back = (PolicyRecord) RecordCodec.decode(bytes);
        assertEquals(p.policy(), back.policy());
        assertEquals(twoInspectorsAndAChief, back.policy().governance().get("set_withdrawn"));
    }

    @Test
    void quorumOfOnePerson_unknownRecordKind_orCheckpointSigners_areRefused() {
        Quorum.Group one = new Quorum.Group(EnumSet.of(Role.CHIEF_EXAMINER), 1);
        MalformedInputException alone = assertThrows(MalformedInputException.class, () -> new Quorum(List.of(one)));
        assertTrue(alone.getMessage().contains("no one governs alone"), alone.getMessage());
        Quorum two = new Quorum(List.of(one, one));
        MalformedInputException unknown = assertThrows(MalformedInputException.class,
                () -> Policy.defaults("E").withQuorum("handoff", two));
        assertTrue(unknown.getMessage().contains("'handoff'"), unknown.getMessage());
        assertThrows(MalformedInputException.class, () -> new Quorum.Group(EnumSet.of(Role.CHECKPOINT_SIGNER), 2));
    }

    @Test
    void governanceOnTheWireWithOneSigner_isMalformedAtItsPath() {
        String text = new String(RecordCodec.canonicalBytes(record(Policy.defaults("HN-ZSB-2021").withQuorum("policy",
                new Quorum(List.of(new Quorum.Group(EnumSet.of(Role.CHIEF_EXAMINER), 1),
                        new Quorum.Group(EnumSet.of(Role.DISCIPLINE_INSPECTOR), 1)))))), StandardCharsets.UTF_8);
        String alone = text.replace(",{\"count\":1,\"roles\":[\"discipline_inspector\"]}", "");
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> RecordCodec.decode(alone.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("governance.policy"), e.getMessage());
    }

    @Test
    void unsortedOrRepeatedRoles_orAnEmptyGovernanceObject_areMalformed_soOneRecordHasOneByteForm() {
        String text = new String(RecordCodec.canonicalBytes(record(Policy.defaults("HN-ZSB-2021").withQuorum("policy",
                new Quorum(List.of(new Quorum.Group(EnumSet.of(Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER), 1),
                        new Quorum.Group(EnumSet.of(Role.DISCIPLINE_INSPECTOR), 1)))))), StandardCharsets.UTF_8);
        String unsorted = text.replace("[\"chief_examiner\",\"deputy_chief_examiner\"]", "[\"deputy_chief_examiner\",\"chief_examiner\"]");
        String repeated = text.replace("[\"discipline_inspector\"]", "[\"discipline_inspector\",\"discipline_inspector\"]");
        int start = text.indexOf("\"governance\":");
        int end = text.indexOf("]}", text.indexOf("discipline_inspector", start)) + 2;
        String empty = text.substring(0, start) + "\"governance\":{}" + text.substring(end);
        for (String bad : List.of(unsorted, repeated, empty)) {
            assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    void stationIdle_writtenOnlyWhenStated_roundTrips_andOutOfRangeIsRefused() {
        String without = new String(RecordCodec.canonicalBytes(record(Policy.defaults("HN-ZSB-2021"))), StandardCharsets.UTF_8);
        assertFalse(without.contains("stationIdle"), without);
        assertEquals(Policy.STATION_IDLE, Policy.defaults("HN-ZSB-2021").stationIdleAllowed());
        PolicyRecord p = record(Policy.defaults("HN-ZSB-2021").withStationIdle(java.time.Duration.ofMinutes(15)));
        byte[] bytes = RecordCodec.canonicalBytes(p);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"stationIdleMinutes\":15"), text);
        PolicyRecord back = (PolicyRecord) RecordCodec.decode(bytes);
        assertEquals(p.policy(), back.policy());
        assertEquals(java.time.Duration.ofMinutes(15), back.policy().stationIdleAllowed());
        for (String wrong : List.of("0", "61", "-1")) {
            String bad = text.replace("\"stationIdleMinutes\":15", "\"stationIdleMinutes\":" + wrong);
            MalformedRecordException e = assertThrows(MalformedRecordException.class,
                    () -> RecordCodec.decode(bad.getBytes(StandardCharsets.UTF_8)), wrong);
            assertTrue(e.getMessage().contains("stationIdle"), e.getMessage());
        }
        assertThrows(MalformedInputException.class, () -> Policy.defaults("E").withStationIdle(java.time.Duration.ofSeconds(90)));
    }
}
