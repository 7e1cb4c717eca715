package org.custody.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Where the command reads what people type: the console when a person sits at it (passphrases without
 * echo), else standard input, one line per question, for scripts, tests and USB scanners. The console shows
 * prompts; piped input gets none. Nothing read here is ever logged.
 */
interface Terminal {
    /** True when a person is at a console: questions can be asked and passphrases read without echo. */
    boolean interactive();

    /** The next line typed or piped in, or {@code null} at the end of input. */
    String readLine(String prompt);

    /** A passphrase, read without echo at a console; {@code null} at the end of input. The caller clears it. */
    char[] readPassword(String prompt);

    /** The system console if standard input and output are a terminal, else standard input as lines. */
    static Terminal system() {
        Console console = System.console();
        if (console != null && isTerminal(console)) {
            return new ConsoleTerminal(console);
        }
        return lines(System.in);
    }

    /** Lines from {@code in} (UTF-8), without prompts: each question takes the next line. */
    static Terminal lines(InputStream in) {
        return new LineTerminal(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /**
     * From JDK 22 {@code System.console()} may return a console even when input is redirected; its
     * {@code isTerminal()} (absent on 17) then tells. Called reflectively so the code runs on both.
     */
    private static boolean isTerminal(Console console) {
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** A person at the system console. */
    final class ConsoleTerminal implements Terminal {
        private final Console console;

        ConsoleTerminal(Console console) {
            this.console = console;
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public String readLine(String prompt) {
            TerminalEcho.beforeVisibleInput();
            return console.readLine("%s", prompt);
        }

        @Override
        public char[] readPassword(String prompt) {
            return console.readPassword("%s", prompt);
        }
    }

    /** Lines from a stream: no person to ask, so every question takes the next line. */
    final class LineTerminal implements Terminal {
        private final BufferedReader in;

        LineTerminal(BufferedReader in) {
            this.in = in;
        }

        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public String readLine(String prompt) {
            try {
                return in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
            }
        }

        @Override
        public char[] readPassword(String prompt) {
            String line = readLine(prompt);
            return line == null ? null : line.toCharArray();
        }
    }
}
