package org.custody.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code custody completion}: prints the bash completion script picocli generates from the command's own model
 * ({@link AutoComplete#bash}), so it always knows every verb, sub-verb, option and enum value of this version. The
 * script also runs in zsh (it loads zsh's bashcompinit itself).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for custody (命令补全脚本): Tab then completes verbs, sub-verbs,"
                + " options, and the values of options with a fixed set (steps, algorithms).",
                "Use it now in this shell (bash or zsh): source <(custody completion)",
                "For every new bash: custody completion > ~/.local/share/bash-completion/completions/custody",
                "  (or, for all users, as root: custody completion > /etc/bash_completion.d/custody)",
                "For zsh, in ~/.zshrc: source <(custody completion)",
                "Print it again after installing a new version of custody."})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
        return Exit.OK;
    }
}
