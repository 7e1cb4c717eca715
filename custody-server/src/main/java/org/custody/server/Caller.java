package org.custody.server;

import java.util.Set;
import org.custody.model.Bag;

/**
 * Who is calling, as the token file names them: a label (never the token), roles, for officers the exam sites they
 * work at ({@code *} for every site, including bags that belong to no site), and the exams (ledger ids) the token is
 * scoped to ({@code *} for every ledger the server serves; empty when the token names no exam).
 */
record Caller(String name, Set<ApiRole> roles, Set<String> sites, Set<String> exams) {
    static final String ALL_SITES = "*";
    static final String ALL_EXAMS = "*";

    Caller {
        roles = Set.copyOf(roles);
        sites = Set.copyOf(sites);
        exams = Set.copyOf(exams);
    }

    /** A caller whose token names no exam. */
    Caller(String name, Set<ApiRole> roles, Set<String> sites) {
        this(name, roles, sites, Set.of());
    }

    /** Whether the token names the exams it may use ({@code exams=} in the token file). */
    boolean scoped() {
        return !exams.isEmpty();
    }

    /**
     * Whether this caller may read or act on the ledger {@code id}: a token scoped to exams may use those (or, with
     * {@code *}, every one); a token that names no exam may use the ledger of a server that serves one, and none of a
     * server that serves several (docs/server.md, "Many exams on one server").
     */
    boolean mayUse(String id, boolean severalLedgers) {
        if (exams.isEmpty()) {
            return !severalLedgers;
        }
        return exams.contains(ALL_EXAMS) || exams.contains(id);
    }

    boolean has(ApiRole role) {
        return roles.contains(role);
    }

    /** Inspectors and admins read every bag; officers read and act on bags of their sites. */
    boolean canRead(Bag bag) {
        return has(ApiRole.INSPECTOR) || has(ApiRole.ADMIN) || worksAt(bag);
    }

    /** An officer of the bag's site (or of every site). */
    boolean worksAt(Bag bag) {
        return worksAtSite(bag.site());
    }

    /** An officer of {@code site} ({@code null}: of bags that belong to no site, which only {@code *} covers). */
    private boolean worksAtSite(String site) {
        return has(ApiRole.OFFICER) && (sites.contains(ALL_SITES) || (site != null && sites.contains(site)));
    }

    /**
     * What the console's queries may show this caller: everything for inspectors and admins, else the bags it may read
     * (those of the sites it works at).
     */
    org.custody.server.console.ConsoleQueries.Scope scope() {
        boolean everything = has(ApiRole.INSPECTOR) || has(ApiRole.ADMIN);
        return new org.custody.server.console.ConsoleQueries.Scope(name, everything, this::canRead,
                site -> everything || worksAtSite(site));
    }

    /** Sees secret-level details of people (organisation, recusal reasons). */
    boolean seesDetails() {
        return has(ApiRole.INSPECTOR) || has(ApiRole.ADMIN);
    }
}
