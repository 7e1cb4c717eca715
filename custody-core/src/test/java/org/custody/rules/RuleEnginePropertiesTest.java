package org.custody.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.Hash;
import org.custody.record.Record;
import org.custody.rules.ExamLifeCycles.Exam;
import org.custody.rules.ExamLifeCycles.Plan;
import org.custody.rules.Mutation.Mutated;

/**
 * Properties of the rule engine over random exam life cycles ({@link ExamLifeCycles}): a valid life cycle
 * yields no finding, and a single {@link Mutation} that breaks one rule is caught with that rule's code and
 * no other, each finding naming an entry with that entry's time and hash. A failure shows the change, the findings and
 * the whole generated case in local time.
 */
class RuleEnginePropertiesTest {
    private static final int TRIES = 50;

    @Provide
    Arbitrary<Plan> plans() {
        return ExamLifeCycles.plans();
    }

    @Property(tries = 100)
    void aValidLifeCycleYieldsNoFinding(@ForAll("plans") Plan plan) {
        Exam exam = ExamLifeCycles.build(plan);
        List<Record> records = exam.records();
        for (int i = 1; i < records.size(); i++) {
            assertFalse(records.get(i).at().isBefore(records.get(i - 1).at()), "records out of ledger order at " + i);
        }
        List<Finding> findings = RuleEngineTest.run(records);
        assertEquals(List.of(), findings, () -> "findings on a valid life cycle:\n" + lines(findings) + exam.describe());
    }

    @Property(tries = TRIES)
    void r01_tooFewSigners_caughtAsR01(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R01, plan, pick);
    }

    @Property(tries = TRIES)
    void r02_distributionWithoutInspectorOrStaff_caughtAsR02(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R02, plan, pick);
    }

    @Property(tries = TRIES)
    void r03_escortWithoutPolice_caughtAsR03(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R03, plan, pick);
    }

    @Property(tries = TRIES)
    void r04_releasedByWrongPerson_caughtAsR04(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R04, plan, pick);
    }

    @Property(tries = 2 * TRIES)
    void r05_stepOutOfLifeCycle_caughtAsR05(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R05, plan, pick);
    }

    @Property(tries = TRIES)
    void r06_openedTooEarly_caughtAsR06(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R06, plan, pick);
    }

    @Property(tries = TRIES)
    void r07_countOff_caughtAsR07(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R07, plan, pick);
    }

    @Property(tries = TRIES)
    void r08_recusedOrWrongRoleSigner_caughtAsR08(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R08, plan, pick);
    }

    @Property(tries = TRIES)
    void r09_spareOpenedWithoutApprovalOrChiefs_caughtAsR09(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R09, plan, pick);
    }

    @Property(tries = TRIES)
    void r10_answerSheetsBackLate_caughtAsR10(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R10, plan, pick);
    }

    @Property(tries = TRIES)
    void r11_gradingReturnedNextDay_caughtAsR11(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R11, plan, pick);
    }

    @Property(tries = TRIES)
    void r12_vaultReviewsMissed_caughtAsR12(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R12, plan, pick);
    }

    @Property(tries = TRIES)
    void r13_withdrawnSetOpened_caughtAsR13(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R13, plan, pick);
    }

    @Property(tries = TRIES)
    void r14_answerSheetsDestroyedEarly_caughtAsR14(@ForAll("plans") Plan plan, @ForAll long pick) {
        assertCaught(FindingCode.R14, plan, pick);
    }

    /**
     * Applies one of the mutations for {@code code} (chosen by {@code pick}) to the exam of {@code plan} at a
     * place chosen by {@code pick}, and checks the findings are of that code, at least one.
     */
    private static void assertCaught(FindingCode code, Plan plan, long pick) {
        List<Mutation> kinds = Mutation.of(code);
        Mutation kind = kinds.get((int) Math.floorMod(pick, (long) kinds.size()));
        Exam exam = ExamLifeCycles.build(kind.adapt(plan));
        Mutated mutated = kind.apply(exam, new Random(pick))
                .orElseThrow(() -> new AssertionError(kind + " found no place in\n" + exam.describe()));
        List<Record> records = mutated.exam().records();
        List<Finding> findings = run(records);
        Set<FindingCode> codes = new TreeSet<>();
        findings.forEach(f -> codes.add(f.code()));
        Supplier<String> context = () -> kind + ": " + mutated.change() + "\nfindings:\n" + lines(findings)
                + "case:\n" + mutated.exam().describe();
        assertTrue(codes.contains(code), context);
        assertEquals(Set.of(code), codes, context);
        for (Finding f : findings) {
            assertEquals(records.get((int) f.seq()).at(), f.at(), () -> "finding names entry " + f.seq() + " but the time of "
                    + "another: " + f + "\n" + context.get());
            assertEquals(hash(f.seq()), f.entry(), () -> "finding names entry " + f.seq() + " but not its hash: " + f + "\n"
                    + context.get());
        }
    }

    /** Runs the engine over {@code records} as entries 0, 1, ... with distinct stand-in hashes, then to the end. */
    private static List<Finding> run(List<Record> records) {
        RuleEngine engine = new RuleEngine();
        List<Finding> out = new ArrayList<>();
        for (int seq = 0; seq < records.size(); seq++) {
            out.addAll(engine.checkAndApply(seq, hash(seq), records.get(seq)));
        }
        out.addAll(engine.finish(engine.latest()));
        return out;
    }

    /** The stand-in hash of entry {@code seq}: its number in the first 8 bytes. */
    static Hash hash(long seq) {
        return Hash.of(ByteBuffer.allocate(Hash.LENGTH).putLong(seq).array());
    }

    static String lines(List<Finding> findings) {
        StringBuilder out = new StringBuilder();
        findings.forEach(f -> out.append("  ").append(f).append('\n'));
        return out.toString();
    }
}
