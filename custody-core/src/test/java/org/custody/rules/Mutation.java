package org.custody.rules;

import static org.custody.rules.ExamLifeCycles.CHIEF;
import static org.custody.rules.ExamLifeCycles.DISCIPLINE;
import static org.custody.rules.ExamLifeCycles.GRADERS;
import static org.custody.rules.ExamLifeCycles.GRADING;
import static org.custody.rules.ExamLifeCycles.LEADER;
import static org.custody.rules.ExamLifeCycles.LEDGER;
import static org.custody.rules.ExamLifeCycles.OFFICERS;
import static org.custody.rules.ExamLifeCycles.RECUSED;
import static org.custody.rules.ExamLifeCycles.ROSTER;
import static org.custody.rules.ExamLifeCycles.VAULT;
import static org.custody.rules.ExamLifeCycles.hasRole;
import static org.custody.rules.ExamLifeCycles.local;
import static org.custody.rules.ExamLifeCycles.maySign;
import static org.custody.rules.ExamLifeCycles.minutes;
import static org.custody.rules.ExamLifeCycles.move;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.custody.audit.FindingCode;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.IncidentType;
import org.custody.model.PaperSet;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Record;
import org.custody.rules.ExamLifeCycles.Exam;
import org.custody.rules.ExamLifeCycles.Inspection;
import org.custody.rules.ExamLifeCycles.Plan;
import org.custody.rules.ExamLifeCycles.SpareUse;

/**
 * One change to a valid exam ({@link ExamLifeCycles}) that breaks exactly one custody rule, applied at a
 * random place where it applies. Each kind names the code it must be caught with; none is meant to break any
 * other rule, so the findings must contain that code and no other. {@link #adapt} makes sure the exam has a
 * place for the change (spare papers opened, unused papers destroyed, a backup in the box).
 */
