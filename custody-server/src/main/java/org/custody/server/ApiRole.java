package org.custody.server;

import java.util.Locale;

/** What a bearer token may do: officers work on their own sites, inspectors read everything, admins enrol and set policy. */
public enum ApiRole {
    /** Opens drafts, posts signatures and signed handoffs for bags of the token's sites; reads those bags. */
    OFFICER,
    /** Reads every bag, the findings and people's full details. */
    INSPECTOR,
    /** Posts enrolments, revocations, policies and timetables; reads like an inspector. */
    ADMIN;

    /** The name used in token files, e.g. {@code officer}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ApiRole fromWire(String wire) {
        for (ApiRole r : values()) {
            if (r.wire().equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not a role; expected officer, inspector or admin");
    }
}
