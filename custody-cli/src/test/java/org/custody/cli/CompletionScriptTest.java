package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custody completion}: the script it prints is valid bash, and sourced in a real bash it completes verbs,
 * sub-verbs and options as Tab would (the completion function is called as bash calls it, with COMP_WORDS and
 * COMP_CWORD set; COMPREPLY is what Tab offers).
 */
class CompletionScriptTest {
    @TempDir
    Path dir;
    Path script;

    @BeforeEach
    void writeScript() throws IOException {
        Cli.Result r = Cli.run("", "completion");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.err());
        script = Files.writeString(dir.resolve("custody.bash"), r.out());
    }

    private static boolean haveBash() {
        try {
            return new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private record Run(int status, String out, String err) {}

    private Run bash(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "--norc", "--noprofile"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bash finished");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** What Tab offers after {@code words} (the last one being completed, maybe empty). */
    private List<String> complete(String... words) throws IOException, InterruptedException {
        String probe = """
                source "$1" || exit 9
                shift
                COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                spec=$(complete -p custody) || exit 8
                fn=${spec#*-F }; fn=${fn%% *}
                "$fn" custody "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
                printf '%s\\n' "${COMPREPLY[@]}"
                """;
        List<String> args = new ArrayList<>(List.of("-c", probe, "probe", script.toString()));
        args.addAll(List.of(words));
        Run r = bash(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return r.out().lines().filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void script_isValidBash() throws Exception {
        assumeTrue(haveBash(), "needs bash");
        Run r = bash("-n", script.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(Files.readString(script).contains("bashcompinit"), "loads zsh's bash completion when sourced in zsh");
    }

    @Test
    void sourced_completesVerbsSubVerbsAndOptions() throws Exception {
        assumeTrue(haveBash(), "needs bash");
        assertEquals(List.of("verify"), complete("custody", "ver"));
        assertEquals(List.of("history"), complete("custody", "hi"));
        assertEquals(List.of("reencrypt", "revoke"), complete("custody", "keys", "re"));
        assertEquals(List.of("--format"), complete("custody", "verify", "--for"));
        assertTrue(complete("custody", "").containsAll(List.of("init", "handoff", "verify", "help", "completion")),
                "every verb at an empty word");
    }

    @Test
    void sourced_registersForTheCustodyCommand() throws Exception {
        assumeTrue(haveBash(), "needs bash");
        Run r = bash("-c", "source \"$1\" && complete -p custody", "probe", script.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(" custody"), r.out());
    }
}
