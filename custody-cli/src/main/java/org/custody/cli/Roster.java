package org.custody.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.custody.failure.MalformedInputException;
import org.custody.model.Labelled;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Recusal;
import org.custody.model.Role;

/**
 * The roster (everyone who may touch the papers) from CSV: columns {@code person, name, role} and
 * optionally {@code site, organisation, recused, recusal_reason}. A person on several rows holds every
 * role named; a role cell may also list roles separated by {@code ;}. Recusals are declared for
 * {@code exam}.
 */
final class Roster {
    static final List<String> REQUIRED = List.of("person", "name", "role");

    private Roster() {}

    /** The people of the roster at {@code file}, in first-appearance order. */
    static Map<PersonId, Person> read(Path file, String exam) {
        return parse(Csv.read(file, REQUIRED), exam);
    }

    static Map<PersonId, Person> parse(List<Csv.Row> rows, String exam) {
        Map<PersonId, Person> people = new LinkedHashMap<>();
        for (Csv.Row row : rows) {
            try {
                PersonId id = PersonId.of(row.required("person"));
                String name = row.required("name");
                Set<Role> roles = EnumSet.noneOf(Role.class);
                for (String role : row.required("role").split(";")) {
                    if (!role.isBlank()) {
                        roles.add(Labelled.fromWire(Role.class, role.strip().toLowerCase(Locale.ROOT)));
                    }
                }
                List<Recusal> recusals = new ArrayList<>();
                if (recused(row)) {
                    String reason = row.optional("recusal_reason");
                    if (reason == null) {
                        throw row.error("person " + id + " is recused but recusal_reason is empty; state the reason");
                    }
                    recusals.add(new Recusal(exam, reason));
                }
                Person earlier = people.get(id);
                if (earlier != null) {
                    if (!earlier.name().equals(name)) {
                        throw row.error("person " + id + " is named '" + name + "' here but '" + earlier.name() + "' on an earlier row");
                    }
                    roles.addAll(earlier.roles());
                    if (recusals.isEmpty()) {
                        recusals.addAll(earlier.recusals());
                    }
                }
                people.put(id, new Person(id, name, roles, row.optional("site"), row.optional("organisation"), recusals));
            } catch (MalformedInputException | IllegalArgumentException e) {
                throw row.error(e.getMessage());
            }
        }
        return people;
    }

    private static boolean recused(Csv.Row row) {
        String v = row.optional("recused");
        if (v == null) {
            return false;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "y": case "1": case "是":
                return true;
            case "false": case "no": case "n": case "0": case "否":
                return false;
            default:
                throw row.error("recused is '" + v + "'; write true or false");
        }
    }
}
