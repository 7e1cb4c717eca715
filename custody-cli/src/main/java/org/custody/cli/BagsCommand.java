package org.custody.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.PlaceKind;
import org.custody.model.RegisteredPlace;
import org.custody.model.ExamSession;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;
import org.custody.record.SignedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody bags}: bag registrations from the room plan, and what the ledger holds. */
@Command(name = "bags", mixinStandardHelpOptions = true,
        description = "Bags (试卷袋) and containers: register them from the room plan, list them with where each is now.",
        subcommands = {BagsCommand.Import.class, BagsCommand.ListBags.class, BagsCommand.Late.class})
final class BagsCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("name what to do with bags: import, list or late ('custody bags --help')");
    }

    /** {@code custody bags import}: the room plan into registrations and the timetable. */
    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import a room plan CSV (考场编排: exam, site, room, session, subject, starts_at, ends_at, candidates,"
                    + " sets) as bag registrations and the exam timetable.",
                    "Per room and session: a question-paper bag per set (EXAM.SITE.ROOM.SESSION.SUBJECT.SET) and an answer-sheet"
                            + " bag (…SUBJECT.ANS), each for one copy per candidate; per site and session a transport box"
                            + " (EXAM.BOX.SITE.SESSION). Bags already registered are skipped; the rest are stored together"
                            + " or not at all."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Option(names = "--plan", required = true, paramLabel = "CSV", description = "the room plan (format: docs/cli.md)")
        Path plan;

        @Option(names = "--by", required = true, paramLabel = "PERSON", description = "who signs the registration (repeatable)")
        List<String> by;

        @Option(names = "--secrecy", defaultValue = "confidential", paramLabel = "LEVEL",
                description = "secrecy of question papers: top_secret 绝密, confidential 机密 (default), secret 秘密")
        String secrecy;

        @Option(names = "--answer-secrecy", defaultValue = "secret", paramLabel = "LEVEL",
                description = "secrecy of answer sheets (default: ${DEFAULT-VALUE})")
        String answerSecrecy;

        @Option(names = "--no-answer-sheets", description = "do not register answer-sheet bags")
        boolean noAnswerSheets;

        @Option(names = "--no-boxes", description = "do not register transport boxes")
        boolean noBoxes;

        @Option(names = "--vault", paramLabel = "ID[=NAME]",
                description = "register a vault (保密室) by the place id records give for it (repeatable), e.g. VAULT=省考试院保密室:"
                        + " handoffs into a vault and its video reviews must then name a registered one (R24)")
        List<String> vaults = new ArrayList<>();

        @Option(names = "--no-rooms", description = "do not register the plan's exam rooms as places (SITE-ROOM, e.g. K01-05)")
        boolean noRooms;

        @Option(names = "--at", paramLabel = "TIME", description = "when (default: now)")
        String at;

        @Mixin
        SignerOptions signerOptions;

        /** The vaults of --vault and, unless --no-rooms, the plan's exam rooms, less those already registered. */
        private List<RegisteredPlace> newPlaces(List<RoomPlan.Exam> exams, Set<String> known) {
            Map<String, RegisteredPlace> places = new LinkedHashMap<>();
            for (String v : vaults) {
                int eq = v.indexOf('=');
                String id = (eq < 0 ? v : v.substring(0, eq)).strip();
                String name = eq < 0 ? null : v.substring(eq + 1).strip();
                try {
                    places.put(id, RegisteredPlace.vault(id, name == null || name.isEmpty() ? null : name));
                } catch (MalformedInputException e) {
                    throw new UserError("--vault '" + v + "': " + e.getMessage());
                }
            }
            if (!noRooms) {
                for (RoomPlan.Exam exam : exams) {
                    for (Bag b : exam.everything()) {
                        if (b.kind() == BagKind.QUESTION_PAPER && b.site() != null && b.room() != null) {
                            RegisteredPlace room = RegisteredPlace.room(b.site(), b.room());
                            places.putIfAbsent(room.id(), room);
                        }
                    }
                }
            }
            places.keySet().removeAll(known);
            return List.copyOf(places.values());
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant time = Times.parse("--at", at, where.zone);
            RoomPlan.Options options = new RoomPlan.Options(secrecy("--secrecy", secrecy), secrecy("--answer-secrecy", answerSecrecy),
                    !noAnswerSheets, !noBoxes);
            List<RoomPlan.Exam> exams = RoomPlan.read(plan, options);
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                Map<PersonId, Person> people = l.people();
                List<PersonId> signers = by.stream().map(PersonId::of).distinct().toList();
                signers.forEach(p -> KeysCommand.requirePerson(people, p));
                requirePolicies(l, exams);
                Set<BagId> known = l.bags().stream().map(Bag::id).collect(Collectors.toSet());
                List<Record> records = new ArrayList<>();
                List<RegisteredPlace> places = newPlaces(exams, l.places().stream().map(RegisteredPlace::id).collect(Collectors.toSet()));
                // the places go with the first registration of bags (one record), or alone if no bag is new
                List<RegisteredPlace> unplaced = new ArrayList<>(places);
                Map<String, List<Bag>> added = new LinkedHashMap<>();
                for (RoomPlan.Exam exam : exams) {
                    List<Bag> fresh = exam.everything().stream().filter(b -> !known.contains(b.id())).toList();
                    if (fresh.isEmpty()) {
                        continue;
                    }
                    added.put(exam.exam(), fresh);
                    Set<String> sessions = fresh.stream().filter(b -> b.session() != null)
                            .map(b -> b.session() + "/" + (b.kind().isContainer() ? "" : b.subject())).collect(Collectors.toSet());
                    List<ExamSession> timetable = exam.sessions().stream()
                            .filter(s -> sessions.contains(s.session() + "/" + s.subject()) || sessions.contains(s.session() + "/"))
                            .toList();
                    if (!timetable.isEmpty()) {
                        records.add(new ScheduleRecord(RecordId.random(), l.id(), time, exam.exam(), timetable, signers));
                    }
                    for (int i = 0; i < fresh.size(); i += Record.MAX_BAGS) {
                        List<RegisteredPlace> with = take(unplaced);
                        records.add(new Registration(RecordId.random(), l.id(), time,
                                fresh.subList(i, Math.min(fresh.size(), i + Record.MAX_BAGS)), signers, with));
                    }
                }
                while (!unplaced.isEmpty()) {
                    records.add(new Registration(RecordId.random(), l.id(), time, List.of(), signers, take(unplaced)));
                }
                if (records.isEmpty()) {
                    out.println("nothing new to register: every bag and place of " + plan + " is already in the ledger");
                    return Exit.OK;
                }
                Signers keys = new Signers(signerOptions, Custody.terminal(spec), spec.commandLine().getErr());
                List<SignedRecord> signed = new ArrayList<>();
                for (Record r : records) {
                    signed.add(keys.sign(l.draft(r), people, Map.of(), l.suite().signature()));
                }
                l.appendAll(signed);
                for (RoomPlan.Exam exam : exams) {
                    List<Bag> fresh = added.get(exam.exam());
                    if (fresh == null) {
                        continue;
                    }
                    Map<BagKind, Long> kinds = fresh.stream().collect(Collectors.groupingBy(Bag::kind, LinkedHashMap::new, Collectors.counting()));
                    out.println("registered " + fresh.size() + " bags and boxes for exam " + exam.exam() + ": " + kinds.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey().wire() + " " + e.getKey().chinese()).collect(Collectors.joining(", ")));
                    out.println("  timetable: " + exam.sessions().size() + " session" + (exam.sessions().size() == 1 ? "" : "s"));
                    for (RoomPlan.Box box : exam.boxes()) {
                        if (fresh.stream().anyMatch(b -> b.id().equals(box.box().id()))) {
                            out.println("  " + box.box().id() + " carries " + box.holds().size() + " bags of site " + box.box().site()
                                    + " (put them in with 'custody handoff --into " + box.box().id() + "')");
                        }
                    }
                }
                printPlaces(out, places);
                out.println("skipped " + (exams.stream().mapToInt(e -> e.everything().size()).sum()
                        - added.values().stream().mapToInt(List::size).sum()) + " already registered");
            }
            return Exit.OK;
        }

        /** Up to {@link Registration#MAX_PLACES} of {@code places}, removed from it. */
        private static List<RegisteredPlace> take(List<RegisteredPlace> places) {
            List<RegisteredPlace> some = new ArrayList<>(places.subList(0, Math.min(places.size(), Registration.MAX_PLACES)));
            places.subList(0, some.size()).clear();
            return some;
        }

        private static void printPlaces(PrintWriter out, List<RegisteredPlace> places) {
            if (places.isEmpty()) {
                return;
            }
            Map<PlaceKind, Long> kinds = places.stream().collect(Collectors.groupingBy(RegisteredPlace::kind,
                    () -> new java.util.EnumMap<>(PlaceKind.class), Collectors.counting()));
            out.println("registered " + places.size() + " place" + (places.size() == 1 ? "" : "s") + ": " + kinds.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().wire() + " " + e.getKey().chinese()).collect(Collectors.joining(", "))
                    + " (records name them by id: " + places.stream().limit(4).map(RegisteredPlace::id).collect(Collectors.joining(", "))
                    + (places.size() > 4 ? ", …" : "") + ")");
        }

        private static Secrecy secrecy(String option, String value) {
            try {
                return org.custody.model.Labelled.fromWire(Secrecy.class, value);
            } catch (MalformedInputException | IllegalArgumentException e) {
                throw new UserError(option + ": " + e.getMessage());
            }
        }
    }

    /** {@code custody bags list}: registered bags with where each stands now, from the ledger's bag index. */
    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"List registered bags and containers with their last step, current holder, the container each is"
                    + " in and any time limit running (R10, R11): all of them, or those of an exam, site, room, session,"
                    + " subject, kind, stage, step or holder (given together, all must match).",
                    "Read from the ledger's bag index, in the size of the answer: no history is read and nothing is verified"
                            + " ('custody verify' checks the index with the rest)."})
    static final class ListBags implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOrServer where;

        @Mixin
        BagFilter filter;

        @Option(names = "--in", paramLabel = "BOX", description = "only the bags now in this container (not with --limit or --after)")
        String in;

        @Option(names = "--count", description = "print how many bags stand at each step instead of listing them")
        boolean count;

        @Mixin
        PageOptions paging;

        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
                description = "text (default) or json (the server's page: items and next, docs/server.md)")
        QuestionOutput.Format format;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            org.custody.store.BagQuery query = filter.query();
            try (Questions questions = Questions.of(where)) {
                if (count) {
                    java.util.Map<String, Long> steps = questions.stepCounts(query);
                    if (format == QuestionOutput.Format.json) {
                        com.fasterxml.jackson.databind.node.ObjectNode body = QuestionOutput.object();
                        com.fasterxml.jackson.databind.node.ObjectNode counts = body.putObject("steps");
                        steps.forEach(counts::put);
                        QuestionOutput.print(out, body);
                    } else {
                        QuestionOutput.counts(out, steps);
                    }
                    return Exit.OK;
                }
                if (in != null && (paging.limit != null || paging.after != null)) {
                    // a box holds a few dozen bags: its list is one answer, filtered from the bags asked about
                    throw new UserError("--in lists all the bags in the box: give it without --limit or --after"
                            + " (--in 与 --limit/--after 不能同时使用)");
                }
                PageOptions.Answer answer = paging.ask(questions::bags, query);
                List<com.fasterxml.jackson.databind.JsonNode> items = answer.items();
                if (in != null) {
                    items = items.stream().filter(p -> in.equals(p.path("container").asText(null))).toList();
                }
                if (format == QuestionOutput.Format.json) {
                    QuestionOutput.json(out, items, answer.next());
                    return Exit.OK;
                }
                items.forEach(p -> out.println(QuestionOutput.bag(p)));
                if (items.isEmpty()) {
                    out.println(in != null ? "no bag is in " + in : filter.any() ? "no bag matches " + filter
                            : "no bags registered yet ('custody bags import')");
                }
                answer.next().ifPresent(next -> out.println("… more: --after " + next));
            }
            return Exit.OK;
        }
    }

    /** {@code custody bags late}: what is overdue now (or at a time), from the bags a time limit runs for. */
    @Command(name = "late", mixinStandardHelpOptions = true,
            description = {"List what is overdue now or at --at: answer-sheet bags not back in the vault in time (R10),"
                    + " bags out for grading not returned the same day (R11), vaults not inspected (R12).",
                    "Read from the bags a time limit runs for (the ledger's bag index), not from every bag; the same findings"
                            + " a verification at that time reports at its end. Exit status 0 whether or not any is late."})
    static final class Late implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOrServer where;

        @Option(names = "--at", paramLabel = "TIME", description = "as of when (default: now)")
        String at;

        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
                description = "text (default) or json (the server's answer: at and findings)")
        QuestionOutput.Format format;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant asOf = at == null ? Instant.now() : Times.parse("--at", at, where.zone);
            try (Questions questions = Questions.of(where)) {
                List<com.fasterxml.jackson.databind.JsonNode> findings = questions.late(asOf);
                if (format == QuestionOutput.Format.json) {
                    com.fasterxml.jackson.databind.node.ObjectNode body = QuestionOutput.object();
                    body.put("at", asOf.toString());
                    body.putArray("findings").addAll(findings);
                    QuestionOutput.print(out, body);
                    return Exit.OK;
                }
                String when = Times.local(where.zone).format(asOf);
                if (findings.isEmpty()) {
                    out.println("nothing is overdue at " + when + " / 截至 " + when + " 无超时");
                }
                findings.forEach(f -> out.println(QuestionOutput.finding(f, where.zone)));
                if (!findings.isEmpty()) {
                    out.println(findings.size() + " overdue at " + when + " / 截至 " + when + " 超时 " + findings.size() + " 项");
                }
            }
            return Exit.OK;
        }
    }

    /**
     * Refuses a plan that names an exam without its own policy in a ledger that has policies: a typo in the exam id
     * (SX-ZK-2O13 for SX-ZK-2013) would otherwise register a second exam that no policy governs, whose breaches are
     * stored instead of refused and to which nobody's recusals apply. A ledger without any policy (it records what
     * happened) takes any exam.
     */
    static void requirePolicies(Ledger ledger, List<RoomPlan.Exam> exams) {
        java.util.Set<String> governed = new java.util.TreeSet<>();
        for (org.custody.record.Entry e : ledger.entriesOfType("policy")) {
            governed.add(((org.custody.record.PolicyRecord) e.record()).policy().exam());
        }
        if (governed.isEmpty()) {
            return;
        }
        for (RoomPlan.Exam exam : exams) {
            if (!governed.contains(exam.exam())) {
                throw exam.firstRow().error("exam '" + exam.exam() + "' has no custody policy in ledger " + ledger.id()
                        + " (exams with one: " + String.join(", ", governed) + "); check the exam id. An exam of its own"
                        + " needs its policy recorded first (考试编号无对应的保管策略，请核对考试编号)");
            }
        }
    }
}
