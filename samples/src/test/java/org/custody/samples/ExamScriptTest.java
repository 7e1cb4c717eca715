package org.custody.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.custody.cli.Custody;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.custody.model.IncidentType;
import org.custody.model.Step;
import org.custody.record.Entry;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the sample exam's script, {@code samples/exam/run-exam.sh}, end to end in both modes. The script runs
 * under bash as written, with {@code CUSTODY} naming a recorder instead of the launcher: each {@code custody}
 * invocation it makes is then executed here, in order, through the command line's own entry point, so the
 * test runs exactly the commands the script runs (the batch file it writes included) without a Java start
 * per command.
 */
@Execution(ExecutionMode.CONCURRENT)
class ExamScriptTest {
    private static final Path SCRIPT = Path.of("exam", "run-exam.sh");
    private static final String EXAM = "HN-ZSB-2021";

    /** One {@code custody} invocation of the script and what it did. */
    record Call(List<String> args, int status, String out, String err) {
        @Override
        public String toString() {
            String o = out.length() > 4000 ? "…" + out.substring(out.length() - 4000) : out;
            return "custody " + String.join(" ", args) + "\nstatus " + status + "\n--- out\n" + o + "--- err\n" + err;
        }
    }

    @TempDir
    Path dir;

    @Test
    void cleanRun_strictPolicy_everyHandoffAcceptedAndReportHasNoFindings() throws Exception {
        List<Call> calls = runScript("clean");
        Call batch = calls.get(0);
        assertEquals(0, batch.status(), batch::toString);
        assertFalse(batch.out().contains("custody-rule finding"), batch::toString);

        JsonNode report = report(calls);
        assertEquals(0, report.get("exitStatus").asInt(), report::toPrettyString);
        assertTrue(report.get("intact").asBoolean());
        assertEquals(0, report.get("total").asInt(), report::toPrettyString);
        assertEquals(0, calls.get(2).status(), calls.get(2)::toString);
        assertTrue(calls.get(2).out().contains("no findings"), calls.get(2)::toString);
        // vault inspections are routine, and nothing else was out of the ordinary: no exception recorded
        assertEquals(0, report.get("exceptionCount").asLong(), report::toPrettyString);
        assertEquals(0, report.get("exceptions").size(), report::toPrettyString);
        assertTrue(calls.get(2).out().contains("Exceptions recorded 异常记录: none\n"), calls.get(2)::toString);

        try (Ledger ledger = Ledger.open(dir.resolve("work/exam.db"))) {
            // 120 question-paper bags, 12 spare-paper bags, 60 answer-sheet bags, 6 transport boxes
            assertEquals(198, ledger.bags().size());
            for (String site : List.of("K01", "K02")) {
                for (int room = 1; room <= 10; room++) {
                    for (String s : List.of("S1.ENG", "S2.MATH", "S3.MAJ")) {
                        String prefix = EXAM + "." + site + "." + String.format("%02d", room) + "." + s + ".";
                        assertEquals(Step.OPEN, lastStep(ledger, prefix + "A"), prefix + "A");
                        assertEquals(Step.VAULT_RETURN, lastStep(ledger, prefix + "B"), prefix + "B");
                        assertEquals(Step.GRADING_RETURN, lastStep(ledger, prefix + "ANS"), prefix + "ANS");
                    }
                }
            }
        }
    }

