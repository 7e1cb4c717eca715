package org.custody.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The terminal's echo when the launcher ({@code bin/custody}) turned it off before Java started, so that a
 * passphrase typed ahead of its prompt is not shown in clear (docs/cli.md, "Keys and passphrases"). The launcher
 * says so with {@code -Dcustody.echo=off} and puts the terminal back when Java ends. A passphrase is then read with
 * echo off as always ({@code Console.readPassword} leaves it as it found it); before the first line a person should
 * see as they type (a bag id, a key file's path, a scanned label), echo is turned back on, with {@code stty echo} on
 * the terminal Java reads from: Java itself has no call for it.
 */
final class TerminalEcho {
    /** The system property by which the launcher says it turned echo off. */
    static final String PROPERTY = "custody.echo";

    private static boolean off = "off".equals(System.getProperty(PROPERTY));

    private TerminalEcho() {}

    /** Before reading what a person should see as they type: turns the terminal's echo back on, if the launcher turned it off. */
    static synchronized void beforeVisibleInput() {
        if (!off) {
            return;
        }
        off = false;
        boolean done;
        try {
            Process stty = new ProcessBuilder("stty", "echo").redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            done = stty.waitFor(10, TimeUnit.SECONDS) && stty.exitValue() == 0;
            if (!done) {
                stty.destroy();
            }
        } catch (IOException e) {
            done = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            System.err.println("note: what you type is not shown (stty echo failed); it is read all the same"
                    + " (输入不回显，但仍会读取)");
        }
    }
}
