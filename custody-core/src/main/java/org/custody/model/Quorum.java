package org.custody.model;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.custody.failure.MalformedInputException;

/**
 * Who must sign one kind of governance record (R17): groups of roles, each filled by so many distinct signers
 * holding one of its roles. A quorum always needs at least 2 people: no one governs alone.
 */
public record Quorum(List<Group> groups) {
    /** So many distinct signers ({@code count}, 1-16) holding any of {@code roles}. */
    public record Group(Set<Role> roles, int count) {
        public Group {
            if (roles == null || roles.isEmpty() || roles.stream().anyMatch(Role::isKeyPurpose)) {
                throw new MalformedInputException("a quorum group names one or more roles of people (not checkpoint_signer"
                        + " or witness_cosigner)");
            }
            if (count < 1 || count > 16) {
                throw new MalformedInputException("a quorum group needs 1-16 signers, got " + count);
            }
            roles = Set.copyOf(EnumSet.copyOf(roles));
        }
    }

    public Quorum {
        if (groups == null || groups.isEmpty() || groups.size() > 8) {
            throw new MalformedInputException("a quorum needs 1-8 groups");
        }
        groups = List.copyOf(groups);
        int people = groups.stream().mapToInt(Group::count).sum();
        if (people < 2 || people > 16) {
            throw new MalformedInputException("a quorum needs 2-16 signers in all (no one governs alone), got " + people);
        }
    }

    /** The records whose quorum a policy may state: its key in the policy's {@code governance} member. */
    public static final List<String> ACTIONS = List.of("policy", "schedule", "revoke", "compromise", "set_withdrawn",
            "spare_opening_approval", "correction", "seal_broken");
}
