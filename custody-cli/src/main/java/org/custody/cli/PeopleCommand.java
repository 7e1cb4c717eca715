package org.custody.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Draft;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Recusal;
import org.custody.record.Enrolment;
import org.custody.record.SignedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody people}: the roster in the ledger, with roles, recusals and enrolled keys. */
@Command(name = "people", mixinStandardHelpOptions = true,
        description = "People (人员): enrol the roster's people and their keys, list who is enrolled.",
        subcommands = {PeopleCommand.Import.class, PeopleCommand.ListPeople.class})
final class PeopleCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("name what to do with people: import or list ('custody people --help')");
    }

    /** {@code custody people import}: enrol roster people who have a key file. */
    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import a roster CSV (person, name, role, site, organisation, recused, recusal_reason) and enrol"
                    + " each person's key with their roles and recusals.",
                    "A sponsor already in the ledger signs each enrolment, and each person signs with their own new key"
                            + " (proof of possession). People without a key file are listed and skipped; all enrolments"
                            + " are stored together or not at all."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Option(names = "--roster", required = true, paramLabel = "CSV", description = "the roster (format: docs/cli.md)")
        Path roster;

        @Option(names = "--sponsor", required = true, paramLabel = "PERSON", description = "an enrolled person who vouches for each new key")
        String sponsor;

        @Option(names = "--person", paramLabel = "PERSON", description = "enrol only these people (repeatable; default: everyone with a key file)")
        List<String> only;

        @Option(names = "--exam", paramLabel = "EXAM", description = "exam the roster's recusals are for (default: the ledger id)")
        String exam;

        @Option(names = "--at", paramLabel = "TIME", description = "when (default: now)")
        String at;

        @Mixin
        SignerOptions signerOptions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant time = Times.parse("--at", at, where.zone);
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                Map<PersonId, Person> roll = Roster.read(roster, exam != null ? exam : l.id().value());
                Map<PersonId, Person> enrolledPeople = l.people();
                List<EnrolledKey> keys = l.keys();
                Person sponsorPerson = KeysCommand.requirePerson(enrolledPeople, PersonId.of(sponsor));
                Set<PersonId> current = keys.stream().filter(k -> k.revokedFrom() == null).map(EnrolledKey::person)
                        .collect(Collectors.toSet());
                List<Person> wanted = new ArrayList<>();
                if (only != null) {
                    for (String id : only) {
                        Person p = roll.get(PersonId.of(id));
                        if (p == null) {
                            throw new UserError(id + " is not in " + roster + "; check the id");
                        }
                        wanted.add(p);
                    }
                } else {
                    wanted.addAll(roll.values());
                }
                Signers signers = new Signers(signerOptions, Custody.terminal(spec), spec.commandLine().getErr());
                List<PersonId> already = new ArrayList<>();
                List<PersonId> noKey = new ArrayList<>();
                List<Person> toEnrol = new ArrayList<>();
                for (Person p : wanted) {
                    if (current.contains(p.id())) {
                        already.add(p.id());
                    } else if (signers.keyOf(p.id()) == null) {
                        noKey.add(p.id());
                    } else {
                        toEnrol.add(p);
                    }
                }
                if (only != null && !noKey.isEmpty()) {
                    throw new UserError("no key file for " + noKey + ": give --key PERSON=FILE or --keys-dir DIR holding PERSON.key");
                }
                List<SignedRecord> records = new ArrayList<>();
                if (!toEnrol.isEmpty()) {
                    signers.unlock(sponsorPerson, "sponsor", l.suite().signature()); // the sponsor is asked first
                    for (Person p : toEnrol) {
                        SigningKey own = signers.unlock(p, "enrolling", l.suite().signature());
                        if (keys.stream().anyMatch(k -> k.id().equals(own.id()))) {
                            throw new UserError("the key file of " + p.id() + " holds key " + own.id()
                                    + ", which is already enrolled; each person needs their own new key ('custody keys new')");
                        }
                        Draft enrolment = l.draft(new Enrolment(RecordId.random(), l.id(), time, p, own.publicKey(),
                                sponsorPerson.id()));
                        signers.signAs(enrolment, sponsorPerson, "sponsor", l.suite().signature());
                        signers.signAs(enrolment, p, "enrolling", l.suite().signature());
                        records.add(enrolment.signed());
                    }
                    l.appendAll(records);
                }
                for (Person p : toEnrol) {
                    out.println("enrolled " + describe(p));
                }
                out.printf("%d enrolled, %d already enrolled, %d without a key file%n", toEnrol.size(), already.size(), noKey.size());
                if (!noKey.isEmpty()) {
                    out.println("without a key file (not enrolled): " + noKey.stream().map(PersonId::value).collect(Collectors.joining(", ")));
                }
            }
            return Exit.OK;
        }
    }

    /** {@code custody people list}: everyone enrolled, with roles, recusals and keys. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the people enrolled in a ledger: roles, site, recusals, keys.")
    static final class ListPeople implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                List<EnrolledKey> keys = l.keys();
                for (Person p : l.people().values()) {
                    List<String> ids = keys.stream().filter(k -> k.person().equals(p.id()))
                            .map(k -> k.id() + (k.revokedFrom() == null ? "" : " (revoked)")).toList();
                    out.println(describe(p) + "  keys " + String.join(", ", ids));
                }
            }
            return Exit.OK;
        }
    }

    static String describe(Person p) {
        StringBuilder s = new StringBuilder(p.id().value()).append(' ').append(p.name()).append("  ")
                .append(p.roles().stream().sorted().map(r -> r.wire() + " " + r.chinese()).collect(Collectors.joining(", ")));
        if (p.site() != null) {
            s.append("  site ").append(p.site());
        }
        for (Recusal r : p.recusals()) {
            s.append("  RECUSED from ").append(r.exam()).append(": ").append(r.reason());
        }
        return s.toString();
    }
}
