package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * SoftHSM2 tokens for the token-key tests, made with Debian's {@code softhsm2-util} and OpenSC's {@code pkcs11-tool} (both
 * installed by tools/build/debian-packages.sh) in the directory that {@code SOFTHSM2_CONF} names (surefire sets it under
 * target/). SoftHSM2 reads its tokens once, when the module is first loaded in a process, so every token is made here,
 * once, before any test loads the module. Missing tools fail the tests; they never skip.
 */
final class SoftHsm {
    static final Path MODULE = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String SO_PIN = "87654321";
    /** P007's token: an Ed25519 key made on the token, sensitive and never extractable. */
    static final String P007 = "custody-P007";
    static final String P007_PIN = "7007-pin";
    /** A token whose Ed25519 key was made extractable, which Custody refuses. */
    static final String LOOSE = "custody-loose";
    /** A token holding an ECDSA P-256 key, which no Custody ledger signs with. */
    static final String ECDSA = "custody-ecdsa";
    static final String PIN = "1234-pin";

    private static boolean made;

    private SoftHsm() {}

    /** Makes the tokens (once per test process) and returns the module. */
    static synchronized Path tokens() {
        if (!made) {
            make();
            made = true;
        }
        return MODULE;
    }

    /** A token key URI: {@code pkcs11:token=LABEL;object=signing}. */
    static String uri(String token) {
        return "pkcs11:token=" + token + ";object=signing";
    }

    private static void make() {
        assertTrue(Files.isRegularFile(MODULE), MODULE + " is missing: install Debian's softhsm2 (tools/build/debian-packages.sh)");
        String conf = System.getenv("SOFTHSM2_CONF");
        assertNotNull(conf, "SOFTHSM2_CONF is not set: surefire sets it (custody-cli/pom.xml)");
        Path confFile = Path.of(conf);
        Path dir = confFile.resolveSibling("tokens");
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
            Files.writeString(confFile, "directories.tokendir = " + dir + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        token(P007, P007_PIN, "EC:edwards25519", false);
        token(LOOSE, PIN, "EC:edwards25519", true);
        token(ECDSA, PIN, "EC:prime256v1", false);
    }

    private static void token(String label, String pin, String keyType, boolean extractable) {
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", pin);
        List<String> gen = new ArrayList<>(List.of("pkcs11-tool", "--module", MODULE.toString(), "--token-label", label, "--login",
                "--pin", pin, "--keypairgen", "--key-type", keyType, "--label", "signing", "--id", "01"));
        if (extractable) {
            gen.add("--extractable");
        }
        run(gen.toArray(String[]::new));
    }

    /** Runs a tool with the test process's SOFTHSM2_CONF; fails naming the tool and its output unless it exits 0. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + output);
            return output;
        } catch (IOException e) {
            throw new AssertionError(command[0] + " cannot run (" + e.getMessage() + "): install Debian's softhsm2 and opensc"
                    + " (tools/build/debian-packages.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
