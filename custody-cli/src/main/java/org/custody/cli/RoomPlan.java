package org.custody.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.Ids;
import org.custody.model.Secrecy;

/**
 * An exam room plan (考场编排) from CSV, one row per room per session: columns {@code exam, site, room,
 * session, subject, starts_at, ends_at, candidates, sets} (optionally {@code site_name, subject_name,
 * standard_room, kind}), turned into the bags to register and the timetable; {@code custody label --plan} reads
 * its site and subject names ({@link #names}).
 *
 * <p>Per row: one question-paper bag per set, {@code EXAM.SITE.ROOM.SESSION.SUBJECT.SET}, holding one copy
 * per candidate; one answer-sheet bag {@code EXAM.SITE.ROOM.SESSION.SUBJECT.ANS}. A row of {@code kind}
 * {@code spare_paper} registers spare-paper bags (备用试卷) instead, without answer sheets. Per site and session:
 * one transport box {@code EXAM.BOX.SITE.SESSION} that carries that session's bags to and from the site, registered
 * with its site and session (R21). {@code standard_room} is written into each question-paper bag as the invigilators
 * its room needs at opening (R20): 2 for {@code true}, 3 for {@code false}.
 */
final class RoomPlan {
    static final List<String> REQUIRED = List.of("exam", "site", "room", "session", "subject", "starts_at", "ends_at",
            "candidates", "sets");

    /** What to register from a plan. */
    record Options(Secrecy questionSecrecy, Secrecy answerSecrecy, boolean answerSheets, boolean boxes) {}

    /** One transport box and the bags it is planned to carry. */
    record Box(Bag box, List<BagId> holds) {}

    /** The bags, boxes and timetable of one exam in the plan; {@code firstRow} is the row that first names it. */
    record Exam(String exam, List<Bag> bags, List<Box> boxes, List<ExamSession> sessions, Csv.Row firstRow) {
        /** Bags then boxes, in plan order. */
        List<Bag> everything() {
            List<Bag> all = new ArrayList<>(bags);
            boxes.forEach(b -> all.add(b.box()));
            return all;
        }
    }

    /** The columns {@link #names} needs: a plan with fewer is not a room plan. */
    static final List<String> NAMED = List.of("exam", "site", "subject");
    /** The longest site or subject name a label has room for, in characters. */
    static final int MAX_NAME = 30;

    /**
     * The names a plan gives its sites ({@code site_name}) and subjects ({@code subject_name}), per exam: what labels
     * print beside the codes. They are not registered: the ledger keeps the codes only.
     */
    record Names(Map<String, String> sites, Map<String, String> subjects) {
        static final Names NONE = new Names(Map.of(), Map.of());

        Names {
            sites = Map.copyOf(sites);
            subjects = Map.copyOf(subjects);
        }

        /** The name of {@code site} in {@code exam}, or {@code null}. */
        String site(String exam, String site) {
            return site == null ? null : sites.get(exam + "/" + site);
        }

        /** The name of {@code subject} in {@code exam}, or {@code null}. */
        String subject(String exam, String subject) {
            return subject == null ? null : subjects.get(exam + "/" + subject);
        }
    }

    private RoomPlan() {}

    static List<Exam> read(Path file, Options options) {
        return parse(Csv.read(file, REQUIRED), options);
    }

    /**
     * The site and subject names of the plan in {@code file}; a code named twice differently, or a name too long for a
     * label, is an error naming the line. Rows without a name add none.
     */
    static Names names(Path file) {
        return names(Csv.read(file, NAMED));
    }

    static Names names(List<Csv.Row> rows) {
        Map<String, String> sites = new LinkedHashMap<>();
        Map<String, String> subjects = new LinkedHashMap<>();
        Map<String, Long> lines = new LinkedHashMap<>();
        for (Csv.Row row : rows) {
            String exam = row.required("exam");
            name(row, "site", exam, sites, lines);
            name(row, "subject", exam, subjects, lines);
        }
        return new Names(sites, subjects);
    }

