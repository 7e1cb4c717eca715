package org.custody.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.custody.audit.FindingCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody findings}: the custody rule findings the ledger kept when it appended its entries. */
@Command(name = "findings", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the custody rule findings (R01-R25) the ledger recorded when it appended each entry, of one"
                + " code or all, in ledger order (已记录的违规).",
                "Read from what the ledger kept, in the size of the answer; not a verification: integrity findings and what"
                        + " is overdue now are not among them ('custody verify' reports everything, 'custody bags late' what"
                        + " is overdue). On a server, an inspector's or admin's token."})
final class FindingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerOrServer where;

    @Option(names = "--code", paramLabel = "CODE", description = "only findings of this rule code, e.g. R04")
    String code;

    @Mixin
    PageOptions paging;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (default) or json (the server's page: items and next)")
    QuestionOutput.Format format;

    @Override
    public Integer call() {
        FindingCode c = null;
        if (code != null) {
            try {
                c = FindingCode.valueOf(code.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserError("--code " + code + ": not a rule code (R01-R25, docs/rules.md) / 不是规则代码");
            }
        }
        FindingCode wanted = c;
        PrintWriter out = spec.commandLine().getOut();
        try (Questions questions = Questions.of(where)) {
            PageOptions.Answer answer = paging.ask(questions::findings, wanted);
            if (format == QuestionOutput.Format.json) {
                QuestionOutput.json(out, answer.items(), answer.next());
                return Exit.OK;
            }
            answer.items().forEach(f -> out.println(QuestionOutput.finding(f, where.zone)));
            if (answer.items().isEmpty()) {
                out.println("no " + (wanted == null ? "" : wanted + " ") + "finding recorded / 无已记录的"
                        + (wanted == null ? "" : " " + wanted + " ") + "违规");
            } else if (answer.next().isEmpty()) {
                out.println(answer.items().size() + " recorded / 已记录 " + answer.items().size() + " 项");
            }
            answer.next().ifPresent(next -> out.println("… more: --after " + next));
        }
        return Exit.OK;
    }
}
