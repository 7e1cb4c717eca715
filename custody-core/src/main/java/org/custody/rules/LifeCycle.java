package org.custody.rules;

import static org.custody.model.BagKind.ANSWER_SHEET;
import static org.custody.model.BagKind.MARKING_REFERENCE;
import static org.custody.model.BagKind.QUESTION_PAPER;
import static org.custody.model.BagKind.SPARE_PAPER;
import static org.custody.model.BagKind.TRANSPORT_BOX;
import static org.custody.model.BagKind.VAULT_CABINET;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.custody.model.BagKind;
import org.custody.model.Role;
import org.custody.model.Step;

/**
 * The bag life cycle of domain.md as data: which steps may follow which (R05), which kinds of bag each
 * step applies to, which roles may sign each step (R08), and which steps put bags in or take them out of
 * a vault (R12). {@code null} as a predecessor means "just registered".
 */
final class LifeCycle {
    private static final Map<Step, Set<Step>> AFTER = new EnumMap<>(Step.class);
    private static final Map<Step, Set<BagKind>> KINDS = new EnumMap<>(Step.class);
    private static final Map<Step, Set<Role>> ROLES = new EnumMap<>(Step.class);
    /** First steps of an answer-sheet bag; bags of papers always start with printing. */
    private static final Set<Step> ANSWER_FIRST = EnumSet.of(Step.VAULT_IN, Step.ROOM_PICKUP, Step.COLLECT);

    static {
        Set<BagKind> papers = EnumSet.of(QUESTION_PAPER, SPARE_PAPER, MARKING_REFERENCE);
        Set<BagKind> moving = EnumSet.of(QUESTION_PAPER, SPARE_PAPER, MARKING_REFERENCE, ANSWER_SHEET, TRANSPORT_BOX, VAULT_CABINET);
        Set<BagKind> answers = EnumSet.of(ANSWER_SHEET);

        step(Step.PRINT, papers, EnumSet.noneOf(Step.class));
        step(Step.SEAL, papers, EnumSet.of(Step.PRINT));
        step(Step.VAULT_IN, moving, EnumSet.of(Step.SEAL));
        step(Step.DISTRIBUTE, moving, EnumSet.of(Step.VAULT_IN, Step.VAULT_RETURN));
        step(Step.ESCORT, moving, EnumSet.of(Step.DISTRIBUTE, Step.ESCORT));
        step(Step.SITE_RECEIPT, moving, EnumSet.of(Step.ESCORT, Step.COLLECT));
        step(Step.ROOM_PICKUP, EnumSet.of(QUESTION_PAPER, SPARE_PAPER, ANSWER_SHEET),
                EnumSet.of(Step.ESCORT, Step.SITE_RECEIPT));
        step(Step.OPEN, papers, EnumSet.of(Step.ROOM_PICKUP, Step.SITE_RECEIPT));
        step(Step.COLLECT, answers, EnumSet.of(Step.ROOM_PICKUP, Step.SITE_RECEIPT));
        step(Step.RETURN_ESCORT, moving, EnumSet.of(Step.COLLECT, Step.SITE_RECEIPT, Step.ROOM_PICKUP, Step.RETURN_ESCORT,
                Step.ESCORT));
        step(Step.VAULT_RETURN, moving, EnumSet.of(Step.RETURN_ESCORT, Step.COLLECT));
        step(Step.GRADING_OUT, answers, EnumSet.of(Step.VAULT_RETURN, Step.GRADING_RETURN));
        step(Step.GRADING_RETURN, answers, EnumSet.of(Step.GRADING_OUT));
        step(Step.DESTROY, moving, EnumSet.of(Step.VAULT_IN, Step.VAULT_RETURN, Step.GRADING_RETURN));

        Set<Role> inspectors = EnumSet.of(Role.DISCIPLINE_INSPECTOR, Role.PATROL_INSPECTOR);
        roles(inspectors, EnumSet.of(Step.PRINT, Step.SEAL), Role.PRINT_SUPERVISOR, Role.PRINTER_STAFF, Role.CONFIDENTIALITY_OFFICER);
        roles(inspectors, EnumSet.of(Step.VAULT_IN, Step.DISTRIBUTE, Step.VAULT_RETURN, Step.DESTROY),
                Role.CONFIDENTIALITY_OFFICER, Role.ESCORT, Role.POLICE, Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER);
        roles(inspectors, EnumSet.of(Step.ESCORT, Step.RETURN_ESCORT, Step.SITE_RECEIPT), Role.ESCORT, Role.POLICE,
                Role.CONFIDENTIALITY_OFFICER, Role.CHIEF_EXAMINER, Role.DEPUTY_CHIEF_EXAMINER, Role.INVIGILATOR);
        roles(inspectors, EnumSet.of(Step.ROOM_PICKUP, Step.OPEN, Step.COLLECT), Role.CHIEF_EXAMINER,
                Role.DEPUTY_CHIEF_EXAMINER, Role.INVIGILATOR, Role.CONFIDENTIALITY_OFFICER);
        roles(inspectors, EnumSet.of(Step.GRADING_OUT, Step.GRADING_RETURN), Role.GRADING_LEADER, Role.GRADER,
                Role.CONFIDENTIALITY_OFFICER);
    }

    private static void step(Step step, Set<BagKind> kinds, Set<Step> after) {
        KINDS.put(step, Collections.unmodifiableSet(kinds));
        AFTER.put(step, Collections.unmodifiableSet(after));
    }

    private static void roles(Set<Role> everywhere, Set<Step> steps, Role... roles) {
        Set<Role> all = EnumSet.copyOf(everywhere);
        all.addAll(Set.of(roles));
        for (Step s : steps) {
            ROLES.put(s, Collections.unmodifiableSet(all));
        }
    }

    private LifeCycle() {}

    /**
     * Whether a bag of {@code kind} whose last step was {@code previous} ({@code null}: just registered) may
     * take {@code next}. Containers may make any move but nothing after destruction.
     */
    static boolean mayFollow(BagKind kind, Step previous, Step next) {
        if (previous == Step.DESTROY) {
            return false;
        }
        if (kind.isContainer()) {
            return true;
        }
        if (previous == null) {
            return kind == ANSWER_SHEET ? ANSWER_FIRST.contains(next) : next == Step.PRINT;
        }
        return AFTER.get(next).contains(previous);
    }

    static Set<Step> allowedAfter(BagKind kind, Step previous) {
        Set<Step> out = EnumSet.noneOf(Step.class);
        for (Step s : Step.values()) {
            if (mayFollow(kind, previous, s) && appliesTo(s, kind)) out.add(s);
        }
        return out;
    }

    static boolean appliesTo(Step step, BagKind kind) {
        return KINDS.get(step).contains(kind);
    }

    static Set<Role> roles(Step step) {
        return ROLES.get(step);
    }

}