    private static void name(Csv.Row row, String column, String exam, Map<String, String> names, Map<String, Long> lines) {
        String name = row.optional(column + "_name");
        if (name == null) {
            return;
        }
        String code = row.required(column);
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw row.error(column + "_name of " + code + " holds a control character (a line break?); write it on one line");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME) {
            throw row.error(column + "_name '" + name + "' is longer than " + MAX_NAME + " characters; a label has no room for it");
        }
        String key = exam + "/" + code;
        String known = names.putIfAbsent(key, name);
        if (known == null) {
            lines.put(column + "/" + key, row.line());
        } else if (!known.equals(name)) {
            throw row.error(column + " " + code + " of exam " + exam + " is named '" + name + "' here but '" + known
                    + "' on line " + lines.get(column + "/" + key));
        }
    }

    static List<Exam> parse(List<Csv.Row> rows, Options options) {
        Map<String, List<Bag>> bags = new LinkedHashMap<>();
        Map<String, Map<BagId, Box>> boxes = new LinkedHashMap<>();
        Map<String, Map<String, ExamSession>> sessions = new LinkedHashMap<>();
        Map<String, Long> seenRooms = new LinkedHashMap<>();
        Map<String, Csv.Row> firstRows = new LinkedHashMap<>();
        for (Csv.Row row : rows) {
            try {
                String exam = Ids.require("exam", row.required("exam"));
                firstRows.putIfAbsent(exam, row);
                String site = Ids.require("site", row.required("site"));
                String room = Ids.require("room", row.required("room"));
                String session = Ids.require("session", row.required("session"));
                String subject = Ids.require("subject", row.required("subject"));
                Instant starts = time(row, "starts_at");
                Instant ends = time(row, "ends_at");
                int candidates = count(row);
                String where = exam + "/" + site + "/" + room + "/" + session + "/" + subject;
                Long earlier = seenRooms.putIfAbsent(where, row.line());
                if (earlier != null) {
                    throw row.error("room " + room + " of site " + site + " in session " + session + " " + subject
                            + " is already planned on line " + earlier);
                }
                ExamSession timetable = new ExamSession(session, subject, starts, ends);
                ExamSession known = sessions.computeIfAbsent(exam, e -> new LinkedHashMap<>())
                        .putIfAbsent(session + "/" + subject, timetable);
                if (known != null && !known.equals(timetable)) {
                    throw row.error("session " + session + " " + subject + " runs " + starts + " to " + ends
                            + " here but " + known.startsAt() + " to " + known.endsAt() + " on an earlier line");
                }
                String prefix = exam + "." + site + "." + room + "." + session + "." + subject + ".";
                BagKind kind = kind(row);
                List<BagId> roomBags = new ArrayList<>();
                Integer invigilators = kind == BagKind.QUESTION_PAPER ? invigilators(row) : null;
                for (String set : sets(row)) {
                    Bag bag = Bag.papers(BagId.of(prefix + set), kind, exam, site, room, session, subject,
                            set, candidates, options.questionSecrecy());
                    bag = invigilators == null ? bag : bag.withInvigilators(invigilators);
                    bags.computeIfAbsent(exam, e -> new ArrayList<>()).add(bag);
                    roomBags.add(bag.id());
                }
                if (options.answerSheets() && kind == BagKind.QUESTION_PAPER) {
                    Bag answers = Bag.papers(BagId.of(prefix + "ANS"), BagKind.ANSWER_SHEET, exam, site, room, session, subject,
                            null, candidates, options.answerSecrecy());
                    bags.get(exam).add(answers);
                    roomBags.add(answers.id());
                }
                if (options.boxes()) {
                    BagId boxId = BagId.of(exam + ".BOX." + site + "." + session);
                    boxes.computeIfAbsent(exam, e -> new LinkedHashMap<>())
                            .computeIfAbsent(boxId, id -> new Box(Bag.container(id, BagKind.TRANSPORT_BOX, exam, site, session), new ArrayList<>()))
                            .holds().addAll(roomBags);
                }
            } catch (MalformedInputException | IllegalArgumentException e) {
                throw row.error(e.getMessage());
            }
        }
        List<Exam> out = new ArrayList<>();
        for (Map.Entry<String, List<Bag>> e : bags.entrySet()) {
            List<Box> examBoxes = new ArrayList<>();
            boxes.getOrDefault(e.getKey(), Map.of()).values().forEach(b -> examBoxes.add(new Box(b.box(), List.copyOf(b.holds()))));
            out.add(new Exam(e.getKey(), List.copyOf(e.getValue()), List.copyOf(examBoxes),
                    List.copyOf(sessions.get(e.getKey()).values()), firstRows.get(e.getKey())));
        }
        return out;
    }

    private static Instant time(Csv.Row row, String column) {
        String v = row.required(column);
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw row.error(column + " '" + v + "' is not a time with offset such as 2021-06-09T09:00:00+08:00");
        }
    }

    private static int count(Csv.Row row) {
        String v = row.required("candidates");
        try {
            int n = Integer.parseInt(v);
            if (n < 1 || n > Bag.MAX_COPIES) {
                throw row.error("candidates is " + n + "; a room has 1-" + Bag.MAX_COPIES);
            }
            return n;
        } catch (NumberFormatException e) {
            throw row.error("candidates '" + v + "' is not a whole number");
        }
    }

    /**
     * The optional {@code standard_room} column: {@code true} (a standard room, 2 invigilators open its papers),
     * {@code false} (3), or empty (the regulations' 2, not written into the bag).
     */
    private static Integer invigilators(Csv.Row row) {
        String v = row.optional("standard_room");
        if (v == null || v.isBlank()) {
            return null;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> Bag.STANDARD_ROOM_INVIGILATORS;
            case "false", "no", "0" -> Bag.STANDARD_ROOM_INVIGILATORS + 1;
            default -> throw row.error("standard_room '" + v + "' is neither true nor false");
        };
    }

    /** The optional {@code kind} column: {@code question_paper} (the default) or {@code spare_paper} (备用试卷, no answer sheets). */
    private static BagKind kind(Csv.Row row) {
        String v = row.optional("kind");
        if (v == null || v.equals(BagKind.QUESTION_PAPER.wire())) {
            return BagKind.QUESTION_PAPER;
        }
        if (v.equals(BagKind.SPARE_PAPER.wire())) {
            return BagKind.SPARE_PAPER;
        }
        throw row.error("kind '" + v + "' is neither question_paper nor spare_paper");
    }

    private static Set<String> sets(Csv.Row row) {
        Set<String> sets = new LinkedHashSet<>();
        for (String s : row.required("sets").split(";")) {
            String set = s.strip();
            if (!set.matches("[A-Z]")) {
                throw row.error("set '" + set + "' is not one capital letter; write sets like A;B");
            }
            if (!sets.add(set)) {
                throw row.error("set " + set + " is listed twice");
            }
        }
        if (sets.isEmpty()) {
            throw row.error("column 'sets' names no set; write sets like A;B");
        }
        return sets;
    }
}
