package org.custody.record;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.ExamSession;
import org.custody.model.Ids;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.RecordId;

/** The timetable of an exam (考试日程): when each session of each subject starts and ends. */
public record ScheduleRecord(RecordId id, LedgerId ledger, Instant at, String exam, List<ExamSession> sessions,
                             List<PersonId> by) implements Record {
    /** Most sessions one schedule may list. */
    public static final int MAX_SESSIONS = 1000;

    public ScheduleRecord {
        Record.requireCommon(id, ledger);
        Record.requireTime("schedule time", at);
        Ids.require("exam", exam);
        if (sessions == null || sessions.isEmpty() || sessions.size() > MAX_SESSIONS) {
            throw new MalformedInputException("a schedule lists 1-" + MAX_SESSIONS + " sessions");
        }
        sessions = List.copyOf(sessions);
        Set<String> seen = new HashSet<>();
        for (ExamSession s : sessions) {
            if (!seen.add(s.session() + "/" + s.subject())) {
                throw new MalformedInputException("session " + s.session() + " of subject " + s.subject() + " is listed twice");
            }
        }
        by = Record.requirePeople("schedule signers", by, false);
    }

    @Override
    public String type() {
        return "schedule";
    }

    @Override
    public List<PersonId> parties() {
        return by;
    }
}
