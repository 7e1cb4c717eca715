package org.custody.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.files.OwnerOnly;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custody demo}: a small sample exam run through its whole life cycle with the command's own verbs,
 * then verified; each command is shown as an officer would type it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a small sample exam through its whole life cycle and verify it (演示).",
                "Generates 13 people with their own key files, a roster and a room plan, then runs init, people import,"
                        + " bags import, 15 handoffs from printing to grading, history and verify, showing each command."
                        + " Exit status: that of the verification (0 intact and no findings)."})
final class DemoCommand implements Callable<Integer> {
    /** The cast: id, name, role, site. */
    private static final String[][] PEOPLE = {
            {"P001", "于涵敏", "print_supervisor", ""}, {"P003", "杨丹", "printer_staff", ""},
            {"P006", "郝桂兰", "confidentiality_officer", ""}, {"P007", "李红秀", "confidentiality_officer", ""},
            {"P009", "邱国英", "discipline_inspector", ""}, {"P011", "戴英秀", "escort", ""}, {"P013", "邵建", "police", ""},
            {"P015", "万丹", "chief_examiner", "K01"}, {"P016", "武秀", "deputy_chief_examiner", "K01"},
            {"P020", "赵浩平", "invigilator", "K01"}, {"P021", "韩红", "invigilator", "K01"},
            {"P070", "魏志勇", "grading_leader", ""}, {"P071", "严杰海", "grader", ""}};
    private static final String EXAM = "HN-ZSB-2021";
    private static final String QA = EXAM + ".K01.01.S1.ENG.A";
    private static final String QB = EXAM + ".K01.01.S1.ENG.B";
    private static final String ANS = EXAM + ".K01.01.S1.ENG.ANS";
    private static final String BOX = EXAM + ".BOX.K01.S1";

    @Spec
    CommandSpec spec;

    @Option(names = {"-l", "--ledger"}, required = true, paramLabel = "FILE", description = "the demo ledger to create (must not exist)")
    Path ledger;

    @Option(names = "--alg", defaultValue = "ed25519", paramLabel = "ALG", description = "ed25519 (default) or sm2")
    Alg alg;

    @Option(names = "--work", paramLabel = "DIR",
            description = "where to put the generated roster, plan and key files (default: LEDGER.demo; must not exist)")
    Path work;

