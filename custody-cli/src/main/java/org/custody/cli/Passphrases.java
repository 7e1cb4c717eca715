package org.custody.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.custody.crypto.KeyFiles;
import org.custody.files.OwnerOnly;

/**
 * Passphrases for key files: from a passphrase file (first line), or asked at the terminal without echo,
 * or the next line of standard input when there is no terminal. Never taken from the command line, never
 * printed; callers clear the returned arrays.
 */
final class Passphrases {
    private static final int MAX_FILE = 4096;

    private Passphrases() {}

    /**
     * The first line of {@code file}, without its line ending. A file that users other than its owner may read or
     * change is refused, as a key file is.
     */
    static char[] fromFile(Path file) {
        byte[] bytes;
        try {
            refuseIfExposed(file, "passphrase file", "口令文件");
            if (Files.size(file) > MAX_FILE) {
                throw new UserError("passphrase file " + file + " is larger than " + MAX_FILE + " bytes; put only the passphrase on its first line");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("passphrase file " + file + " does not exist; check the path given to --passphrase-file");
        } catch (IOException e) {
            throw new UserError("cannot read passphrase file " + file + ": " + e.getMessage() + "; check its permissions");
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        char[] chars;
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end));
            chars = Arrays.copyOfRange(decoded.array(), decoded.arrayOffset(), decoded.arrayOffset() + decoded.limit());
            Arrays.fill(decoded.array(), '\0');
        } catch (CharacterCodingException e) {
            throw new UserError("passphrase file " + file + " is not UTF-8 text; write the passphrase as UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (chars.length == 0) {
            throw new UserError("passphrase file " + file + " has an empty first line; write the passphrase on it");
        }
        return chars;
    }

    /** Refuses a secret file that users other than its owner may read or change, naming chmod 600 (ssh's rule). */
    static void refuseIfExposed(Path file, String what, String whatZh) throws IOException {
        Optional<String> exposed = OwnerOnly.exposure(file, what, whatZh);
        if (exposed.isPresent()) {
            throw new UserError(exposed.get());
        }
    }

    /** Reads an existing key file's passphrase: from {@code file} if given, else from the terminal. */
    static char[] existing(Terminal terminal, Path file, String prompt, String whose) {
        if (file != null) {
            return fromFile(file);
        }
        char[] p = terminal.readPassword(prompt);
        if (p == null) {
            throw new UserError("no passphrase for " + whose + ": standard input ended. Give it at a terminal, as the next line of"
                    + " standard input, or with --passphrase-file");
        }
        return p;
    }

    /**
     * A passphrase for a new key file: from {@code file} if given; at a terminal asked twice, until both
     * match and it is long enough; else the next line of standard input.
     */
    static char[] fresh(Terminal terminal, Path file, String what) {
        if (file != null) {
            return requireLength(fromFile(file), what);
        }
        if (!terminal.interactive()) {
            char[] p = terminal.readPassword("");
            if (p == null) {
                throw new UserError("no passphrase for " + what + ": standard input ended. Give it as a line of standard input, "
                        + "with --passphrase-file, or run at a terminal");
            }
            return requireLength(p, what);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            char[] first = terminal.readPassword("New passphrase for " + what + " (at least " + KeyFiles.MIN_PASSPHRASE + " characters): ");
            if (first == null) {
                break;
            }
            if (first.length < KeyFiles.MIN_PASSPHRASE) {
                Arrays.fill(first, '\0');
                terminal.readLine("Too short. Press Enter to try again.");
                continue;
            }
            char[] second = terminal.readPassword("Repeat the passphrase: ");
            boolean same = second != null && constantTimeEquals(first, second);
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            if (same) {
                return first;
            }
            Arrays.fill(first, '\0');
            terminal.readLine("The two passphrases differ. Press Enter to try again.");
        }
        throw new UserError("no passphrase chosen for " + what + "; nothing was written. Run the command again");
    }

    private static char[] requireLength(char[] p, String what) {
        if (p.length < KeyFiles.MIN_PASSPHRASE) {
            Arrays.fill(p, '\0');
            throw new UserError("the passphrase for " + what + " is too short: use at least " + KeyFiles.MIN_PASSPHRASE + " characters");
        }
        return p;
    }

    /** Compares passphrases in time that depends only on their lengths, not on where they first differ. */
    static boolean constantTimeEquals(char[] a, char[] b) {
        int diff = a.length ^ b.length;
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
        }
        return diff == 0;
    }
}
