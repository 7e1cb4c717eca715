package org.custody.model;

import org.custody.failure.MalformedInputException;

/** One paper set of one subject in one session (e.g. the A set of ENG in S1), as withdrawn after a leak. */
public record PaperSet(String exam, String session, String subject, String set) {
    public PaperSet {
        Ids.require("exam", exam);
        Ids.require("session", session);
        Ids.require("subject", subject);
        if (set == null || !set.matches("[A-Z]")) {
            throw new MalformedInputException("paper set must be one capital letter, got " + set);
        }
    }
}
