package org.custody.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custody help [VERB [SUB-VERB]]}: the usage of a verb, exactly what {@code custody VERB --help} prints;
 * with no verb, the top-level usage. An unknown verb is a usage error (2) naming the nearest verbs.
 */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = true,
        description = {"Show the usage of a verb (显示命令用法), as 'custody VERB --help' does: 'custody help handoff',"
                + " 'custody help keys revoke'. With no verb, the list of verbs and the exit statuses."})
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VERB", arity = "0..*", description = "a verb, then its sub-verb if it has them (e.g. keys revoke)")
    List<String> verbs = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine target = spec.root().commandLine();
        for (String verb : verbs) {
            CommandLine sub = target.getSubcommands().get(verb);
            if (sub == null) {
                String name = target.getCommandSpec().qualifiedName();
                throw new UserError(Suggestions.unknownVerb(target, verb).substring("error: ".length())
                        + System.lineSeparator() + "Run '" + name + " --help' for its verbs (命令列表见 '" + name + " --help').");
            }
            target = sub;
        }
        // the same writer and colours as '--help' (CommandLine.printHelpIfRequested): the verb's own output
        target.usage(target.getOut(), target.getColorScheme());
        return Exit.OK;
    }
}
