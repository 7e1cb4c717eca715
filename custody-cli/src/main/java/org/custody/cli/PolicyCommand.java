package org.custody.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Draft;
import org.custody.ledger.Ledger;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.record.PolicyRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody policy}: the custody policy in force for an exam, and a signed change of it. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Show an exam's custody policy, or change it with a policy record signed by its quorum (R17).",
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Set.class})
final class PolicyCommand {
    private PolicyCommand() {}

    /** {@code custody policy show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the policy in force for an exam: its latest policy record, else the regulations' defaults.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Option(names = "--exam", paramLabel = "EXAM", description = "the exam (default: the ledger id)")
        String exam;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                String examId = exam != null ? exam : l.id().value();
                out.println("exam 考试 " + examId + ":");
                PolicyOptions.describe(l.policy(examId)).forEach(line -> out.println("  " + line));
            }
            return Exit.OK;
        }
    }

    /** {@code custody policy set}. */
    @Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Put a changed policy in force for an exam from now on: the policy in force, with the members the"
                    + " options name changed. The record is signed by everyone named with --by; the policy in force says who"
                    + " must sign a policy change (R17: by default a chief or deputy chief examiner or a confidentiality officer,"
                    + " and a discipline inspector). Under a strict policy a change signed by fewer is refused (exit 4).",
                    "Entries already stored keep the policy they were checked under; a verification judges each entry under"
                            + " the policy in force when it was appended."})
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Option(names = "--exam", paramLabel = "EXAM", description = "the exam (default: the ledger id)")
        String exam;

        @Mixin
        PolicyOptions changes;

        @Option(names = "--by", required = true, paramLabel = "PERSON", description = "who signs the change (repeatable)")
        List<String> by;

        @Option(names = "--new-exam", description = "state a policy for an exam the ledger does not name yet (no bags, policy or timetable)")
        boolean newExam;

        @Option(names = "--at", paramLabel = "TIME", description = "when it takes effect (default: now)")
        String at;

        @Option(names = "--id", paramLabel = "RECORD-ID", description = "the record's id (default: random)")
        String id;

        @Mixin
        SignerOptions signerOptions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!changes.any()) {
                throw new UserError("name what changes: --mode, --quorum, --future-tolerance or --record-within"
                        + " ('custody policy show' prints the policy in force)");
            }
            Instant time = Times.parse("--at", at, where.zone);
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                String examId = exam != null ? exam : l.id().value();
                List<String> exams = l.exams();
                if (!exams.contains(examId) && !newExam) {
                    throw new UserError("exam " + examId + " is not in " + where.ledger + " (its exams: " + (exams.isEmpty() ? "none yet"
                            : String.join(", ", exams)) + "); check --exam, or give --new-exam for an exam not registered yet"
                            + " (考试编号不在账本中，请核对)");
                }
                Policy before = l.policy(examId);
                Policy after = changes.apply(before);
                if (after.equals(before)) {
                    throw new UserError("the options change nothing: exam " + examId + " has that policy already"
                            + " ('custody policy show' prints it)");
                }
                Map<PersonId, Person> people = l.people();
                List<PersonId> signers = by.stream().map(PersonId::of).distinct().toList();
                signers.forEach(p -> KeysCommand.requirePerson(people, p));
                PolicyRecord record = new PolicyRecord(id == null ? RecordId.random() : RecordId.of(id), l.id(), time, after, signers);
                Draft draft = l.draft(record);
                new Signers(signerOptions, Custody.terminal(spec), err).sign(draft, people, new LinkedHashMap<>(), l.suite().signature());
                Appended done;
                try {
                    done = draft.append();
                } catch (AppendRefusedException e) {
                    return Custody.failure(e, spec, err);
                }
                out.println((done.alreadyPresent() ? "already recorded as entry #" : "recorded entry #") + done.seq() + " "
                        + done.hash().hex().substring(0, 16) + "  policy of " + examId + " 考试政策  signed by "
                        + signers.stream().map(p -> p + " " + people.get(p).name()).collect(Collectors.joining(", ")));
                PolicyOptions.describe(after).forEach(line -> out.println("  " + line));
                return Custody.recordedFindings(out, done.findings(), where.zone);
            }
        }
    }
}
