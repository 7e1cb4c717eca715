package org.custody.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.custody.crypto.Hash;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PersonId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.junit.jupiter.api.Test;

/**
 * The rows of the rules' state (docs/formats.md §7.1) hold every field the rules remember: a bag or vault with every
 * field set survives its row unchanged. A field added to {@link BagState} or {@link VaultState} without a member in
 * its row fails here (the setup below requires every field to be set), which is the moment to bump
 * {@link RuleEngine#STATE_VERSION}.
 */
class StateCodecTest {
    private static final Instant T = Instant.parse("2026-06-07T08:00:00.125Z");

    @Test
    void aBagWithEveryFieldSet_survivesItsRow() throws Exception {
        BagId id = BagId.of("HN-01-ENG-A");
        BagState b = new BagState(Bag.papers(id, BagKind.ANSWER_SHEET, "HN-2026", "K01", "01", "S1", "ENG", "A", 30,
                Secrecy.CONFIDENTIAL), T);
        b.lastSeq = 41;
        b.lastHash = Hash.fromHex("11".repeat(32));
        b.lastEntryAt = T.plusSeconds(1);
        b.holder = PersonId.of("P007");
        b.lastStep = Step.GRADING_OUT;
        b.lastAt = T.plusSeconds(2);
        b.container = BagId.of("BOX-1");
        b.sealedCount = 30;
        b.lastCount = 29;
        b.vault = "VAULT-1";
        b.archived = true;
        b.collectedAt = T.plusSeconds(3);
        b.gradingOutAt = T.plusSeconds(4);
        b.returnedToVault = true;
        b.spareApproved = true;
        b.destroyed = true;
        b.sealNumber = "S-0001";
        b.resealing = true;
        b.atSite = true;
        b.stepCounts.put(Step.SEAL, new BagCounts.Counted(30, 12));
        b.stepCounts.put(Step.GRADING_OUT, new BagCounts.Counted(29, 40));
        b.attendance = 30;
        requireEverySet(b);
        CustodyState state = new CustodyState(null);
        state.bags.put(id, b);
        RuleEngine.Row row = StateCodec.row(state, StateCodec.BAG, id.value()).orElseThrow();
        assertEquals("BOX-1", row.group());
        BagState back = StateCodec.bag(id, row.value());
        assertSameFields(b, back);
        assertEquals("{\"bag\":{\"id\":\"HN-01-ENG-A\",\"kind\":\"answer_sheet\",\"exam\":\"HN-2026\",\"site\":\"K01\","
                + "\"room\":\"01\",\"session\":\"S1\",\"subject\":\"ENG\",\"set\":\"A\",\"copies\":30,\"secrecy\":\"confidential\"},"
                + "\"lastSeq\":41,\"lastHash\":\"" + "11".repeat(32) + "\",\"lastEntryAt\":\"2026-06-07T08:00:01.125Z\","
                + "\"holder\":\"P007\",\"lastStep\":\"grading_out\",\"lastAt\":\"2026-06-07T08:00:02.125Z\",\"container\":\"BOX-1\","
                + "\"sealedCount\":30,\"lastCount\":29,\"vault\":\"VAULT-1\",\"archived\":true,\"collectedAt\":\"2026-06-07T08:00:03.125Z\","
                + "\"gradingOutAt\":\"2026-06-07T08:00:04.125Z\",\"returnedToVault\":true,\"spareApproved\":true,\"destroyed\":true,"
                + "\"sealNumber\":\"S-0001\",\"resealing\":true,\"atSite\":true,"
                + "\"counts\":{\"seal\":{\"copies\":30,\"seq\":12},\"grading_out\":{\"copies\":29,\"seq\":40}},\"attendance\":30}", new String(row.value(), StandardCharsets.UTF_8),
                "the row, member for member in the order of formats.md §7.1");
        BagState bare = new BagState(Bag.papers(id, BagKind.QUESTION_PAPER, "HN-2026", "K01", "01", "S1", "ENG", "A", 30, Secrecy.SECRET), T);
        assertEquals("{\"bag\":{\"id\":\"HN-01-ENG-A\",\"kind\":\"question_paper\",\"exam\":\"HN-2026\",\"site\":\"K01\","
                + "\"room\":\"01\",\"session\":\"S1\",\"subject\":\"ENG\",\"set\":\"A\",\"copies\":30,\"secrecy\":\"secret\"},"
                + "\"lastSeq\":0,\"lastEntryAt\":\"2026-06-07T08:00:00.125Z\",\"lastAt\":\"2026-06-07T08:00:00.125Z\"}",
                new String(StateCodec.bagBytes(bare), StandardCharsets.UTF_8), "optional members left out");
        assertEquals(new String(row.value(), StandardCharsets.UTF_8),
                new String(StateCodec.row(withBag(back), StateCodec.BAG, id.value()).orElseThrow().value(), StandardCharsets.UTF_8));
    }

