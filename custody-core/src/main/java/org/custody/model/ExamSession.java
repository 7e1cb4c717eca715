package org.custody.model;

import java.time.Instant;
import org.custody.failure.MalformedInputException;

/** One session (场次) of one subject in the timetable: when it starts and ends. */
public record ExamSession(String session, String subject, Instant startsAt, Instant endsAt) {
    public ExamSession {
        Ids.require("session", session);
        if (subject != null) Ids.require("subject", subject);
        if (startsAt == null || endsAt == null || !endsAt.isAfter(startsAt)) {
            throw new MalformedInputException("session " + session + " must end after it starts");
        }
    }
}
