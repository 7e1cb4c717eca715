package org.custody.server;

import java.util.Set;
import org.custody.model.Bag;

/**
 * Who is calling, as the token file names them: a label (never the token), roles and, for officers, the
 * exam sites they work at ({@code *} for every site, including bags that belong to no site).
 */
record Caller(String name, Set<ApiRole> roles, Set<String> sites) {
    static final String ALL_SITES = "*";

    Caller {
        roles = Set.copyOf(roles);
        sites = Set.copyOf(sites);
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
        return has(ApiRole.OFFICER) && (sites.contains(ALL_SITES) || (bag.site() != null && sites.contains(bag.site())));
    }

    /** Sees secret-level details of people (organisation, recusal reasons). */
    boolean seesDetails() {
        return has(ApiRole.INSPECTOR) || has(ApiRole.ADMIN);
    }
}
