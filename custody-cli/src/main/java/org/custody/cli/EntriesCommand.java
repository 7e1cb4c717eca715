package org.custody.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody entries}: the entries of one person, seal number or place, from the ledger's index of entries. */
@Command(name = "entries", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the entries of one person (every record they had to sign: released, received, witnessed…),"
                + " one seal number or one place (交接记录检索), oldest first.",
                "Read from the ledger's index of entries, in the size of the answer; nothing is verified ('custody verify'"
                        + " checks the index with the rest). On a server, an inspector's or admin's token."})
final class EntriesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerOrServer where;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    /** Exactly one of a person, a seal number or a place. */
    static final class Subject {
        @Option(names = "--person", paramLabel = "PERSON", description = "the entries this person is a party to")
        String person;

        @Option(names = "--seal", paramLabel = "NUMBER", description = "the entries that record this seal number")
        String seal;

        @Option(names = "--place", paramLabel = "PLACE", description = "the entries at this place (vault, site, room id)")
        String place;
    }

    @Mixin
    PageOptions paging;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json (the server's page: items, the stored entries, and next)")
    QuestionOutput.Format format;

    @Override
    public Integer call() {
        String by = subject.person != null ? "person" : subject.seal != null ? "seal" : "place";
        String value = subject.person != null ? subject.person : subject.seal != null ? subject.seal : subject.place;
        PrintWriter out = spec.commandLine().getOut();
        try (Questions questions = Questions.of(where)) {
            PageOptions.Answer answer = paging.ask((v, after, limit) -> questions.entries(by, v, after, limit), value);
            if (format == QuestionOutput.Format.json) {
                QuestionOutput.json(out, answer.items(), answer.next());
                return Exit.OK;
            }
            var time = Times.local(where.zone);
            answer.items().forEach(e -> out.println(QuestionOutput.entry(e, time)));
            if (answer.items().isEmpty()) {
                out.println("no entry of " + by + " " + value + " / 没有 " + value + " 的记录");
            }
            answer.next().ifPresent(next -> out.println("… more: --after " + next));
        }
        return Exit.OK;
    }
}
