package org.custody.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;

/** Runs the real command line in-process: arguments and standard input in, output, errors and status out. */
final class Cli {
    /** What one run printed and returned. */
    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }

        @Override
        public String toString() {
            return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Fewest PBKDF2 iterations allowed: real key files that unlock quickly in tests. */
    static final int FAST = KeyFiles.MIN_ITERATIONS;

    private Cli() {}

    static Result run(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static Result run(InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), Terminal.lines(stdin)).execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    static String passphrase(String person) {
        return "passphrase of " + person;
    }

    /** A real key file DIR/PERSON.key with {@link #passphrase} and a passphrase file DIR/PERSON.pass. */
    static SigningKey keyFile(Path dir, String person, SignatureAlgorithm alg, SecureRandom random) {
        SigningKey key = SigningKey.generate(alg, random);
        KeyFiles.write(dir.resolve(person + ".key"), key, passphrase(person).toCharArray(), FAST);
        try {
            secret(dir.resolve(person + ".pass"), passphrase(person) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    /** Writes {@code text} to {@code file} readable by its owner only, as a passphrase file must be. */
    static Path secret(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** {@code --keys-dir DIR} and a {@code --passphrase-file} for each person. */
    static List<String> signerArgs(Path dir, String... people) {
        List<String> args = new ArrayList<>(List.of("--keys-dir", dir.toString()));
        for (String p : people) {
            args.add("--passphrase-file");
            args.add(p + "=" + dir.resolve(p + ".pass"));
        }
        return args;
    }

    static Path resource(Path dir, String name) {
        try (InputStream in = Cli.class.getResourceAsStream("/sample-exam/" + name)) {
            Path target = dir.resolve(name);
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command {@code command} followed by the signer options {@code signers}. */
    static String[] args(List<String> signers, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(signers);
        return all.toArray(String[]::new);
    }

    /**
     * A ledger at {@code dir/exam.db} of the sample exam: founded by P006 and P009, P007 enrolled, the plan's bags
     * registered (no boxes); their key files in {@code dir/keys}.
     */
    static Path vaultExam(Path dir) throws Exception {
        Path keys = java.nio.file.Files.createDirectory(dir.resolve("keys"));
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (String p : List.of("P006", "P009", "P007")) {
            keyFile(keys, p, org.custody.crypto.SignatureAlgorithm.ED25519, random);
        }
        Path roster = resource(dir, "roster.csv");
        Path plan = resource(dir, "plan.csv");
        Path ledger = dir.resolve("exam.db");
        secret(dir.resolve("l.pass"), "ledger key passphrase\n");
        requireOk(run("", args(signerArgs(keys, "P006", "P009"), "init", "--ledger", ledger.toString(), "--id", "HN-ZSB-2021",
                "--roster", roster.toString(), "--founder", "P006", "--founder", "P009", "--ledger-key-passphrase-file",
                dir.resolve("l.pass").toString())));
        requireOk(run("", args(signerArgs(keys, "P006", "P007"), "people", "import", "--ledger", ledger.toString(),
                "--roster", roster.toString(), "--sponsor", "P006", "--person", "P007")));
        requireOk(run("", args(signerArgs(keys, "P006"), "bags", "import", "--ledger", ledger.toString(), "--plan",
                plan.toString(), "--by", "P006", "--no-boxes", "--at", "2021-06-01 11:00")));
        return ledger;
    }

    private static void requireOk(Result r) {
        org.junit.jupiter.api.Assertions.assertEquals(0, r.status(), r.toString());
    }
}
