package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.custody.crypto.HashAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence attachments end to end through the command line: real files attached to a handoff and an incident, then
 * {@code custody verify --attachments} over a folder where they were renamed (found), one deleted (missing, I13) and one
 * replaced under its own name (altered, I13); a file with a hostile name is refused before anything is stored.
 */
class AttachmentCliTest {
    @TempDir
    Path dir;
    LifeCycleTest life;
    Path scene;
    byte[] video;

    @BeforeEach
    void setUp() throws Exception {
        life = new LifeCycleTest();
        life.dir = dir;
        life.setUp();
        scene = Files.createDirectories(dir.resolve("scene"));
        Files.writeString(scene.resolve("封条照片.JPG"), "seal SN-1 intact, photo", StandardCharsets.UTF_8);
        video = new byte[150_000];
        new java.util.Random(3).nextBytes(video);
        Files.write(scene.resolve("cam01.dav"), video);
        Files.writeString(scene.resolve("count.txt"), "29 counted, 30 expected", StandardCharsets.UTF_8);
    }

    private Cli.Result verify(Path evidence, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", life.ledger.toString(), "--attachments", evidence.toString()));
        args.addAll(List.of(more));
        return Cli.run("", args.toArray(String[]::new));
    }

    @Test
    void attachFiles_thenVerifyAgainstTheEvidenceFolder_foundMissingAltered() throws Exception {
        Cli.Result print = life.handoff("2021-06-08 09:00", "print", null, "P001", "P003,P006", "PRINTER", "--bag", LifeCycleTest.Q,
                "--count", "30", "--attach", scene.resolve("封条照片.JPG").toString(),
                "--attach", scene.resolve("cam01.dav") + "=video/x-dav");
        assertEquals(0, print.status(), print.toString());
        assertTrue(print.out().contains("  attached 附件 封条照片.JPG (image/jpeg, 23 bytes, sha-256 "), print.out());
        assertTrue(print.out().contains("  attached 附件 cam01.dav (video/x-dav, 150000 bytes, sha-256 "
                + HashAlgorithm.SHA_256.digest(video).hex().substring(0, 16) + "…)"), print.out());

        Cli.Result incident = Cli.run("", Cli.args(Cli.signerArgs(life.keys, "P001", "P003"), "incident", "--ledger",
                life.ledger.toString(), "--type", "miscount", "--by", "P001", "--by", "P003", "--bag", LifeCycleTest.Q,
                "--note", "少一份", "--at", "2021-06-08 09:10", "--attach", scene.resolve("count.txt").toString()));
        assertTrue(incident.status() <= 1, incident.toString());
        assertTrue(incident.out().contains("attached 附件 count.txt (text/plain, 23 bytes"), incident.out());

        Cli.Result history = Cli.run("", "history", "--ledger", life.ledger.toString(), LifeCycleTest.Q);
        assertTrue(history.out().contains("    attached 封条照片.JPG (image/jpeg, 23 bytes, sha-256 "), history.out());
        assertTrue(history.out().contains("    attached count.txt (text/plain, 23 bytes, sha-256 "), history.out());
        JsonNode historyJson = new ObjectMapper().readTree(Cli.run("", "history", "--ledger", life.ledger.toString(), "--format", "json",
                LifeCycleTest.Q).out());
        JsonNode printEntry = historyJson.get("entries").get(1);
        assertEquals("video/x-dav", printEntry.get("attachments").get(1).get("mediaType").asText(), printEntry.toString());
        assertEquals(HashAlgorithm.SHA_256.digest(video).hex(), printEntry.get("attachments").get(1).get("digest").asText());

        // the evidence as handed over: renamed, in folders of their own; names do not matter
        Path evidence = Files.createDirectories(dir.resolve("evidence/day1"));
        Files.copy(scene.resolve("封条照片.JPG"), evidence.resolve("IMG_0001.jpg"));
        Files.copy(scene.resolve("cam01.dav"), evidence.resolve("segment-0900.bin"));
        Files.copy(scene.resolve("count.txt"), evidence.resolve("count.txt"));
        Cli.Result clean = verify(dir.resolve("evidence"));
        assertTrue(clean.out().contains("attachments: 3 checked, 3 found, 0 missing, 0 altered (3 files hashed)"), clean.out());
        assertFalse(clean.out().contains("I13"), clean.out());
        assertTrue(clean.status() <= 1, clean.toString());

        Files.delete(evidence.resolve("segment-0900.bin"));
        Files.writeString(evidence.resolve("count.txt"), "30 counted, 30 expected", StandardCharsets.UTF_8);
        Cli.Result broken = verify(dir.resolve("evidence"));
        assertEquals(3, broken.status(), broken.toString());
        assertTrue(broken.out().contains("attachments: 3 checked, 1 found, 1 missing, 1 altered"), broken.out());
        assertTrue(broken.out().contains("I13"), broken.out());
        assertTrue(broken.out().contains("cam01.dav (video/x-dav, 150000 bytes"), broken.out());
        assertTrue(broken.out().contains("has the name attachment count.txt"), broken.out());

        Cli.Result json = verify(dir.resolve("evidence"), "--format", "json");
        assertEquals(3, json.status());
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertEquals(1, tree.get("attachments").get("missing").asInt());
        assertEquals(1, tree.get("attachments").get("altered").asInt());
        assertEquals(2, tree.get("counts").path("I13").asInt(), tree.toString());
    }

    @Test
    void attachHostileName_refusedNothingStored() throws Exception {
        Path hostile = Files.writeString(scene.resolve("seal\u202egpj.exe"), "MZ", StandardCharsets.UTF_8);
        Cli.Result before = Cli.run("", "verify", life.ledger.toString());
        Cli.Result r = life.handoff("2021-06-08 09:00", "print", null, "P001", "P003,P006", "PRINTER", "--bag", LifeCycleTest.Q,
                "--count", "30", "--attach", hostile + "=image/jpeg");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("U+202E") && r.err().contains("Nothing was stored"), r.err());
        assertFalse(r.err().contains("\u202e"), "the hostile character is not echoed to the terminal");
        Cli.Result after = Cli.run("", "verify", life.ledger.toString());
        assertEquals(before.out(), after.out());
        Cli.Result missing = life.handoff("2021-06-08 09:00", "print", null, "P001", "P003,P006", "PRINTER", "--bag", LifeCycleTest.Q,
                "--attach", scene.resolve("nope.jpg").toString());
        assertEquals(2, missing.status(), missing.toString());
        Cli.Result noFolder = verify(dir.resolve("nowhere"));
        assertEquals(2, noFolder.status(), noFolder.toString());
        assertTrue(noFolder.err().contains("is not a folder"), noFolder.err());
    }
}