    @Test
    void incidentRun_reportNamesExactlyThePlantedBreaches() throws Exception {
        List<Call> calls = runScript("incidents");
        Call batch = calls.get(0);
        assertEquals(1, batch.status(), batch::toString);

        JsonNode report = report(calls);
        assertEquals(1, report.get("exitStatus").asInt(), report::toPrettyString);
        assertTrue(report.get("intact").asBoolean(), report::toPrettyString);
        assertEquals(1, calls.get(2).status(), calls.get(2)::toString);
        String escortBox = EXAM + ".BOX.K02.S1";
        // each finding as its code, its bags (or, naming none, its people) and its entry; R18 lists two entries of one person
        String k0108S3Ans = EXAM + ".K01.08.S3.MAJ.ANS";
        Set<String> planted = new TreeSet<>(List.of(
                "R06 " + EXAM + ".K01.07.S1.ENG.A @" + seqOf("open-K01-07-S1", EXAM + ".K01.07.S1.ENG.A"),
                "R07 " + EXAM + ".K02.04.S2.MATH.ANS @" + seqOf("collect-K02-04-S2", EXAM + ".K02.04.S2.MATH.ANS"),
                "R08 (no bag) P040 @" + seqOfId("vault-inspection-10-16"),
                "R15 " + String.join(",", bagsMoved("escort-K02-S1", escortBox)) + " @" + seqOf("escort-K02-S1", escortBox),
                "R16 " + EXAM + ".K01.03.S2.MATH.A @" + seqOf("pickup-K01-03-S2", EXAM + ".K01.03.S2.MATH.A"),
                "R17 " + EXAM + ".K01.BY.S3.MAJ.B @" + seqOfId("spare-approval-K01-S3"),
                // P035's key, declared compromised from 10:00 on 2021-06-10: what it signed since (not the pickup and
                // opening of 08:37 and 08:55)
                "R18 (no bag) P035 @" + seqOf("collect-K01-08-S3", k0108S3Ans),
                "R18 (no bag) P035 @" + seqOf("ans-receipt-K01-08-S3", k0108S3Ans),
                "R19 " + EXAM + ".K01.05.S3.MAJ.B @" + seqOf("open-K01-05-S3", EXAM + ".K01.05.S3.MAJ.B"),
                "R20 " + EXAM + ".K02.10.S1.ENG.A @" + seqOf("open-K02-10-S1", EXAM + ".K02.10.S1.ENG.A"),
                "R21 " + EXAM + ".K01.02.S1.ENG.B," + EXAM + ".BOX.K01.S2 @" + seqOf("distribute-K01-S2", EXAM + ".K01.02.S1.ENG.B")));
        Set<String> found = new TreeSet<>();
        for (JsonNode f : report.get("findings")) {
            List<String> bags = new java.util.ArrayList<>();
            f.get("bags").forEach(b -> bags.add(b.asText()));
            List<String> people = new java.util.ArrayList<>();
            f.get("people").forEach(p -> people.add(p.asText()));
            found.add(f.get("code").asText() + " " + (bags.isEmpty() ? "(no bag) " + String.join(",", people)
                    : String.join(",", bags)) + " @" + f.get("seq").asLong());
        }
        assertEquals(planted, found, report::toPrettyString);
        assertEquals(11, report.get("total").asInt(), report::toPrettyString);

        // the exceptions recorded (异常记录) are listed too, not as findings: exactly the planted ones
        String broken = EXAM + ".K02.06.S2.MATH.A";
        String short1 = EXAM + ".K02.04.S2.MATH.ANS";
        String withdrawnBags = withdrawnBags();
        Map<String, Long> plantedExceptions = new TreeMap<>(Map.of(
                "handoff room_pickup " + broken, seqOf("pickup-K02-06-S2", broken),
                "incident seal_broken " + broken, seqOf("seal-broken-K02-06-S2", broken),
                "handoff open " + broken, seqOf("open-K02-06-S2", broken),
                "incident miscount " + short1, seqOf("miscount-K02-04-S2", short1),
                "incident suspected_leak ", seqOfId("leak-S3-MAJ-A"),
                "incident set_withdrawn " + withdrawnBags, seqOfId("withdraw-S3-MAJ-A"),
                "incident spare_opening_approval " + EXAM + ".K01.BY.S3.MAJ.B", seqOfId("spare-approval-K01-S3")));
        Map<String, Long> foundExceptions = new TreeMap<>();
        for (JsonNode e : report.get("exceptions")) {
            List<String> bags = new java.util.ArrayList<>();
            e.get("bags").forEach(b -> bags.add(b.asText()));
            foundExceptions.put(e.get("record").asText() + " " + e.get("type").get("wire").asText() + " " + String.join(",", bags),
                    e.get("seq").asLong());
            if (e.get("type").get("wire").asText().equals("set_withdrawn")) {
                JsonNode set = e.get("set");
                assertEquals(List.of("S3", "MAJ", "A"), List.of(set.get("session").asText(), set.get("subject").asText(),
                        set.get("set").asText()), e::toPrettyString);
            } else {
                assertFalse(e.has("set"), e::toPrettyString);
            }
            assertFalse(e.get("people").isEmpty(), e::toPrettyString);
            assertTrue(e.get("entry").asText().matches("[0-9a-f]{64}"), e::toPrettyString);
        }
        assertEquals(plantedExceptions, foundExceptions, report::toPrettyString);
        assertEquals(7, report.get("exceptionCount").asLong(), report::toPrettyString);
        assertTrue(calls.get(2).out().contains("Exceptions recorded 异常记录: 7 (recorded as they happened; not findings)\n"),
                calls.get(2)::toString);

        try (Ledger ledger = Ledger.open(dir.resolve("work/exam.db"))) {
            // the broken seal is on record, as a seal check at pickup and opening and as a seal_broken incident,
            // but no rule judges a broken seal: it yields no finding (see samples/exam/README.md)
            assertTrue(incidents(ledger, broken).contains(IncidentType.SEAL_BROKEN), broken);
            // set A of S3 MAJ was withdrawn before any room opened it; every room opened set B: no R13
            for (String site : List.of("K01", "K02")) {
                for (int room = 1; room <= 10; room++) {
                    String prefix = EXAM + "." + site + "." + String.format("%02d", room) + ".S3.MAJ.";
                    assertTrue(incidents(ledger, prefix + "A").contains(IncidentType.SET_WITHDRAWN), prefix + "A");
                    assertEquals(Step.VAULT_RETURN, lastStep(ledger, prefix + "A"), prefix + "A");
                    assertEquals(Step.OPEN, lastStep(ledger, prefix + "B"), prefix + "B");
                }
            }
            // the missing answer sheet is also reported as a miscount incident
            assertTrue(incidents(ledger, EXAM + ".K02.04.S2.MATH.ANS").contains(IncidentType.MISCOUNT));
            // the backup bag packed into the S2 box went on with its own session from the escort on, and back
            assertEquals(Step.VAULT_RETURN, lastStep(ledger, EXAM + ".K01.02.S1.ENG.B"));
            // P035's key is revoked from the time declared, by a revocation recorded a day after the exam
            assertEquals(List.of(Instant.parse("2021-06-10T02:00:00Z")), ledger.keys().stream()
                    .filter(k -> k.person().value().equals("P035")).map(EnrolledKey::revokedFrom).toList());
        }
    }

