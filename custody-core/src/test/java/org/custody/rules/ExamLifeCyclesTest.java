package org.custody.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.custody.model.Policy;
import org.custody.record.Record;
import org.custody.rules.ExamLifeCycles.Exam;
import org.custody.rules.ExamLifeCycles.Plan;
import org.custody.rules.ExamLifeCycles.SpareUse;
import org.junit.jupiter.api.Test;

/**
 * Checks of the generator itself over a fixed set of plans, so they never depend on luck: it produces every
 * variant it claims to, in ledger order, with vault reviews within the policy's interval.
 */
class ExamLifeCyclesTest {
    private static final Set<String> VARIANTS = Set.of("timetable by subject", "timetable by session",
            "answer sheets start at vault", "answer sheets start at pickup", "answer sheets start at collect",
            "escort in one leg", "escort in two legs", "site officer receives the box", "chief examiner receives the box",
            "answer sheets straight to the escort", "answer sheets via the site", "escort back in two legs",
            "unpacked at the vault", "left in the box at the vault", "box reused", "policy recorded on the print day", "policy recorded on the eve of the exam",
            "kept in the grading centre's vault",
            "opened at the earliest permitted minute", "back in the vault at the deadline",
            "grading out and back on two UTC dates");

    /** 120 plans drawn from a fixed seed over the same ranges as {@link ExamLifeCycles#plans()}. */
    static List<Plan> fixedPlans() {
        Random rnd = new Random(20210607);
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Policy policy = new Policy(ExamLifeCycles.EXAM, Policy.Mode.RECORD, 2 + rnd.nextInt(3), 3 + rnd.nextInt(3),
                    Duration.ofMinutes(rnd.nextInt(6)), Duration.ofMinutes(60 + rnd.nextInt(121)),
                    Duration.ofMinutes(120 + rnd.nextInt(241)), ZoneId.of(rnd.nextBoolean() ? "Asia/Shanghai" : "Asia/Urumqi"),
                    rnd.nextBoolean());
            plans.add(new Plan(1 + rnd.nextInt(4), 1 + rnd.nextInt(3), SpareUse.values()[rnd.nextInt(3)], rnd.nextBoolean(),
                    rnd.nextBoolean(), 1 + rnd.nextInt(2), policy, rnd.nextLong()));
        }
        return plans;
    }

    @Test
    void build_fixedPlans_coverEveryVariant() {
        Set<String> seen = new TreeSet<>();
        fixedPlans().forEach(plan -> seen.addAll(ExamLifeCycles.build(plan).features));
        Set<String> missing = new TreeSet<>(VARIANTS);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, () -> "variants never generated; seen " + seen);
    }

    @Test
    void build_fixedPlans_recordsInLedgerOrderAndVaultReviewedInTime() {
        for (Plan plan : fixedPlans()) {
            Exam exam = ExamLifeCycles.build(plan);
            List<Record> records = exam.records();
            for (int i = 1; i < records.size(); i++) {
                int at = i;
                assertTrue(!records.get(i).at().isBefore(records.get(i - 1).at()),
                        () -> "record " + at + " out of time order in\n" + exam.describe());
            }
            Duration limit = plan.policy().inspectionInterval();
            Map<Integer, List<Instant>> periods = new TreeMap<>();
            exam.inspections().forEach(i -> periods.computeIfAbsent(i.period(), p -> new ArrayList<>()).add(i.incident().at()));
            assertTrue(!periods.isEmpty(), () -> "no vault reviews in\n" + exam.describe());
            for (List<Instant> times : periods.values()) {
                for (int i = 1; i < times.size(); i++) {
                    Duration gap = Duration.between(times.get(i - 1), times.get(i));
                    Instant at = times.get(i);
                    assertTrue(gap.compareTo(limit) <= 0 && gap.compareTo(limit.dividedBy(2)) > 0,
                            () -> "vault review gap of " + gap + " at " + at + ", limit " + limit + " in\n" + exam.describe());
                }
            }
        }
    }
}
