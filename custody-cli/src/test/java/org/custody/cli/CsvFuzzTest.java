package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.model.Secrecy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets of the CSV imports (docs/fuzzing.md). {@code roster} and {@code roomPlan} read any bytes as a roster or
 * a room plan: they end in people or exams, or in a {@link UserError} (the CLI's input error, exit status 2, naming
 * the file and line) or a {@link MalformedInputException} (a value the model refuses), never in anything else.
 * {@code bagsImport} runs the real {@code custody bags import} of any bytes as the plan into a real ledger: it exits
 * 0 (or 1, stored with rule findings), 2 (bad input), 3 or 4 (refused), never 70 (an unexpected failure), and when it
 * does not store, the ledger has not grown. Seeds: the sample exam's roster and room plan.
 */
class CsvFuzzTest {
    private static final RoomPlan.Options OPTIONS = new RoomPlan.Options(Secrecy.CONFIDENTIAL, Secrecy.CONFIDENTIAL, true, true);
    private static Path dir;
    private static Path keys;
    private static Path ledger;

    @BeforeAll
    static void ledger() throws IOException {
        dir = Files.createTempDirectory("csv-fuzz");
        keys = Files.createDirectory(dir.resolve("keys"));
        SecureRandom random = new SecureRandom();
        for (String p : List.of("P006", "P009")) {
            Cli.keyFile(keys, p, SignatureAlgorithm.ED25519, random);
        }
        ledger = dir.resolve("exam.db");
        Cli.Result init = Cli.run("ledger key passphrase\n", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "init", "--ledger",
                ledger.toString(), "--id", "HN-ZSB-2021", "--roster", Cli.resource(dir, "roster.csv").toString(), "--founder",
                "P006", "--founder", "P009", "--at", "2021-06-01 09:00"));
        assertEquals(0, init.status(), init.toString());
    }

    @AfterAll
    static void clean() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path file(byte[] data) throws IOException {
        Path file = dir.resolve("input.csv");
        Files.deleteIfExists(file);
        return Files.write(file, data);
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void roster(byte[] data) throws IOException {
        try {
            Roster.read(file(data), "HN-ZSB-2021");
        } catch (UserError | MalformedInputException expected) {
            // the typed failures
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void roomPlan(byte[] data) throws IOException {
        try {
            RoomPlan.read(file(data), OPTIONS);
        } catch (UserError | MalformedInputException expected) {
            // the typed failures
        }
    }

    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "10m")
    void bagsImport(byte[] data) throws IOException {
        Path plan = file(data);
        long before = size();
        Cli.Result r = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006"), "bags", "import", "--ledger", ledger.toString(),
                "--plan", plan.toString(), "--by", "P006"));
        assertTrue(Set.of(0, 1, 2, 3, 4).contains(r.status()), r.toString());
        if (r.status() > 1) {
            assertEquals(before, size(), "a refused import stored something\n" + r);
        }
    }

    private static long size() {
        try (Ledger l = Ledger.open(ledger)) {
            return l.head().size();
        }
    }
}