    /** The sequence number of the entry with record id {@code id} in {@code bag}'s history. */
    private long seqOf(String id, String bag) {
        try (Ledger ledger = Ledger.open(dir.resolve("work/exam.db"))) {
            return ledger.history(BagId.of(bag)).stream().filter(e -> e.record().id().value().equals(id)).findFirst()
                    .map(Entry::seq).orElseThrow(() -> new AssertionError("no entry " + id + " for " + bag));
        }
    }

    /** The bags the handoff {@code id} in {@code bag}'s history moved, in its order. */
    private List<String> bagsMoved(String id, String bag) {
        try (Ledger ledger = Ledger.open(dir.resolve("work/exam.db"))) {
            return ledger.history(BagId.of(bag)).stream().filter(e -> e.record().id().value().equals(id)).findFirst()
                    .map(e -> e.record().moves().stream().map(m -> m.bag().value()).toList())
                    .orElseThrow(() -> new AssertionError("no entry " + id + " for " + bag));
        }
    }

    /** The sequence number of the incident with record id {@code id}. */
    private long seqOfId(String id) {
        try (Ledger ledger = Ledger.open(dir.resolve("work/exam.db"))) {
            return ledger.entriesOfType("incident").stream().filter(e -> e.record().id().value().equals(id)).findFirst()
                    .map(Entry::seq).orElseThrow(() -> new AssertionError("no incident " + id));
        }
    }

