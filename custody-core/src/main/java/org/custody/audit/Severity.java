package org.custody.audit;

/** How serious a finding is, for sorting an inspector's attention. */
public enum Severity {
    /** The record cannot be trusted, or papers may have leaked. */
    CRITICAL,
    /** A custody rule was broken. */
    MAJOR,
    /** A time limit or housekeeping rule was missed. */
    MINOR
}
