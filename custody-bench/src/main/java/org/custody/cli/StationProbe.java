package org.custody.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.custody.bench.BenchData;
import org.custody.bench.Workload;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Step;

/**
 * The station's own work on a large ledger (issue #16's targets: a scan confirmed within 100 ms; the entry durable and
 * shown within 1 s of the last confirmation), wall time per step of {@link Station}, the logic behind the screen, on a
 * copy of a benchmark ledger ({@code BuildLedgers}' workload: 1,000 bags, each with ledger-size / 1,000 entries). Each
 * round takes another bag through the whole handoff as the vault door does: scan its label (the first scan after an
 * append re-reads what the append changed), the steps offered, the preflight, each party's signature, the append.
 * "Last confirmation to shown" is the last signature plus the append, which is what the screen waits for after the last
 * person confirms. In package {@code org.custody.cli} to reach the package-private station. From the repository root:
 *
 * <pre>java -cp custody-bench/target/benchmarks.jar org.custody.cli.StationProbe 100000 1000000 [rounds]</pre>
 */
public final class StationProbe {
    private StationProbe() {}

    public static void main(String[] args) throws Exception {
        BenchData.SizesAndRounds run = BenchData.SizesAndRounds.parse(args, 20);
        Workload workload = BenchData.workload();
        Path keys = Files.createDirectories(BenchData.dir().resolve("station-keys"));
        char[] passphrase = "station probe passphrase".toCharArray();
        for (int i = 0; i < 6; i++) { // the workload's six people, P001-P006, with few PBKDF2 rounds: sign-in is not measured
            Files.deleteIfExists(keys.resolve("P00" + (i + 1) + ".key"));
            KeyFiles.write(keys.resolve("P00" + (i + 1) + ".key"), workload.key(i), passphrase, KeyFiles.MIN_ITERATIONS);
        }
        for (long entries : run.sizes()) {
            Path built = BenchData.ledger(entries);
            Path copy = built.resolveSibling("station-" + entries + ".db");
            copy(built, copy);
            System.out.printf("%,d entries (%s), %d rounds, ms:%n", entries, copy, run.rounds());
            probe(copy, keys, passphrase, run.rounds());
        }
        Arrays.fill(passphrase, '\0');
    }

    private static void probe(Path file, Path keys, char[] passphrase, int rounds) {
        try (Station station = Station.open(file, "K01", ZoneId.of("Asia/Shanghai"), Clock.systemUTC(), null)) {
            List<Station.Credential> in = new ArrayList<>();
            for (String p : List.of("P001", "P004", "P005")) { // the officer, the escort and the police witness
                in.add(new Station.Credential(PersonId.of(p), keys.resolve(p + ".key"), passphrase.clone()));
            }
            station.signIn(in).forEach(s -> {
                if (!s.ok()) {
                    throw new IllegalStateException(s.message());
                }
            });
            Ledger ledger = ((LocalStationLedger) station.ledger()).ledger();
            List<long[]> times = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                BagId bag = BenchData.workload().bag(round * 37 % BenchData.BAGS);
                String label = ledger.label(bag).payload();
                long t0 = System.nanoTime();
                Station.Scan scan = station.scan(label);
                long t1 = System.nanoTime();
                station.drop(bag);
                Station.Scan again = station.scan(label); // the same scan once nothing changed since
                long t2 = System.nanoTime();
                if (!scan.ok() || !again.ok()) {
                    throw new IllegalStateException("scan refused: " + (scan.ok() ? again : scan).reason());
                }
                List<Step> steps = station.nextSteps();
                long t3 = System.nanoTime();
                PersonId holder = scan.where().holder();
                PersonId other = holder.value().equals("P001") ? PersonId.of("P004") : PersonId.of("P001");
                Map<BagId, String> seals = station.sealsOnRecord();
                Station.Prepared prepared = station.prepare(new Station.Form(steps.contains(Step.ESCORT) ? Step.ESCORT : steps.get(0),
                        holder, other, List.of(PersonId.of("P005")), Map.of(), Map.of(bag, seals.get(bag)),
                        org.custody.model.SealState.INTACT, null, null));
                long t4 = System.nanoTime();
                if (!prepared.signable()) {
                    throw new IllegalStateException("not signable: " + prepared.problems() + " " + prepared.refusals());
                }
                List<PersonId> parties = prepared.handoff().parties();
                for (int p = 0; p < parties.size() - 1; p++) {
                    station.sign(prepared, parties.get(p));
                }
                long t5 = System.nanoTime(); // the last person confirms now
                station.sign(prepared, parties.get(parties.size() - 1));
                Appended done = station.append(prepared);
                long t6 = System.nanoTime();
                times.add(new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3, t6 - t5, done.seq()});
            }
            System.out.println("  round  scan(after append)  scan(again)  steps offered  preflight  last confirmation to shown  entry");
            for (int r = 0; r < times.size(); r++) {
                long[] t = times.get(r);
                System.out.printf("  %5d  %18.1f  %11.1f  %13.1f  %9.1f  %26.1f  #%,d%n", r + 1, t[0] / 1e6, t[1] / 1e6, t[2] / 1e6,
                        t[3] / 1e6, t[4] / 1e6, t[5]);
            }
            for (int c = 0; c < 5; c++) {
                int col = c;
                long[] v = times.stream().skip(Math.min(2, times.size() - 1)).mapToLong(t -> t[col]).sorted().toArray();
                System.out.printf("  %s: median %.1f, max %.1f (rounds 3-)%n", List.of("scan after append", "scan again", "steps offered",
                        "preflight", "last confirmation to shown").get(c), v[v.length / 2] / 1e6, v[v.length - 1] / 1e6);
            }
            parts(station, BenchData.workload().bag(5));
        }
    }

    /** Where a scan's time goes: the ledger reads it makes, and keeping the draft on disk (written and synced). */
    private static void parts(Station station, BagId bag) {
        Ledger ledger = ((LocalStationLedger) station.ledger()).ledger();
        org.custody.label.Label label = ledger.label(bag);
        StationDraftFile.Kept kept = StationDraftFile.Kept.scansOnly(station.place(), List.of(label.payload()));
        Map<String, Runnable> parts = new java.util.LinkedHashMap<>();
        parts.put("checkLabel", () -> ledger.checkLabel(label));
        parts.put("bags() (all registrations)", ledger::bags);
        parts.put("places()", ledger::places);
        parts.put("history(bag)", () -> ledger.history(bag));
        parts.put("whereabouts(bag)", () -> station.whereabouts(bag));
        parts.put("keep the draft (write + sync)", () -> station.draftFile().save(kept));
        System.out.println("  parts, median of 9 (ms):");
        parts.forEach((name, part) -> {
            long[] t = new long[9];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                part.run();
                t[i] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            System.out.printf("    %-32s %8.1f%n", name, t[4] / 1e6);
        });
        station.draftFile().discard();
    }

    private static void copy(Path from, Path to) {
        try {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(to.resolveSibling(to.getFileName() + suffix));
            }
            Files.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