    /** The S3 MAJ set A bags of every room and the spare (BY) of both sites, in the order the script names them. */
    private static String withdrawnBags() {
        List<String> bags = new java.util.ArrayList<>();
        for (String site : List.of("K01", "K02")) {
            for (int room = 1; room <= 10; room++) {
                bags.add(EXAM + "." + site + "." + String.format("%02d", room) + ".S3.MAJ.A");
            }
            bags.add(EXAM + "." + site + ".BY.S3.MAJ.A");
        }
        return String.join(",", bags);
    }

    private static Step lastStep(Ledger ledger, String bag) {
        Step last = null;
        for (Entry e : ledger.history(BagId.of(bag))) {
            if (e.record() instanceof Handoff h) {
                last = h.step();
            }
        }
        return last;
    }

    private static Set<IncidentType> incidents(Ledger ledger, String bag) {
        Set<IncidentType> types = new HashSet<>();
        for (Entry e : ledger.history(BagId.of(bag))) {
            if (e.record() instanceof Incident i) {
                types.add(i.incident());
            }
        }
        return types;
    }

    /** The script's calls: the batch, the JSON verification, the text verification; returns the report read. */
    private JsonNode report(List<Call> calls) throws IOException {
        assertEquals(3, calls.size(), calls::toString);
        assertEquals("batch", calls.get(0).args().get(0));
        assertEquals(List.of("verify", dir.resolve("work/exam.db").toString(), "--format", "json", "-o",
                dir.resolve("work/report.json").toString()), calls.get(1).args());
        assertEquals(List.of("verify", dir.resolve("work/exam.db").toString()), calls.get(2).args());
        JsonNode report = new ObjectMapper().readTree(dir.resolve("work/report.json").toFile());
        assertEquals("custody-audit-report/v1", report.get("schema").asText());
        assertEquals(report.get("exitStatus").asInt(), calls.get(1).status(), calls.get(1)::toString);
        return report;
    }

    /**
     * Runs the script with a recorder as {@code CUSTODY}, then each invocation it recorded in this process, in
     * order. The script does not act on what its commands print, so running them after it ends is the same run.
     */
    private List<Call> runScript(String mode) throws Exception {
        Path recorded = Files.createDirectory(dir.resolve("calls"));
        Path recorder = dir.resolve("custody-recorder");
        Files.writeString(recorder, "#!/bin/sh\n"
                + "# records one custody invocation: its arguments, NUL-terminated, in the next numbered file\n"
                + "n=$(ls '" + recorded + "' | wc -l)\n"
                + "printf '%s\\0' \"$@\" > '" + recorded + "'/$(printf %05d \"$n\")\n");
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder bash = new ProcessBuilder("bash", SCRIPT.toString(), mode, "--work", dir.resolve("work").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("script.log").toFile());
        bash.environment().put("CUSTODY", recorder.toString());
        Process script = bash.start();
        assertTrue(script.waitFor(2, TimeUnit.MINUTES), "the script did not finish");
        String log = Files.readString(dir.resolve("script.log"), StandardCharsets.UTF_8);
        assertEquals(0, script.exitValue(), log);

        List<Call> calls = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(recorded)) {
            files = s.sorted().collect(Collectors.toList());
        }
        for (Path file : files) {
            String raw = Files.readString(file, StandardCharsets.UTF_8);
            List<String> args = Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Custody.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args.toArray(String[]::new));
            Call call = new Call(args, status, out.toString(), err.toString());
            assertTrue(status <= 1, call::toString);
            calls.add(call);
        }
        return calls;
    }
}
