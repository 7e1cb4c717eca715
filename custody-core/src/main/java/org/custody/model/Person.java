package org.custody.model;

import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;

/**
 * Someone who may sign handoffs: their roster id, name, roles, site and any recusal declarations.
 *
 * @param site the exam site the person works at, or {@code null} for provincial staff
 */
public record Person(PersonId id, String name, Set<Role> roles, String site, String organisation, List<Recusal> recusals) {
    public Person {
        if (id == null) {
            throw new MalformedInputException("a person needs an id");
        }
        Text.require("name of " + id, name, Text.MAX_SHORT);
        if (roles == null || roles.isEmpty()) {
            throw new MalformedInputException("person " + id + " needs at least one role");
        }
        if (roles.contains(Role.WITNESS_COSIGNER) && roles.size() > 1) {
            throw new MalformedInputException("person " + id + " has the role witness_cosigner and others: a witness's"
                    + " cosigning key is kept apart from every ledger signing key, so its person holds that role alone"
                    + " (见证签名密钥须单独登记)");
        }
        roles = Set.copyOf(roles);
        if (site != null) Ids.require("site of " + id, site);
        Text.optional("organisation of " + id, organisation, Text.MAX_SHORT);
        recusals = recusals == null ? List.of() : List.copyOf(recusals);
    }

    public static Person of(String id, String name, Role... roles) {
        return new Person(PersonId.of(id), name, Set.of(roles), null, null, List.of());
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /** True if the person declared a recusal for {@code exam}. */
    public boolean recusedFrom(String exam) {
        return recusals.stream().anyMatch(r -> r.exam().equals(exam));
    }

    /**
     * Whether keys enrolled for this person may cosign the ledger's checkpoints: a {@code witness_cosigner} (a key kept
     * for that alone), or, as before that role existed, a discipline inspector's ledger key (their stored cosignatures
     * stay valid).
     */
    public boolean cosignsCheckpoints() {
        return roles.contains(Role.WITNESS_COSIGNER) || roles.contains(Role.DISCIPLINE_INSPECTOR);
    }
}