enum Mutation {
    /** A handoff, once the policy is in force, left with fewer signers than it needs (one, when nobody releases). */
    R01_FEWER_SIGNERS(FindingCode.R01) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            int min = exam.policy().minSigners();
            List<Handoff> places = exam.handoffs().stream()
                    .filter(h -> h.step() != Step.DISTRIBUTE && h.step() != Step.ESCORT && h.step() != Step.RETURN_ESCORT)
                    .filter(h -> h.step() != Step.OPEN) // an opening's signers are also its invigilators (R20)
                    .filter(h -> (h.from() == null ? 1 : 2) < min && !h.at().isBefore(exam.policyFrom())).toList();
            return pick(places, rnd).map(h -> {
                int base = h.from() == null ? 1 : 2;
                int signers = base + rnd.nextInt(min - base);
                List<PersonId> kept = new ArrayList<>(h.witnesses());
                Collections.shuffle(kept, rnd);
                Handoff changed = people(h, h.from(), h.to(), kept.subList(0, signers - base));
                return done(exam.replace(h, changed), exam, "left " + describe(h, exam) + " with " + changed.parties()
                        + ", " + signers + " signer(s) where the policy needs " + min);
            });
        }
    },
    /** Sorting and distribution without a discipline inspector: each is replaced by another staff member. */
    R02_NO_INSPECTOR(FindingCode.R02) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.handoffs(Step.DISTRIBUTE), rnd).map(h -> {
                List<PersonId> staff = new ArrayList<>(ExamLifeCycles.eligible(Step.DISTRIBUTE).stream()
                        .filter(p -> !inspector(p) && !h.parties().contains(p)).toList());
                Collections.shuffle(staff, rnd);
                List<PersonId> witnesses = new ArrayList<>();
                for (PersonId w : h.witnesses()) {
                    witnesses.add(hasRole(w, Role.DISCIPLINE_INSPECTOR) ? staff.remove(0) : w);
                }
                return done(exam.replace(h, people(h, h.from(), h.to(), witnesses)), exam,
                        "replaced the discipline inspectors of " + describe(h, exam) + ": " + witnesses);
            });
        }
    },
    /** Sorting and distribution with one staff member fewer than the policy needs (inspectors keep the signer count). */
    R02_TOO_FEW_STAFF(FindingCode.R02) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.handoffs(Step.DISTRIBUTE), rnd).map(h -> {
                int needed = exam.policy().distributionStaff();
                List<PersonId> witnesses = new ArrayList<>(h.witnesses());
                Collections.shuffle(witnesses, rnd);
                long staff = h.parties().stream().filter(p -> !hasRole(p, Role.DISCIPLINE_INSPECTOR)).count();
                for (int i = witnesses.size() - 1; i >= 0 && staff > needed - 1; i--) {
                    if (!hasRole(witnesses.get(i), Role.DISCIPLINE_INSPECTOR)) {
                        witnesses.remove(i);
                        staff--;
                    }
                }
                for (PersonId inspector : DISCIPLINE) {
                    if ((h.from() == null ? 1 : 2) + witnesses.size() < exam.policy().minSigners() && !witnesses.contains(inspector)) {
                        witnesses.add(inspector);
                    }
                }
                return done(exam.replace(h, people(h, h.from(), h.to(), witnesses)), exam, "left " + describe(h, exam)
                        + " with " + staff + " staff where the policy needs " + needed + ": " + witnesses);
            });
        }
    },
    /** An escort (there or back) whose police officers are replaced by other staff. */
    R03_NO_POLICE(FindingCode.R03) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = new ArrayList<>(exam.handoffs(Step.ESCORT));
            places.addAll(exam.handoffs(Step.RETURN_ESCORT));
            return pick(places, rnd).map(h -> {
                List<PersonId> others = new ArrayList<>(ExamLifeCycles.eligible(h.step()).stream()
                        .filter(p -> !hasRole(p, Role.POLICE) && !h.parties().contains(p)).toList());
                Collections.shuffle(others, rnd);
                List<PersonId> witnesses = new ArrayList<>();
                for (PersonId w : h.witnesses()) {
                    witnesses.add(hasRole(w, Role.POLICE) ? others.remove(0) : w);
                }
                return done(exam.replace(h, people(h, h.from(), h.to(), witnesses)), exam,
                        "replaced the police of " + describe(h, exam) + ": " + witnesses);
            });
        }
    },
    /** A handoff released by someone (allowed for the step, not an inspector) who does not hold the bags. */
    R04_WRONG_RELEASER(FindingCode.R04) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = exam.handoffs().stream().filter(h -> h.from() != null)
                    .filter(h -> h.bags().stream().anyMatch(m -> exam.before(m.bag(), h).isPresent())).toList();
            return pick(places, rnd).flatMap(h -> {
                List<PersonId> others = ExamLifeCycles.eligible(h.step()).stream()
                        .filter(p -> !inspector(p) && !h.parties().contains(p)).toList();
                return pick(others, rnd).map(p -> done(exam.replace(h, people(h, p, h.to(), h.witnesses())), exam,
                        "made " + p + " release " + describe(h, exam) + " instead of " + h.from()));
            });
        }
    },
    /** Papers opened, or answer sheets collected, by someone allowed to but not holding them (these steps keep custody). */
    R04_WRONG_KEEPER(FindingCode.R04) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = exam.handoffs().stream().filter(h -> h.step() == Step.OPEN || h.step() == Step.COLLECT)
                    .filter(h -> h.bags().stream().anyMatch(m -> exam.before(m.bag(), h).isPresent())).toList();
            return pick(places, rnd).flatMap(h -> {
                // an invigilator in the invigilator's place, so that the opening keeps its invigilators (R20)
                List<PersonId> others = ExamLifeCycles.eligible(h.step()).stream()
                        .filter(p -> !inspector(p) && !chief(p) && !h.parties().contains(p))
                        .filter(p -> hasRole(p, Role.INVIGILATOR) || !hasRole(h.to(), Role.INVIGILATOR)).toList();
                return pick(others, rnd).map(p -> done(exam.replace(h, people(h, null, p, h.witnesses())), exam,
                        "made " + p + " do " + describe(h, exam) + " instead of " + h.to()));
            });
        }
    },
    /** A returned backup question-paper bag checked out for grading, a step for answer sheets only. */
    R05_WRONG_KIND(FindingCode.R05) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<BagId> unused = exam.bags.values().stream().filter(b -> b.kind() == BagKind.QUESTION_PAPER)
                    .map(Bag::id).filter(b -> Set.of(Step.VAULT_RETURN, Step.VAULT_IN, Step.DESTROY)
                            .contains(exam.lastOf(b).step())).toList();
            return pick(unused, rnd).map(bag -> {
                Handoff last = exam.lastOf(bag);
                Handoff added = handoff(exam, rnd, Step.GRADING_OUT, last.to(), LEADER, minutes(last.at(), 1 + rnd.nextInt(600)),
                        GRADING, GRADERS, move(bag));
                return done(exam.insert(added), exam, "added " + describe(added, exam));
            });
        }
    },
    /** A destroyed bag taken into the vault again: nothing may follow destruction. */
    R05_AFTER_DESTROY(FindingCode.R05) {
        @Override
        Plan adapt(Plan plan) {
            return plan.withDestroyBackups(true);
        }

        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<BagId> destroyed = exam.bags.keySet().stream().filter(b -> !exam.bag(b).kind().isContainer())
                    .filter(b -> exam.lastOf(b).step() == Step.DESTROY).toList();
            return pick(destroyed, rnd).map(bag -> {
                Handoff last = exam.lastOf(bag);
                Handoff added = handoff(exam, rnd, Step.VAULT_IN, last.to(), other(OFFICERS, last.to(), rnd),
                        minutes(last.at(), 1 + rnd.nextInt(600)), VAULT, List.of(DISCIPLINE.get(0), DISCIPLINE.get(1),
                                OFFICERS.get(3)), move(bag));
                return done(exam.insert(added), exam, "added " + describe(added, exam));
            });
        }
    },
    /** A backup left in its box while the box is escorted back and returned to the vault without it. */
    R05_LEFT_IN_BOX(FindingCode.R05) {
        @Override
        Plan adapt(Plan plan) {
            return plan.withWithdrawal(false);
        }

        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Moved> places = new ArrayList<>();
            for (Handoff h : exam.handoffs(Step.RETURN_ESCORT)) {
                for (BagMove m : h.bags()) {
                    Bag bag = exam.bag(m.bag());
                    Optional<BagMove> before = exam.before(m.bag(), h).flatMap(b -> moveOf(b, m.bag()));
                    if (bag.kind() != BagKind.ANSWER_SHEET && !bag.kind().isContainer()
                            && before.map(b -> b.container() != null).orElse(false)) {
                        places.add(new Moved(h, m.bag()));
                    }
                }
            }
            return pick(places, rnd).map(p -> {
                return done(dropFrom(exam, p.handoff(), List.of(p.bag())), exam, "left " + p.bag() + " in its box from "
                        + describe(p.handoff(), exam) + " on");
            });
        }
    },
    /** An opened question-paper bag picked up again: room pickup cannot follow opening. */
    R05_OUT_OF_ORDER(FindingCode.R05) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.handoffs(Step.OPEN), rnd).map(open -> {
                BagId bag = open.bags().get(0).bag();
                PersonId to = open.witnesses().get(rnd.nextInt(open.witnesses().size()));
                Handoff added = handoff(exam, rnd, Step.ROOM_PICKUP, open.to(), to, minutes(open.at(), 1 + rnd.nextInt(60)),
                        open.place(), ExamLifeCycles.eligible(Step.ROOM_PICKUP), move(bag));
                return done(exam.insert(added), exam, "added " + describe(added, exam));
            });
        }
    },
    /** Question papers opened between their room pickup and the permitted opening time. */
    R06_EARLY_OPEN(FindingCode.R06) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> opens = exam.handoffs(Step.OPEN).stream().filter(h -> !opensSpare(exam, h)).toList();
            return pick(opens, rnd).map(h -> {
                BagId bag = h.bags().get(0).bag();
                Instant earliest = exam.session(bag).startsAt().minus(exam.policy().openingLead());
                Instant pickup = exam.before(bag, h).orElseThrow().at();
                long window = Duration.between(pickup, earliest).toMinutes() - 1;
                Instant at = minutes(pickup, 1 + rnd.nextInt((int) window));
                return done(exam.replace(h, at(h, at)), exam, "opened " + describe(h, exam) + " at " + local(at, exam.zone())
                        + ", permitted from " + local(earliest, exam.zone()));
            });
        }
    },
    /** A count that does not reconcile: sealed, found at opening, collected, or attendance. */
    R07_WRONG_COUNT(FindingCode.R07) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = exam.handoffs().stream()
                    .filter(h -> h.step() == Step.SEAL || h.step() == Step.OPEN || h.step() == Step.COLLECT).toList();
            return pick(places, rnd).map(h -> {
                int i = rnd.nextInt(h.bags().size());
                BagMove m = h.bags().get(i);
                BagMove changed;
                String what;
                if (h.step() == Step.COLLECT && rnd.nextBoolean()) {
                    changed = m.attendance(off(m.present(), rnd), m.absent());
                    what = "present " + m.present() + " -> " + changed.present();
                } else {
                    changed = new BagMove(m.bag(), m.prev(), off(m.count(), rnd), m.present(), m.absent(), m.seal(),
                            m.sealState(), m.container());
                    what = "count " + m.count() + " -> " + changed.count();
                }
                List<BagMove> moves = new ArrayList<>(h.bags());
                moves.set(i, changed);
                return done(exam.replace(h, moves(h, moves)), exam, "changed " + m.bag() + " in " + describe(h, exam) + ": " + what);
            });
        }
    },
    /** Someone recused from the exam added as a signer of a handoff or an incident naming its bags. */
    R08_RECUSED_SIGNER(FindingCode.R08) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Record> places = exam.events.stream().filter(r -> !r.moves().isEmpty()).toList();
            return pick(places, rnd).map(r -> {
                Record changed;
                if (r instanceof Handoff h) {
                    List<PersonId> witnesses = new ArrayList<>(h.witnesses());
                    witnesses.add(rnd.nextInt(witnesses.size() + 1), RECUSED);
                    changed = people(h, h.from(), h.to(), witnesses);
                } else {
                    Incident i = (Incident) r;
                    List<PersonId> by = new ArrayList<>(i.by());
                    by.add(RECUSED);
                    changed = Incident.builder(i.incident()).id(i.id()).ledger(i.ledger()).at(i.at()).bags(i.bags()).by(by).place(i.place()).set(i.set())
                            .refers(i.refers()).note(i.note()).build();
                }
                return done(exam.replace(r, changed), exam, "added recused " + RECUSED + " to " + describe(r, exam));
            });
        }
    },
    /** A signer holding no role the step needs added to a handoff. */
    R08_WRONG_ROLE(FindingCode.R08) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.handoffs(), rnd).flatMap(h -> {
                List<PersonId> wrong = ROSTER.keySet().stream()
                        .filter(p -> !p.equals(RECUSED) && !maySign(p, h.step()) && !h.parties().contains(p)).toList();
                return pick(wrong, rnd).map(p -> {
                    List<PersonId> witnesses = new ArrayList<>(h.witnesses());
                    witnesses.add(p);
                    return done(exam.replace(h, people(h, h.from(), h.to(), witnesses)), exam, "added " + p + " "
                            + ROSTER.get(p).roles() + " to " + describe(h, exam));
                });
            });
        }
    },
    /** Spare papers opened without the recorded approval. */
    R09_NO_APPROVAL(FindingCode.R09) {
        @Override
        Plan adapt(Plan plan) {
            return plan.withSpares(SpareUse.OPENED);
        }

        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.incidents(IncidentType.SPARE_OPENING_APPROVAL), rnd)
                    .map(i -> done(exam.remove(i), exam, "removed " + describe(i, exam)));
        }
    },
    /** Spare papers opened before one chief examiner only: the others are replaced by other allowed signers. */
    R09_ONE_CHIEF(FindingCode.R09) {
        @Override
        Plan adapt(Plan plan) {
            return plan.withSpares(SpareUse.OPENED);
        }

        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> opens = exam.handoffs(Step.OPEN).stream().filter(h -> opensSpare(exam, h)).toList();
            return pick(opens, rnd).map(h -> {
                List<PersonId> others = new ArrayList<>(ExamLifeCycles.eligible(Step.OPEN).stream()
                        .filter(p -> !chief(p) && !h.parties().contains(p)).toList());
                Collections.shuffle(others, rnd);
                List<PersonId> witnesses = new ArrayList<>();
                boolean kept = false;
                for (PersonId w : h.witnesses()) {
                    if (chief(w) && (kept || rnd.nextInt(3) == 0)) {
                        witnesses.add(others.remove(0));
                    } else {
                        kept |= chief(w);
                        witnesses.add(w);
                    }
                }
                return done(exam.replace(h, people(h, h.from(), h.to(), witnesses)), exam,
                        "replaced chief examiners at " + describe(h, exam) + ": " + witnesses);
            });
        }
    },
    /** A session's answer sheets back in the vault after the policy's time limit (before their bags' next handoff). */
    R10_LATE_RETURN(FindingCode.R10) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = exam.handoffs(Step.VAULT_RETURN).stream().filter(h -> latest(exam, h) > 1).toList();
            return pick(places, rnd).map(h -> {
                Instant due = due(exam, h);
                Instant at = minutes(due, 1 + rnd.nextInt((int) Math.min(120, latest(exam, h) - 1)));
                requireBeforeNext(exam, h, at);
                return done(exam.replace(h, at(h, at)), exam, "delayed " + describe(h, exam) + " to " + local(at, exam.zone())
                        + ", due by " + local(due, exam.zone()));
            });
        }

        private Instant due(Exam exam, Handoff h) {
            ExamSession session = h.bags().stream().filter(m -> exam.bag(m.bag()).kind() == BagKind.ANSWER_SHEET)
                    .map(m -> exam.session(m.bag())).findFirst().orElseThrow();
            return session.endsAt().plus(exam.policy().returnWithin());
        }

        /** Minutes from the deadline to the next handoff of any bag returned (a reused box may leave again soon). */
        private long latest(Exam exam, Handoff h) {
            Instant next = h.bags().stream().map(m -> exam.after(m.bag(), h)).flatMap(Optional::stream).map(Handoff::at)
                    .min(Instant::compareTo).orElse(Instant.MAX);
            return next.equals(Instant.MAX) ? 121 : Duration.between(due(exam, h), next).toMinutes();
        }
    },
    /**
     * A session's answer sheets (with what came back with them) never returned to the vault: reported at the
     * end of the ledger, which a later vault review takes past the deadline.
     */
    R10_NEVER_RETURNED(FindingCode.R10) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = exam.handoffs(Step.VAULT_RETURN).stream().filter(h -> h.bags().stream()
                    .allMatch(m -> !exam.bag(m.bag()).kind().isContainer() || exam.after(m.bag(), h).isEmpty())).toList();
            return pick(places, rnd).map(h -> {
                List<BagId> bags = h.bags().stream().map(BagMove::bag).toList();
                ExamSession session = bags.stream().filter(b -> exam.bag(b).kind() == BagKind.ANSWER_SHEET)
                        .map(exam::session).findFirst().orElseThrow();
                Instant later = minutes(session.endsAt().plus(exam.policy().returnWithin()), 1 + rnd.nextInt(600));
                return done(reviewedAt(dropFrom(exam, h, bags), later), exam, "removed " + describe(h, exam)
                        + " and what followed for its bags; reviewed the vault at " + local(later, exam.zone()));
            });
        }
    },
    /**
     * Answer sheets reported lost (an incident naming them) after they left the room, and never returned:
     * reported at the end of the ledger, which a later vault review takes past the deadline.
     */
    R10_LOST(FindingCode.R10) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> places = exam.handoffs(Step.VAULT_RETURN).stream().filter(h -> h.bags().stream()
                    .allMatch(m -> !exam.bag(m.bag()).kind().isContainer() || exam.after(m.bag(), h).isEmpty())).toList();
            return pick(places, rnd).map(h -> {
                List<BagId> bags = h.bags().stream().map(BagMove::bag).toList();
                List<BagId> answers = bags.stream().filter(b -> exam.bag(b).kind() == BagKind.ANSWER_SHEET).toList();
                BagId lost = answers.get(rnd.nextInt(answers.size()));
                Handoff before = exam.before(lost, h).orElseThrow();
                Instant due = exam.session(lost).endsAt().plus(exam.policy().returnWithin());
                Incident incident = Incident.builder(IncidentType.LOST).id(RecordId.of("mutation-lost")).ledger(LEDGER).at(minutes(before.at(), 1))
                        .bags(List.of(move(lost))).by(List.of(before.to(), DISCIPLINE.get(0))).place(before.place()).note("答卷袋遗失").build();
                Exam mutated = reviewedAt(dropFrom(exam, h, bags), minutes(due, 1 + rnd.nextInt(600))).insert(incident);
                return done(mutated, exam, "removed " + describe(h, exam) + " and what followed; added " + describe(incident, exam));
            });
        }
    },
    /** Answer sheets checked out for grading returned the next day between midnight and 06:00, before the next round. */
    R11_RETURNED_NEXT_DAY(FindingCode.R11) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.handoffs(Step.GRADING_RETURN), rnd).map(h -> {
                Handoff out = exam.before(h.bags().get(0).bag(), h).orElseThrow();
                LocalDate next = LocalDate.ofInstant(out.at(), exam.zone()).plusDays(1);
                Instant at = minutes(next.atStartOfDay(exam.zone()).toInstant(), 1 + rnd.nextInt(360));
                requireBeforeNext(exam, h, at);
                return done(exam.replace(h, at(h, at)), exam, "moved " + describe(h, exam) + " to " + local(at, exam.zone()));
            });
        }
    },
    /**
     * Answer sheets checked out for grading never returned (sometimes reported lost there): reported at the end,
     * which a vault review the next day reaches.
     */
    R11_NEVER_RETURNED(FindingCode.R11) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            return pick(exam.handoffs(Step.GRADING_RETURN), rnd).map(h -> {
                Handoff out = exam.before(h.bags().get(0).bag(), h).orElseThrow();
                LocalDate next = LocalDate.ofInstant(out.at(), exam.zone()).plusDays(1);
                Instant later = minutes(next.atStartOfDay(exam.zone()).toInstant(), rnd.nextInt(1440));
                List<BagId> bags = h.bags().stream().map(BagMove::bag).toList();
                Exam mutated = reviewedAt(dropFrom(exam, h, bags), later);
                String change = "removed " + describe(h, exam) + " and what followed for its bags; reviewed the vault at "
                        + local(later, exam.zone());
                if (rnd.nextBoolean()) {
                    Incident lost = Incident.builder(IncidentType.LOST).id(RecordId.of("mutation-lost")).ledger(LEDGER).at(minutes(out.at(), 1 + rnd.nextInt(60))).bags(out.bags()).by(List.of(LEADER, DISCIPLINE.get(0))).place(GRADING).note("评卷中心答卷袋遗失").build();
                    mutated = mutated.insert(lost);
                    change += "; added " + describe(lost, exam);
                }
                return done(mutated, exam, change);
            });
        }
    },
    /**
     * One to three consecutive vault reviews left out while the vault keeps papers for the exam, between two reviews
     * of the same storage period after the policy is in force.
     */
    R12_INSPECTION_GAP(FindingCode.R12) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            // Until the policy record the regulations' 6 hours apply: the gap must come after it.
            Instant policy = exam.policyFrom();
            Map<Integer, List<Instant>> periods = new TreeMap<>();
            exam.inspections().forEach(i -> periods.computeIfAbsent(i.period(), p -> new ArrayList<>()).add(i.incident().at()));
            int count = 1 + rnd.nextInt(3);
            List<List<Instant>> runs = new ArrayList<>();
            for (int n = count; n >= 1 && runs.isEmpty(); n--) {
                for (List<Instant> times : periods.values()) {
                    for (int i = 1; i + n < times.size(); i++) {
                        if (!times.get(i - 1).isBefore(policy)) {
                            runs.add(times.subList(i, i + n));
                        }
                    }
                }
            }
            // only where the vault keeps papers for the exam then (R12 ends with exam keeping): the first such run
            Collections.shuffle(runs, rnd);
            for (List<Instant> times : runs) {
                Exam dropped = exam.withoutInspections(times);
                if (RuleEngineTest.run(dropped.records()).stream().anyMatch(f -> f.code() == FindingCode.R12)) {
                    return Optional.of(done(dropped, exam, "dropped the vault reviews at "
                            + times.stream().map(t -> local(t, exam.zone())).toList() + " (every "
                            + exam.policy().inspectionInterval().toMinutes() + " min needed)"));
                }
            }
            return Optional.empty();
        }
    },
    /** The set in use withdrawn (a suspected leak) before it is opened. */
    R13_WITHDRAWN_OPENED(FindingCode.R13) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<Handoff> opens = exam.handoffs(Step.OPEN);
            return pick(opens, rnd).map(open -> {
                Bag bag = exam.bag(open.bags().get(0).bag());
                Instant first = opens.stream().filter(o -> sameSet(exam.bag(o.bags().get(0).bag()), bag)).map(Handoff::at)
                        .min(Instant::compareTo).orElseThrow();
                Instant from = exam.handoffs(Step.DISTRIBUTE).stream()
                        .filter(d -> d.bags().stream().anyMatch(m -> m.bag().equals(bag.id()))).findFirst().orElseThrow().at();
                Instant at = minutes(from, rnd.nextInt((int) Duration.between(from, first).toMinutes()));
                Incident withdrawn = Incident.builder(IncidentType.SET_WITHDRAWN).id(RecordId.of("mutation")).ledger(LEDGER).at(at).bags(List.of())
                        .by(List.of(DISCIPLINE.get(0), CHIEF)).set(new PaperSet(bag.exam(), bag.session(), bag.subject(), bag.set())).note(bag.set() + "卷疑似泄密").build();
                return done(exam.insert(withdrawn), exam, "added " + describe(withdrawn, exam));
            });
        }
    },
    /** Answer sheets destroyed right after grading, years before their retention ends. */
    R14_EARLY_DESTROY(FindingCode.R14) {
        @Override
        Optional<Mutated> apply(Exam exam, Random rnd) {
            List<BagId> answers = exam.bags.values().stream().filter(b -> b.kind() == BagKind.ANSWER_SHEET).map(Bag::id).toList();
            return pick(answers, rnd).map(bag -> {
                Handoff last = exam.lastOf(bag);
                Handoff added = handoff(exam, rnd, Step.DESTROY, last.to(), other(OFFICERS, last.to(), rnd),
                        minutes(last.at(), 1 + rnd.nextInt(600)), last.place(), List.of(DISCIPLINE.get(0), DISCIPLINE.get(1),
                                OFFICERS.get(3)), move(bag));
                return done(exam.insert(added), exam, "added " + describe(added, exam));
            });
        }
    };

    final FindingCode code;

    Mutation(FindingCode code) {
        this.code = code;
    }

    /** The mutations that must be caught as {@code code}. */
    static List<Mutation> of(FindingCode code) {
        return Arrays.stream(values()).filter(m -> m.code == code).toList();
    }

    /** The plan changed, if need be, so the exam has a place for this mutation. */
    Plan adapt(Plan plan) {
        return plan;
    }

    /** This mutation at a random place of {@code exam}, or empty if it has none. */
    abstract Optional<Mutated> apply(Exam exam, Random rnd);

    /** A mutated exam, the exam it came from, and what was changed. */
    record Mutated(Mutation kind, Exam exam, Exam original, String change) {}

    Mutated done(Exam mutated, Exam original, String change) {
        return new Mutated(this, mutated, original, change);
    }

    private static <T> Optional<T> pick(List<T> from, Random rnd) {
        return from.isEmpty() ? Optional.empty() : Optional.of(from.get(rnd.nextInt(from.size())));
    }

    private static PersonId other(List<PersonId> people, PersonId not, Random rnd) {
        List<PersonId> others = ExamLifeCycles.without(people, not);
        return others.get(rnd.nextInt(others.size()));
    }

    static boolean inspector(PersonId p) {
        return hasRole(p, Role.DISCIPLINE_INSPECTOR) || hasRole(p, Role.PATROL_INSPECTOR);
    }

    static boolean chief(PersonId p) {
        return hasRole(p, Role.CHIEF_EXAMINER) || hasRole(p, Role.DEPUTY_CHIEF_EXAMINER);
    }

    static boolean opensSpare(Exam exam, Handoff h) {
        return h.bags().stream().anyMatch(m -> exam.bag(m.bag()).kind() == BagKind.SPARE_PAPER);
    }

    private static boolean sameSet(Bag a, Bag b) {
        return a.session().equals(b.session()) && a.subject().equals(b.subject()) && a.set().equals(b.set());
    }

    private static int off(Integer value, Random rnd) {
        int delta = 1 + rnd.nextInt(3);
        return value >= delta && rnd.nextBoolean() ? value - delta : value + delta;
    }

    private static Optional<BagMove> moveOf(Handoff h, BagId bag) {
        return h.bags().stream().filter(m -> m.bag().equals(bag)).findFirst();
    }

    /** {@code exam} without {@code bags} in {@code from} and their later handoffs; a handoff left with no bag goes. */
    private static Exam dropFrom(Exam exam, Handoff from, Collection<BagId> bags) {
        List<Record> events = new ArrayList<>(exam.events);
        for (BagId bag : bags) {
            List<Handoff> all = exam.handoffsOf(bag);
            for (Handoff later : all.subList(all.indexOf(from), all.size())) {
                int i = indexOf(events, later.id());
                Handoff h = (Handoff) events.get(i);
                List<BagMove> kept = h.bags().stream().filter(m -> !m.bag().equals(bag)).toList();
                if (kept.isEmpty()) {
                    events.remove(i);
                } else {
                    events.set(i, moves(h, kept));
                }
            }
        }
        return exam.withEvents(events);
    }

    private static int indexOf(List<Record> events, RecordId id) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no event " + id);
    }

    /** A vault review (a record that breaks nothing) at {@code at}, so the ledger reaches that time. */
    private static Exam reviewedAt(Exam exam, Instant at) {
        return exam.insert(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("mutation-review")).ledger(LEDGER).at(at).bags(List.of())
                .by(List.of(DISCIPLINE.get(0))).place(VAULT).note("监控回放正常").build());
    }

    /** A moved handoff must stay before the next handoff of each of its bags, or the mutation would break more. */
    private static void requireBeforeNext(Exam exam, Handoff h, Instant at) {
        for (BagMove m : h.bags()) {
            exam.after(m.bag(), h).filter(next -> !next.at().isAfter(at)).ifPresent(next -> {
                throw new IllegalStateException("mutation: moving " + describe(h, exam) + " to " + local(at, exam.zone())
                        + " passes " + describe(next, exam));
            });
        }
    }

    /** A new handoff with enough witnesses from {@code pool} for the policy (all allowed to sign the step). */
    private static Handoff handoff(Exam exam, Random rnd, Step step, PersonId from, PersonId to, Instant at, Place place,
                                   List<PersonId> pool, BagMove... moves) {
        List<PersonId> others = new ArrayList<>(pool.stream().filter(p -> maySign(p, step)).toList());
        others.remove(from);
        others.remove(to);
        Collections.shuffle(others, rnd);
        int wanted = Math.max(0, exam.policy().minSigners() - (from == null ? 1 : 2));
        return Handoff.builder(step).id(RecordId.of("mutation")).ledger(LEDGER).at(at).from(from).to(to).witnesses(others.subList(0, wanted)).place(place)
                .bags(List.of(moves)).build();
    }

    private static Handoff people(Handoff h, PersonId from, PersonId to, List<PersonId> witnesses) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(h.at()).from(from).to(to).witnesses(witnesses).place(h.place()).bags(h.bags()).note(h.note()).build();
    }

    private static Handoff at(Handoff h, Instant at) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(at).from(h.from()).to(h.to()).witnesses(h.witnesses()).place(h.place()).bags(h.bags()).note(h.note()).build();
    }

    private static Handoff moves(Handoff h, List<BagMove> moves) {
        return Handoff.builder(h.step()).id(h.id()).ledger(h.ledger()).at(h.at()).from(h.from()).to(h.to()).witnesses(h.witnesses()).place(h.place()).bags(moves).note(h.note()).build();
    }

    private static String describe(Record r, Exam exam) {
        return ExamLifeCycles.line(r, exam.zone());
    }

    /** A bag in one handoff. */
    private record Moved(Handoff handoff, BagId bag) {}
}
