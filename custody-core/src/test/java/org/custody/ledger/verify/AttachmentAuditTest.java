package org.custody.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.custody.audit.AuditReport;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Ledger;
import org.custody.ledger.bundle.Bundle;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.IncidentType;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.Attachment;
import org.custody.record.Handoff;
import org.custody.record.Incident;
import org.custody.record.Registration;
import org.custody.testing.Cast;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files taken at the scene checked against a real ledger file and its bundle: found by digest whatever their name
 * or folder, I13 when one is missing, or when a file of its name holds other bytes.
 */
class AttachmentAuditTest {
    private static final Cast CAST = new Cast(Suite.SM2_SM3, 5);
    private static final BagId BAG = BagId.of("K01.01.S1.ENG.A");

    @TempDir
    Path dir;
    Path ledger;
    Path scene;
    Path evidence;

    @BeforeEach
    void build() throws Exception {
        ledger = dir.resolve("ledger.db");
        scene = Files.createDirectories(dir.resolve("scene"));
        Path photo = Files.writeString(scene.resolve("封条.jpg"), "seal FT-1 intact", StandardCharsets.UTF_8);
        Path video = Files.write(scene.resolve("cam-01.mp4"), new byte[300_000]);
        Path note = Files.writeString(scene.resolve("note.txt"), "video reviewed", StandardCharsets.UTF_8);
        try (Ledger l = Ledger.create(ledger, CAST.genesis())) {
            l.append(CAST.sign(new Registration(RecordId.of("reg"), Cast.LEDGER, Instant.parse("2021-06-02T09:00:00Z"),
                    List.of(Bag.papers(BAG, BagKind.QUESTION_PAPER, "HN-ZSB-2021", "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)),
                    List.of(PersonId.of("P001"), PersonId.of("P003")))));
            l.append(CAST.sign(Handoff.builder(Step.VAULT_IN).id(RecordId.of("h-1")).ledger(Cast.LEDGER)
                    .at(Instant.parse("2021-06-06T15:30:00Z")).from(PersonId.of("P001")).to(PersonId.of("P002"))
                    .witness(PersonId.of("P003")).place(Place.of("VAULT", null)).bag(l.move(BAG))
                    .attach(Attachment.ofFile(photo, HashAlgorithm.SM3, "image/jpeg"))
                    .attach(Attachment.ofFile(video, HashAlgorithm.SHA_256, "video/mp4")).build()));
            l.append(CAST.sign(Incident.builder(IncidentType.VAULT_INSPECTION).id(RecordId.of("i-1")).ledger(Cast.LEDGER)
                    .at(Instant.parse("2021-06-06T18:00:00Z")).by(PersonId.of("P002")).by(PersonId.of("P003"))
                    .place(Place.of("VAULT", null)).note("录像回看无异常")
                    .attach(Attachment.ofFile(note, HashAlgorithm.SHA_256, "text/plain")).build()));
        }
        // the evidence as handed to the inspector: renamed and in other folders; the names do not matter
        evidence = Files.createDirectories(dir.resolve("evidence"));
        Files.createDirectories(evidence.resolve("day1/cam"));
        Files.copy(photo, evidence.resolve("day1/IMG_0001.jpg"));
        Files.copy(video, evidence.resolve("day1/cam/segment.bin"));
        Files.copy(note, evidence.resolve("note.txt"));
        Files.writeString(evidence.resolve("unrelated.txt"), "not evidence");
    }

    private AttachmentAudit.Result check(Path folder) throws Exception {
        return AttachmentAudit.check(EntrySource.file(ledger), folder);
    }

    @Test
    void check_everyFileThereUnderOtherNames_allFoundNoFindings() throws Exception {
        AttachmentAudit.Result r = check(evidence);
        assertEquals(3, r.tally().checked());
        assertEquals(3, r.tally().found());
        assertEquals(0, r.tally().missing() + r.tally().altered());
        assertEquals(4, r.tally().files());
        assertEquals(List.of(), r.findings());
    }

    @Test
    void check_fileMissing_I13NamingTheEntryAndTheFile() throws Exception {
        Files.delete(evidence.resolve("day1/cam/segment.bin"));
        AttachmentAudit.Result r = check(evidence);
        assertEquals(1, r.tally().missing());
        assertEquals(2, r.tally().found());
        Finding f = r.findings().get(0);
        assertEquals(FindingCode.I13, f.code());
        assertEquals(2, f.seq());
        assertEquals(List.of(BAG), f.bags());
        assertTrue(f.message().contains("cam-01.mp4") && f.message().contains("entry #2"), f.message());
        assertTrue(f.chinese().contains("缺失") || f.chinese().contains("不在"), f.chinese());
    }

    @Test
    void check_fileOfTheSameNameWithOtherBytes_alteredNotMissing() throws Exception {
        Files.writeString(evidence.resolve("note.txt"), "video reviewed, all fine");
        AttachmentAudit.Result r = check(evidence);
        assertEquals(1, r.tally().altered());
        assertEquals(0, r.tally().missing());
        Finding f = r.findings().get(0);
        assertEquals(3, f.seq());
        assertTrue(f.message().contains("other bytes"), f.message());
        assertEquals("sha-256 " + HashAlgorithm.SHA_256.digest("video reviewed".getBytes(StandardCharsets.UTF_8)).hex() + ", 14 bytes",
                f.expected());
        assertTrue(f.actual().endsWith(", 24 bytes"), f.actual());
    }

    @Test
    void check_linkToTheFile_notFollowed() throws Exception {
        Path photo = evidence.resolve("day1/IMG_0001.jpg");
        Path outside = Files.move(photo, dir.resolve("outside.jpg"));
        Files.createSymbolicLink(photo, outside);
        AttachmentAudit.Result r = check(evidence);
        assertEquals(1, r.tally().missing());
    }

    @Test
    void check_bundleOfTheLedger_sameResult() throws Exception {
        Files.delete(evidence.resolve("note.txt"));
        Path bundle = dir.resolve("ledger.bundle");
        try (OutputStream out = Files.newOutputStream(bundle)) {
            Bundle.export(ledger, out);
        }
        AttachmentAudit.Result r = AttachmentAudit.check(Bundle.source(bundle), evidence);
        assertEquals(1, r.tally().missing());
        assertEquals(3, r.findings().get(0).seq());
    }

    @Test
    void reportWith_findings_notIntactExit3() throws Exception {
        Files.delete(evidence.resolve("note.txt"));
        AuditReport report = LedgerVerifier.verify(ledger, LedgerVerifier.Options.defaults());
        assertTrue(report.intact());
        AuditReport with = report.with(check(evidence).findings());
        assertFalse(with.intact());
        assertEquals(AuditReport.EXIT_INTEGRITY, with.exitStatus());
        assertEquals(1L, with.counts().get(FindingCode.I13));
    }

    @Test
    void check_notAFolder_refused() {
        assertThrows(MalformedInputException.class, () -> check(dir.resolve("nowhere")));
    }
}
