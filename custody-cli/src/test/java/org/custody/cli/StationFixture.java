package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.label.Label;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;

/**
 * A real exam ledger for station tests, made through the command line as officers make one (init, people, bags, then
 * print, seal and vault_in of four question-paper bags, three of site K01 and one of K02), with real key files: strict
 * policy, so that a rule breach is refused. Made once per test class and copied for each test.
 */
final class StationFixture {
    static final List<String> CAST = List.of("P001", "P003", "P006", "P007", "P009", "P011", "P013");
    static final BagId Q1 = BagId.of("HN-ZSB-2021.K01.01.S1.ENG.A");
    static final BagId Q2 = BagId.of("HN-ZSB-2021.K01.02.S1.ENG.A");
    static final BagId Q3 = BagId.of("HN-ZSB-2021.K01.03.S1.ENG.A");
    static final BagId K2 = BagId.of("HN-ZSB-2021.K02.01.S1.ENG.A");
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The morning of distribution, after vault_in at 04:00. */
    static final Instant MORNING = Instant.parse("2021-06-08T21:30:00Z");

    final Path dir;
    final Path keys;
    final Path ledger;

    private StationFixture(Path dir) {
        this.dir = dir;
        this.keys = dir.resolve("keys");
        this.ledger = dir.resolve("exam.db");
    }

    static StationFixture create(Path dir) throws Exception {
        StationFixture f = new StationFixture(dir);
        Files.createDirectory(f.keys);
        SecureRandom random = new SecureRandom();
        for (String p : CAST) {
            Cli.keyFile(f.keys, p, SignatureAlgorithm.ED25519, random);
        }
        Path roster = Cli.resource(dir, "roster.csv");
        Path plan = Cli.resource(dir, "plan.csv");
        Cli.secret(dir.resolve("ledger.pass"), "ledger key passphrase\n");
        ok(Cli.run("", Cli.args(Cli.signerArgs(f.keys, "P006", "P009"), "init", "--ledger", f.ledger.toString(), "--id", "HN-ZSB-2021",
                "--roster", roster.toString(), "--founder", "P006", "--founder", "P009", "--at", "2021-06-01 09:00", "--mode", "strict",
                "--ledger-key-passphrase-file", dir.resolve("ledger.pass").toString())));
        ok(Cli.run("", Cli.args(Cli.signerArgs(f.keys, CAST.toArray(String[]::new)), "people", "import", "--ledger", f.ledger.toString(),
                "--roster", roster.toString(), "--sponsor", "P006", "--at", "2021-06-01 10:00")));
        ok(Cli.run("", Cli.args(Cli.signerArgs(f.keys, "P006", "P009"), "bags", "import", "--ledger", f.ledger.toString(),
                "--plan", plan.toString(), "--by", "P006", "--by", "P009", "--at", "2021-06-01 11:00")));
        List<BagId> four = List.of(Q1, Q2, Q3, K2);
        f.handoff("2021-06-08 09:00", "print", null, "P001", "P003,P006", "PRINTER", four);
        for (int i = 0; i < four.size(); i++) { // counts and seals are per bag
            f.handoff("2021-06-08 15:0" + i, "seal", "P001", "P006", "P003", "PRINTER", List.of(four.get(i)), "--count", "30", "--seal",
                    "SN-" + (i + 1), "--seal-state", "intact");
        }
        f.handoff("2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", four);
        return f;
    }

    /** A copy of this fixture's ledger and keys in {@code to}, for one test to change. */
    StationFixture copyTo(Path to) throws Exception {
        StationFixture f = new StationFixture(to);
        Files.copy(ledger, f.ledger);
        Files.createDirectory(f.keys);
        try (var files = Files.list(keys)) {
            for (Path p : files.toList()) {
                Files.copy(p, f.keys.resolve(p.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return f;
    }

    private void handoff(String at, String step, String from, String to, String witnesses, String place, List<BagId> bags,
                         String... more) {
        List<String> args = new ArrayList<>(List.of("handoff", "--ledger", ledger.toString(), "--step", step, "--at", at, "--to", to,
                "--place", place));
        List<String> people = new ArrayList<>(List.of(to));
        if (from != null) {
            args.addAll(List.of("--from", from));
            people.add(from);
        }
        for (String w : witnesses.split(",")) {
            args.addAll(List.of("--witness", w));
            people.add(w);
        }
        for (BagId b : bags) {
            args.addAll(List.of("--bag", b.value()));
        }
        args.addAll(List.of(more));
        ok(Cli.run("", Cli.args(Cli.signerArgs(keys, people.toArray(String[]::new)), args.toArray(String[]::new))));
    }

    private static void ok(Cli.Result r) {
        assertEquals(0, r.status(), r.toString());
    }

    /** The label the ledger prints for {@code bag} now. */
    Label label(BagId bag) {
        try (Ledger l = Ledger.open(ledger)) {
            return l.label(bag);
        }
    }

    long size() {
        try (Ledger l = Ledger.open(ledger)) {
            return l.head().size();
        }
    }

    Station station(String place, Clock clock, Duration idle) {
        return Station.open(ledger, place, ZONE, clock, idle);
    }

    Station.Credential credential(String person) {
        return new Station.Credential(org.custody.model.PersonId.of(person), keys.resolve(person + ".key"),
                Cli.passphrase(person).toCharArray());
    }

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        private volatile Instant now;

        HandClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }
    }

    /** What a screen shows now (a terminal emulator's or tmux's copy of it). */
    @FunctionalInterface
    interface Screen {
        String now() throws Exception;
    }

    /** Waits until {@code screen} shows {@code text} and returns what it shows, or fails saying what it shows instead. */
    static String waitFor(Screen screen, String text, Duration patience, Duration poll) throws Exception {
        long end = System.nanoTime() + patience.toNanos();
        String s = screen.now();
        while (!s.contains(text)) {
            if (System.nanoTime() > end) {
                org.junit.jupiter.api.Assertions.fail("the screen never showed '" + text + "'; it shows:\n" + s);
            }
            Thread.sleep(poll.toMillis());
            s = screen.now();
        }
        return s;
    }
}
