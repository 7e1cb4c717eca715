package org.custody.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.junit.jupiter.api.Test;

/** Filling a quorum's groups with distinct signers: right answers, and a search over sets, not orders. */
class GovernanceTest {
    private static Person person(int n, Role... roles) {
        return new Person(PersonId.of(String.format("P%03d", n)), "P" + n, Set.of(roles), null, null, null);
    }

    private static Governance quorum(org.custody.model.Quorum.Group... groups) {
        return new Governance("test", "test", "test", new Governance.Quorum(List.of(groups), "test", "test"));
    }

    @Test
    void sixteenSignersWhereOnlyTheFirstCanFillTheLastGroup_decidedAtOnce() {
        // the inspector listed first: an order-by-order search would try 15! orders before giving the inspector to
        // the second group; a search over sets decides in a moment
        List<Person> signers = new ArrayList<>();
        signers.add(person(0, Role.DISCIPLINE_INSPECTOR));
        for (int i = 1; i < 16; i++) {
            signers.add(person(i, Role.INVIGILATOR));
        }
        Governance g = quorum(new org.custody.model.Quorum.Group(EnumSet.of(Role.INVIGILATOR, Role.DISCIPLINE_INSPECTOR), 15),
                new org.custody.model.Quorum.Group(EnumSet.of(Role.DISCIPLINE_INSPECTOR), 1));
        assertTrue(g.metBy(signers));
        assertFalse(g.metBy(signers.subList(1, 16)), "without the inspector the second group stays empty");
    }

    @Test
    void onePersonHoldingBothRoles_countsOnce() {
        Governance g = quorum(new org.custody.model.Quorum.Group(EnumSet.of(Role.CHIEF_EXAMINER), 1),
                new org.custody.model.Quorum.Group(EnumSet.of(Role.DISCIPLINE_INSPECTOR), 1));
        assertFalse(g.metBy(List.of(person(1, Role.CHIEF_EXAMINER, Role.DISCIPLINE_INSPECTOR))));
        assertTrue(g.metBy(List.of(person(1, Role.CHIEF_EXAMINER, Role.DISCIPLINE_INSPECTOR), person(2, Role.DISCIPLINE_INSPECTOR))));
    }
}