    private PrintWriter out;
    private Path keys;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        Path dir = work != null ? work : Path.of(ledger + ".demo");
        if (Files.exists(ledger)) {
            throw new UserError(ledger + " already exists; name a new file (the demo never overwrites a ledger)");
        }
        if (Files.exists(dir)) {
            throw new UserError(dir + " already exists; remove it or name another folder with --work");
        }
        keys = OwnerOnly.createDirectories(dir.resolve("keys")); // and dir: owner-only folders, as every file in them
        Path roster = dir.resolve("roster.csv");
        Path plan = dir.resolve("plan.csv");
        writeRoster(roster);
        copy("/demo/plan.csv", plan);
        SecureRandom random = new SecureRandom();
        for (String[] p : PEOPLE) {
            char[] passphrase = HexFormat.of().formatHex(random.generateSeed(12)).toCharArray();
            // the demo's keys use the fewest iterations allowed, so that it runs in seconds; real ones use 600,000
            KeyFiles.write(keys.resolve(p[0] + ".key"), SigningKey.generate(alg.algorithm, random), passphrase, KeyFiles.MIN_ITERATIONS);
            OwnerOnly.write(keys.resolve(p[0] + ".pass"), (new String(passphrase) + "\n").getBytes(StandardCharsets.UTF_8));
            Arrays.fill(passphrase, '\0');
        }
        OwnerOnly.write(dir.resolve("ledger-key.pass"), (HexFormat.of().formatHex(random.generateSeed(12)) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.println("Demo exam " + EXAM + ": 13 people with key files in " + keys + ", roster " + roster + ", room plan " + plan + ".");
        out.println("Each signer's passphrase is read from keys/PERSON.pass (--passphrase-file); at a real terminal each person types");
        out.println("their own without echo. Those options are left out of the commands shown.");
        String l = ledger.toString();

        int status = run("init", "--ledger", l, "--id", EXAM, "--alg", alg.name(), "--roster", roster.toString(), "--founder", "P006",
                "--founder", "P009", "--mode", "strict", "--at", "2021-06-01 09:00",
                "--ledger-key-passphrase-file", dir.resolve("ledger-key.pass").toString(), "--keys-dir", keys.toString());
        status = status != 0 ? status : run("people", "import", "--ledger", l, "--roster", roster.toString(), "--sponsor", "P006",
                "--at", "2021-06-01 10:00", "--keys-dir", keys.toString());
        status = status != 0 ? status : run("bags", "import", "--ledger", l, "--plan", plan.toString(), "--by", "P006", "--by", "P009",
                "--at", "2021-06-01 11:00", "--keys-dir", keys.toString());
        String[][] handoffs = {
                {"2021-06-08 09:00", "print", "", "P001", "P003,P006", "PRINTER", QA, "--count", "30"},
                {"2021-06-08 09:30", "print", "", "P001", "P003,P006", "PRINTER", QB, "--count", "30"},
                {"2021-06-08 15:00", "seal", "P001", "P006", "P003", "PRINTER", QA, "--count", "30", "--seal", "SN-2021-000123", "--seal-state", "intact"},
                {"2021-06-08 15:10", "seal", "P001", "P006", "P003", "PRINTER", QB, "--count", "30", "--seal", "SN-2021-000124", "--seal-state", "intact"},
                {"2021-06-09 04:00", "vault_in", "P006", "P007", "P009", "VAULT", QA + "," + QB, "--seal-state", "intact"},
                {"2021-06-09 05:30", "distribute", "P007", "P011", "P006,P009", "VAULT", QA + "," + QB, "--into", BOX},
                {"2021-06-09 07:20", "escort", "P011", "P015", "P013", "K01", QA + "," + QB, "--into", BOX},
                {"2021-06-09 08:30", "room_pickup", "P015", "P020", "P016", "K01", QA, "--seal", "SN-2021-000123", "--seal-state", "intact"},
                {"2021-06-09 08:55", "open", "", "P020", "P021,P016", "K01-01", QA, "--count", "30", "--seal", "SN-2021-000123", "--seal-state", "intact"},
                {"2021-06-09 11:40", "collect", "", "P020", "P021,P016", "K01-01", ANS, "--count", "30", "--present", "29", "--absent", "1",
                        "--seal", "SN-2021-A-000456", "--seal-state", "intact"},
                {"2021-06-09 11:50", "site_receipt", "P020", "P015", "P016", "K01", ANS},
                {"2021-06-09 12:00", "return_escort", "P015", "P011", "P013", "K01", ANS + "," + QB, "--into", BOX},
                {"2021-06-09 13:30", "vault_return", "P011", "P007", "P009", "VAULT", ANS + "," + QB + "," + BOX, "--seal-state", "intact"},
                {"2021-06-09 14:00", "grading_out", "P007", "P070", "P071", "GRADING", ANS, "--count", "30"},
                {"2021-06-09 17:30", "grading_return", "P070", "P007", "P009", "VAULT", ANS, "--count", "30", "--seal", "SN-2021-A-000457",
                        "--seal-state", "intact"}};
        for (String[] h : handoffs) {
            if (status != 0) {
                break;
            }
            List<String> args = new ArrayList<>(List.of("handoff", "--ledger", l, "--step", h[1], "--at", h[0]));
            if (!h[2].isEmpty()) {
                args.addAll(List.of("--from", h[2]));
            }
            args.addAll(List.of("--to", h[3]));
            for (String w : h[4].split(",")) {
                args.addAll(List.of("--witness", w));
            }
            args.addAll(List.of("--place", h[5]));
            for (String b : h[6].split(",")) {
                args.addAll(List.of("--bag", b));
            }
            args.addAll(Arrays.asList(h).subList(7, h.length));
            args.addAll(List.of("--keys-dir", keys.toString()));
            status = run(args.toArray(String[]::new));
        }
        if (status != 0) {
            spec.commandLine().getErr().println("error: the demo stopped at the command above (exit status " + status + ")");
            return status;
        }
        run("history", "--ledger", l, ANS);
        return run("verify", l);
    }

    /** Runs one command in this process, showing it (without the passphrase options) and its output. */
    private int run(String... args) {
        out.println();
        out.println("$ custody " + String.join(" ", quoted(args)));
        out.flush();
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (all.contains("--keys-dir")) {
            for (String[] p : PEOPLE) {
                all.add("--passphrase-file");
                all.add(p[0] + "=" + keys.resolve(p[0] + ".pass"));
            }
        }
        CommandLine cli = Custody.commandLine(out, spec.commandLine().getErr(), Terminal.lines(InputStream.nullInputStream()));
        return cli.execute(all.toArray(String[]::new));
    }

    private static List<String> quoted(String... args) {
        List<String> q = new ArrayList<>();
        for (String a : args) {
            q.add(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
        }
        return q;
    }

    private static void writeRoster(Path file) throws IOException {
        StringBuilder s = new StringBuilder("person,name,role,site,organisation,recused,recusal_reason\n");
        for (String[] p : PEOPLE) {
            s.append(p[0]).append(',').append(p[1]).append(',').append(p[2]).append(',').append(p[3]).append(",,,\n");
        }
        OwnerOnly.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the jar");
            }
            OwnerOnly.write(target, in.readAllBytes());
        }
    }
}