    @Test
    void aVaultWithEveryFieldSet_survivesItsRow() throws Exception {
        VaultState v = new VaultState("VAULT-1");
        v.stored = 3;
        v.answersInKeeping = 2;
        v.papers.putAll(Map.of("HN-2026", 1, "HN-2025", 0));
        v.answersKeptUntil = T;
        v.lastCheck = T.plusSeconds(60);
        v.lastCheckSeq = 17;
        v.lastCheckHash = Hash.fromHex("22".repeat(32));
        requireEverySet(v);
        CustodyState state = new CustodyState(null);
        state.vaults.put(v.place, v);
        RuleEngine.Row row = StateCodec.row(state, StateCodec.VAULT, v.place).orElseThrow();
        assertEquals("{\"stored\":3,\"answersInKeeping\":2,\"papers\":{\"HN-2025\":0,\"HN-2026\":1},"
                + "\"answersKeptUntil\":\"2026-06-07T08:00:00.125Z\",\"lastCheck\":\"2026-06-07T08:01:00.125Z\","
                + "\"lastCheckSeq\":17,\"lastCheckHash\":\"" + "22".repeat(32) + "\"}", new String(row.value(), StandardCharsets.UTF_8));
        CustodyState loaded = new CustodyState(null);
        StateCodec.load(loaded, new RuleEngine.StateRows() {
            @Override
            public java.util.Optional<byte[]> row(String kind, String key) {
                return java.util.Optional.empty();
            }

            @Override
            public void rows(String kind, java.util.function.BiConsumer<String, byte[]> each) {
                if (kind.equals(StateCodec.VAULT)) {
                    each.accept(v.place, row.value());
                }
            }

            @Override
            public java.util.List<String> keys(String kind, String group) {
                return java.util.List.of();
            }
        });
        assertSameFields(v, loaded.vaults.get(v.place));
    }

    /** A policy's quorums are written in one order, whatever order the map a JVM builds iterates in. */
    @Test
    void aPolicyRow_listsItsQuorumsSorted() {
        java.util.Map<String, org.custody.model.Quorum> quorums = new java.util.LinkedHashMap<>();
        java.util.List<String> actions = new java.util.ArrayList<>(org.custody.model.Quorum.ACTIONS);
        java.util.Collections.reverse(actions);
        for (String action : actions) {
            quorums.put(action, new org.custody.model.Quorum(java.util.List.of(new org.custody.model.Quorum.Group(
                    java.util.Set.of(org.custody.model.Role.DISCIPLINE_INSPECTOR, org.custody.model.Role.CONFIDENTIALITY_OFFICER), 2))));
        }
        org.custody.model.Policy base = org.custody.model.Policy.defaults("HN-2026");
        org.custody.model.Policy policy = new org.custody.model.Policy(base.exam(), base.mode(), base.minSigners(),
                base.distributionStaff(), base.openingLead(), base.returnWithin(), base.inspectionInterval(), base.zone(),
                base.answerSheetsScanned(), quorums, null, null);
        CustodyState state = new CustodyState(null);
        state.policies.put("HN-2026", policy);
        String row = new String(StateCodec.row(state, StateCodec.POLICY, "HN-2026").orElseThrow().value(), StandardCharsets.UTF_8);
        java.util.List<String> sorted = new java.util.ArrayList<>(org.custody.model.Quorum.ACTIONS);
        java.util.Collections.sort(sorted);
        int at = -1;
        for (String action : sorted) {
            int next = row.indexOf("\"" + action + "\"");
            assertFalse(next < at, action + " out of order in " + row);
            at = next;
        }
    }

    private static CustodyState withBag(BagState bag) {
        CustodyState state = new CustodyState(null);
        state.bags.put(bag.bag.id(), bag);
        return state;
    }

    /** Every instance field holds something other than its type's default: a new field must be set above. */
    private static void requireEverySet(Object o) throws IllegalAccessException {
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            Object value = f.get(o);
            boolean unset = value == null || Boolean.FALSE.equals(value) || (value instanceof Number n && n.longValue() == 0)
                    || (value instanceof Map<?, ?> m && m.isEmpty());
            assertFalse(unset, o.getClass().getSimpleName() + "." + f.getName() + " is not set by this test: set it, and make"
                    + " sure StateCodec writes and reads it");
        }
    }

    private static void assertSameFields(Object expected, Object actual) throws IllegalAccessException {
        for (Field f : expected.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            assertEquals(f.get(expected), f.get(actual), f.getName());
        }
    }
}
