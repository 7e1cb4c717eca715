package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingClass;
import org.custody.audit.FindingCode;
import org.custody.ledger.bundle.Bundle;
import org.custody.ledger.verify.LedgerVerifier;
import org.custody.model.PersonId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The independent verifier (tools/independent-verifier/verify.mjs, written from docs/formats.md alone) agrees with
 * the Java verifier on bundles exported by the CLI: the same exit status and the same integrity findings, code and
 * entry, on a clean bundle and on tampered ones. Skipped where {@code node} is not on the PATH.
 */
class IndependentVerifierTest {
    private static final Pattern FINDING = Pattern.compile("^(I\\d\\d) seq (\\d+): ", Pattern.MULTILINE);
    private static Path script;
    /** One demo ledger for all tests (the demo takes a while): tests that append copy it first. */
    @TempDir
    static Path shared;
    private static Path demo;
    private static Path keys;

    @TempDir
    Path dir;

    @BeforeAll
    static void findNodeAndScript() {
        Assumptions.assumeTrue(nodeRuns(), "node is not on the PATH");
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("tools/independent-verifier/verify.mjs"))) {
            here = here.getParent();
        }
        assertTrue(here != null, "tools/independent-verifier/verify.mjs not found above " + Path.of("").toAbsolutePath());
        script = here.resolve("tools/independent-verifier/verify.mjs");
        demo = shared.resolve("exam.db");
        Cli.Result run = Cli.run("", "demo", "--ledger", demo.toString());
        assertEquals(0, run.status(), run::toString);
        keys = shared.resolve("exam.db.demo/keys");
        makeCheckpoint(demo);
        Cli.Result revoke = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                demo.toString(), "--key-id", keyId(demo, "P071"), "--reason", "grading over", "--by", "P006", "--by", "P009",
                "--at", "2021-06-20 09:00"));
        assertEquals(0, revoke.status(), revoke::toString);
        makeCheckpoint(demo);
    }

    @Test
    void cleanBundle_bothIntact() throws Exception {
        Path bundle = export(demo);
        assertAgree(bundle, 0);
    }

    @Test
    void editedCount_bothFindTheBrokenSignaturesChainsAndCheckpoint() throws Exception {
        Path bundle = export(demo);
        List<String> lines = new ArrayList<>(Files.readAllLines(bundle, StandardCharsets.UTF_8));
        int i = indexOf(lines, "\"step\":\"seal\"");
        lines.set(i, lines.get(i).replaceFirst("\"count\":30", "\"count\":29"));
        Files.write(bundle, lines, StandardCharsets.UTF_8);
        List<String> findings = assertAgree(bundle, 3);
        assertTrue(findings.contains("I03 " + seqOf(lines.get(i))), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("I08")), findings::toString);
    }

    @Test
    void removedEntry_bothFindTheGap() throws Exception {
        Path bundle = export(demo);
        List<String> lines = new ArrayList<>(Files.readAllLines(bundle, StandardCharsets.UTF_8));
        int i = indexOf(lines, "\"step\":\"open\"");
        long removed = seqOf(lines.remove(i));
        int end = lines.size() - 1;
        String[] counts = lines.get(end).split(" ");
        lines.set(end, "end " + (Long.parseLong(counts[1]) - 1) + " " + counts[2] + " " + counts[3]);
        Files.write(bundle, lines, StandardCharsets.UTF_8);
        List<String> findings = assertAgree(bundle, 3);
        assertTrue(findings.contains("I06 " + removed), findings::toString);
    }

    @Test
    void backdatedRevocation_bothFindTheLaterSignatures() throws Exception {
        Path ledger = copyOfDemo("copy.db");
        Cli.Result revoke = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--key-id", keyId(ledger, "P020"), "--reason", "key file lost", "--effective", "2021-06-09 08:00",
                "--by", "P006", "--by", "P009", "--at", "2021-06-21 09:00"));
        assertEquals(0, revoke.status(), revoke::toString);
        // a compromise declaration: neither verifier fails the ledger over the signatures it reaches back over; the
        // Java verifier lists those entries (R18)
        Path bundle = export(ledger);
        assertEquals(List.of(), assertAgree(bundle, 0));
        AuditReport report = Bundle.verify(bundle, LedgerVerifier.Options.defaults(), null);
        List<Finding> listed = report.findings().stream().filter(f -> f.code() == FindingCode.R18).toList();
        assertFalse(listed.isEmpty(), report::summary);
        assertTrue(listed.stream().allMatch(f -> f.people().equals(List.of(PersonId.of("P020")))), listed::toString);
    }

    @Test
    void forgedInspectorCosignature_bothFindI08_andAGoodOneIsIntact() throws Exception {
        Path ledger = copyOfDemo("cosigned.db");
        // P009, a founder, is a discipline inspector: an enrolled inspector's cosignature
        Cli.Result cosigned = Cli.run("", "checkpoint", "cosign", ledger.toString(), "--key", keys.resolve("P009.key").toString(),
                "--passphrase-file", keys.resolve("P009.pass").toString(), "--name", "inspector.example/P009",
                "--state", dir.resolve("w.state").toString(), "--new-state");
        assertEquals(0, cosigned.status(), cosigned::toString);
        Path good = export(ledger);
        assertAgree(good, 0);

        List<String> lines = new ArrayList<>(Files.readAllLines(good, StandardCharsets.UTF_8));
        int i = lines.size() - 2; // the last checkpoint, the one cosigned
        String[] c = lines.get(i).split(" ");
        String note = new String(java.util.Base64.getDecoder().decode(c[3]), StandardCharsets.UTF_8);
        String line = note.lines().filter(l -> l.startsWith("\u2014 inspector.example/P009 ")).findFirst().orElseThrow();
        byte[] blob = java.util.Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        blob[blob.length - 1] ^= 1;
        String forged = note.replace(line, line.substring(0, line.lastIndexOf(' ') + 1) + java.util.Base64.getEncoder().encodeToString(blob));
        lines.set(i, c[0] + " " + c[1] + " " + c[2] + " " + java.util.Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
        Path bad = dir.resolve("forged.bundle");
        Files.write(bad, lines, StandardCharsets.UTF_8);
        List<String> findings = assertAgree(bad, 3);
        assertEquals(List.of("I08 " + (Long.parseLong(c[1]) - 1)), findings);
    }

    @Test
    void policyStatingEveryOptionalMember_bothIntact() throws Exception {
        Path ledger = copyOfDemo("policy.db");
        Cli.Result set = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "policy", "set", "--ledger", ledger.toString(),
                "--mode", "strict", "--quorum", "set_withdrawn=chief_examiner|deputy_chief_examiner:1,discipline_inspector:2",
                "--future-tolerance", "5", "--record-within", "10080", "--by", "P006", "--by", "P009", "--at", "2021-06-21 09:00"));
        assertEquals(0, set.status(), set::toString);
        assertEquals(List.of(), assertAgree(export(ledger), 0));
    }

    /** An incident carrying attachments reads the same to both; a name with a folder in it is I01 to both. */
    @Test
    void attachments_bothIntact_andANameWithAFolderBothI01() throws Exception {
        Path ledger = copyOfDemo("attached.db");
        Path photo = Files.writeString(dir.resolve("监控截图.png"), "frame 1", StandardCharsets.UTF_8);
        Path video = Files.write(dir.resolve("cam.mp4"), new byte[5000]);
        Cli.Result incident = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "incident", "--ledger", ledger.toString(),
                "--type", "vault_inspection", "--by", "P006", "--by", "P009", "--place", "VAULT", "--note", "监控回放正常",
                "--at", "2021-06-21 09:00", "--attach", photo.toString(), "--attach", video.toString()));
        assertEquals(0, incident.status(), incident::toString);
        Path bundle = export(ledger);
        assertEquals(List.of(), assertAgree(bundle, 0));

        List<String> lines = new ArrayList<>(Files.readAllLines(bundle, StandardCharsets.UTF_8));
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("e ") && lines.get(i).contains("\"attachments\"")) {
                at = i;
            }
        }
        long seq = seqOf(lines.get(at));
        lines.set(at, lines.get(at).replace("\"name\":\"cam.mp4\"", "\"name\":\"evil/cam.mp4\""));
        Files.write(bundle, lines, StandardCharsets.UTF_8);
        assertTrue(assertAgree(bundle, 3).contains("I01 " + seq));
    }

    @Test
    void appendTimeSetBack_orRemoved_bothFindI12AtThatEntry() throws Exception {
        Path bundle = export(demo);
        List<String> lines = new ArrayList<>(Files.readAllLines(bundle, StandardCharsets.UTF_8));
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("e ")) {
                last = i;
            }
        }
        String entry = lines.get(last);
        long seq = seqOf(entry);
        lines.set(last, entry.replaceFirst("\"appended\":\"[^\"]+\"", "\"appended\":\"2021-01-01T00:00:00Z\""));
        Files.write(bundle, lines, StandardCharsets.UTF_8);
        assertTrue(assertAgree(bundle, 3).contains("I12 " + seq));

        lines.set(last, entry.replaceFirst("\"appended\":\"[^\"]+\",", ""));
        Files.write(bundle, lines, StandardCharsets.UTF_8);
        assertTrue(assertAgree(bundle, 3).contains("I12 " + seq));
    }

    @Test
    void ledgerLineNamingAnotherLedger_bothFindI11AndTheCheckpoints() throws Exception {
        Path bundle = export(demo);
        List<String> lines = new ArrayList<>(Files.readAllLines(bundle, StandardCharsets.UTF_8));
        String[] ledgerLine = lines.get(1).split(" ");
        lines.set(1, "ledger OTHER-LEDGER " + ledgerLine[2]);
        Files.write(bundle, lines, StandardCharsets.UTF_8);
        List<String> findings = assertAgree(bundle, 3);
        assertTrue(findings.contains("I11 0"), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("I08")), findings::toString);
    }

    /** A copy of the shared demo ledger (with its write-ahead log), named {@code name}, to append to. */
    private Path copyOfDemo(String name) throws java.io.IOException {
        Path ledger = dir.resolve(name);
        Files.copy(demo, ledger);
        if (Files.exists(Path.of(demo + "-wal"))) {
            Files.copy(Path.of(demo + "-wal"), Path.of(ledger + "-wal"));
        }
        return ledger;
    }

    /** Runs both verifiers on {@code bundle}; asserts the exit status and the same integrity findings; returns them. */
    private List<String> assertAgree(Path bundle, int status) throws Exception {
        AuditReport report;
        try (InputStream in = Files.newInputStream(bundle)) {
            report = Bundle.verify(in, dir, LedgerVerifier.Options.defaults(), null);
        }
        List<String> java = report.findings().stream().filter(f -> f.code().findingClass() == FindingClass.INTEGRITY)
                .map(f -> f.code() + " " + f.seq()).sorted().toList();
        Process node = new ProcessBuilder("node", script.toString(), bundle.toString()).redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        List<String> independent = new ArrayList<>();
        Matcher m = FINDING.matcher(out);
        while (m.find()) {
            independent.add(m.group(1) + " " + m.group(2));
        }
        independent.sort(null);
        assertEquals(status, node.exitValue(), out);
        assertEquals(status, report.intact() ? 0 : 3, report::summary);
        assertEquals(java, independent, out);
        assertEquals(status, Cli.run("", "verify", bundle.toString()).status() == 3 ? 3 : 0);
        return java;
    }

    private static void makeCheckpoint(Path ledger) {
        Cli.Result made = Cli.run("", "checkpoint", "make", "--key", ledger + ".ledger.key", "--passphrase-file",
                shared.resolve("exam.db.demo/ledger-key.pass").toString(), ledger.toString());
        assertEquals(0, made.status(), made::toString);
    }

    private Path export(Path file) {
        Path bundle = dir.resolve("exam-" + System.nanoTime() + ".bundle");
        Cli.Result exported = Cli.run("", "export", "-o", bundle.toString(), file.toString());
        assertEquals(0, exported.status(), exported::toString);
        return bundle;
    }

    /** The key id of a demo person's key, as `custody keys list` prints it. */
    private static String keyId(Path ledger, String person) {
        Cli.Result list = Cli.run("", "keys", "list", "--ledger", ledger.toString());
        for (String line : list.lines()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[2].equals(person)) {
                return f[0];
            }
        }
        throw new AssertionError("no key of " + person + " in\n" + list);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("e ") && lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no entry line with " + text);
    }

    private static long seqOf(String entryLine) {
        return Long.parseLong(entryLine.split(" ", 3)[1]);
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
