package org.custody.cli;

import static org.custody.cli.StationFixture.K2;
import static org.custody.cli.StationFixture.MORNING;
import static org.custody.cli.StationFixture.Q1;
import static org.custody.cli.StationFixture.Q2;
import static org.custody.cli.StationFixture.Q3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.custody.audit.FindingCode;
import org.custody.cli.qr.PhotoSimulator;
import org.custody.cli.qr.QrCodes;
import org.custody.label.Label;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station's logic on a real ledger, real key files and real labels, without a terminal; and its camera folder
 * ({@code --watch DIR}) with phone photos of real labels (turned, tilted, blurred, unevenly lit JPEGs made by
 * {@link PhotoSimulator}).
 */
class StationTest {
    @TempDir
    static Path shared;
    static StationFixture made;

    @TempDir
    Path dir;
    StationFixture f;
    StationFixture.HandClock clock;

    @BeforeAll
    static void makeLedger() throws Exception {
        made = StationFixture.create(shared);
    }

    @BeforeEach
    void copy() throws Exception {
        f = made.copyTo(dir);
        clock = new StationFixture.HandClock(MORNING);
    }

    private static PersonId p(String id) {
        return PersonId.of(id);
    }

    @Test
    void signIn_keysUnlockedTogether_wrongPassphraseRefusedAlone_passphrasesWiped() {
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            List<Station.Credential> creds = List.of(f.credential("P007"), f.credential("P011"),
                    new Station.Credential(p("P006"), f.keys.resolve("P006.key"), "not the passphrase".toCharArray()),
                    new Station.Credential(p("P404"), f.keys.resolve("P009.key"), "whatever1".toCharArray()),
                    new Station.Credential(p("P009"), f.keys.resolve("P011.key"), Cli.passphrase("P011").toCharArray()));
            List<Station.SignIn> results = s.signIn(creds);
            assertEquals(List.of(true, true, false, false, false), results.stream().map(Station.SignIn::ok).toList(), results.toString());
            assertTrue(results.get(2).message().contains("wrong passphrase?") && results.get(2).message().contains("口令"), results.toString());
            assertTrue(results.get(3).message().contains("not enrolled"), results.toString());
            assertTrue(results.get(4).message().contains("not a current enrolled key of P009"), results.toString());
            for (Station.Credential c : creds) {
                for (char ch : c.passphrase()) {
                    assertEquals('\0', ch, "every passphrase is wiped after sign-in");
                }
            }
            assertEquals(List.of(p("P007"), p("P011")), s.signedIn().stream().map(x -> x.id()).toList());
            assertTrue(s.signOut(p("P011")));
            assertEquals(List.of(p("P007")), s.signedIn().stream().map(x -> x.id()).toList());
        }
    }

    @Test
    void idle_signsEveryoneOut_onlyAfterTheIdleTime() {
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            s.signIn(List.of(f.credential("P007"), f.credential("P011")));
            clock.advance(Duration.ofMinutes(9));
            assertFalse(s.lockIfIdle());
            s.scan(f.label(Q1).payload()); // activity
            clock.advance(Duration.ofMinutes(9));
            assertFalse(s.lockIfIdle());
            clock.advance(Duration.ofMinutes(2));
            assertTrue(s.lockIfIdle());
            assertTrue(s.signedIn().isEmpty());
            assertEquals(1, s.bags().size(), "the scans stay; only the keys go");
        }
    }

    @Test
    void idleTime_isTheExamPolicys_aShorterIdleOptionWins_aPolicyChangeTakesEffectAtOnce() {
        try (Station s = f.station("VAULT", clock, null)) {
            assertEquals(new Station.IdleTime(Duration.ofMinutes(10), true), s.idleTime(), "no policy states it: 10 minutes");
            Cli.Result set = Cli.run("", Cli.args(Cli.signerArgs(f.keys, "P006", "P009"), "policy", "set", "--ledger", f.ledger.toString(),
                    "--at", "2021-06-09 05:00", "--station-idle", "3", "--by", "P006", "--by", "P009"));
            assertEquals(0, set.status(), set.toString()); // appended by another process while the station runs
            assertEquals(new Station.IdleTime(Duration.ofMinutes(3), true), s.idleTime());
            assertTrue(s.idleTime().describe().contains("3 min idle (exam policy 考试政策)"), s.idleTime().describe());
            s.signIn(List.of(f.credential("P007")));
            clock.advance(Duration.ofMinutes(2));
            assertFalse(s.lockIfIdle());
            clock.advance(Duration.ofMinutes(1));
            assertTrue(s.lockIfIdle(), "locked after the policy's 3 minutes");
            assertTrue(s.signedIn().isEmpty());
        }
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(30))) {
            assertEquals(new Station.IdleTime(Duration.ofMinutes(3), true), s.idleTime(), "--idle never lengthens the policy's time");
        }
        try (Station s = f.station("VAULT", clock, Duration.ofSeconds(90))) {
            assertEquals(new Station.IdleTime(Duration.ofSeconds(90), false), s.idleTime(), "a shorter --idle wins");
            assertTrue(s.idleTime().describe().contains("90 s idle (--idle)"), s.idleTime().describe());
        }
    }

    @Test
    void scans_eachCheckedOnTheSpot_badOnesDroppedWithTheirReason_theBatchGoesOn() {
        Label q1 = f.label(Q1);
        Label q2 = f.label(Q2);
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            Station.Scan good = s.scan(q1.payload());
            assertTrue(good.ok());
            assertEquals("01", good.info().room());
            assertEquals("ENG", good.info().subject());
            assertEquals("A", good.info().set());
            assertEquals(Step.VAULT_IN, good.where().step());
            assertEquals("VAULT", good.where().place());
            assertEquals(p("P007"), good.where().holder());
            assertTrue(good.where().describe().startsWith("vault_in 入库 at 在 VAULT, held by 保管人 P007"), good.where().describe());

            assertEquals(Station.Rejection.ALREADY_SCANNED, s.scan(q1.payload()).rejection());
            assertEquals(Station.Rejection.UNREADABLE, s.scan(q2.payload().toLowerCase()).rejection());
            Station.Scan swapped = s.scan(new Label(q2.ledger(), Q2, q1.seq(), q1.tag()).payload());
            assertEquals(Station.Rejection.FORGED_OR_STALE, swapped.rejection());
            assertTrue(swapped.reason().startsWith("I10 ") && swapped.reason().contains("请勿接收"), swapped.reason());
            assertEquals(Station.Rejection.NOT_THIS_EXAM,
                    s.scan(new Label(LedgerId.of("HN-ZSB-2020"), Q2, q2.seq(), q2.tag()).payload()).rejection());
            Label q3 = f.label(Q3);
            assertEquals(Station.Rejection.FORGED_OR_STALE, s.scan(new Label(q3.ledger(), Q3, q3.seq() - 1, q3.tag()).payload()).rejection(),
                    "a label bound to an entry before the bag's seal entry is stale");
            assertEquals(Station.Rejection.NOT_REGISTERED, s.scan("HN-ZSB-2021.K09.01.S1.ENG.A").rejection());
            assertTrue(s.scan(q2.payload()).ok(), "a good scan after bad ones is taken: nothing aborted the batch");
            assertEquals(List.of(Q1, Q2), s.bags().stream().map(Station.Scan::bag).toList());
            assertEquals(6, s.rejectedCount());
            assertEquals(Map.of(org.custody.model.BagKind.QUESTION_PAPER, 2), s.countsByKind());
        }
        try (Station atSite = f.station("K01", clock, Duration.ofMinutes(10))) {
            Station.Scan wrong = atSite.scan(f.label(K2).payload());
            assertEquals(Station.Rejection.WRONG_PLACE, wrong.rejection());
            assertTrue(wrong.reason().contains("site K02") && wrong.reason().contains("考点"), wrong.reason());
            assertTrue(atSite.scan(f.label(Q1).payload()).ok());
        }
    }

    @Test
    void distribution_stepsOffered_checkedBeforeSigning_signedAndAppended() throws Exception {
        long before = f.size();
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            for (BagId b : List.of(Q1, Q2, Q3, K2)) {
                assertTrue(s.scan(f.label(b).payload()).ok());
            }
            List<Step> steps = s.nextSteps();
            assertTrue(steps.contains(Step.DISTRIBUTE) && steps.contains(Step.DESTROY), steps.toString());
            assertFalse(steps.contains(Step.OPEN) || steps.contains(Step.VAULT_IN) || steps.contains(Step.PRINT), steps.toString());
            assertEquals(4, s.sealsOnRecord().size());

            s.signIn(List.of(f.credential("P007"), f.credential("P011"), f.credential("P006"), f.credential("P009")));
            Station.Prepared prepared = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006"), p("P009")),
                    Map.of(), Map.of(), null, null, null));
            assertTrue(prepared.signable(), prepared.toString());
            for (PersonId party : prepared.draft().missing()) {
                s.sign(prepared, party);
            }
            Appended done = s.append(prepared);
            assertEquals(before, done.seq());
            assertTrue(s.bags().isEmpty(), "a new batch after the entry");
        }
        try (Ledger l = Ledger.open(f.ledger)) {
            Handoff h = (Handoff) l.entry(before).orElseThrow().record();
            assertEquals(Step.DISTRIBUTE, h.step());
            assertEquals(4, h.bags().size());
            assertEquals(4, h.parties().size());
        }
    }

    @Test
    void tokenKey_signsInWithItsPin_wrongPinRefusedAlone_andSignsTheDistributionOnTheToken() throws Exception {
        java.nio.file.Path module = SoftHsm.tokens();
        String uri = SoftHsm.uri(SoftHsm.P007);
        java.nio.file.Path pin = Cli.secret(dir.resolve("P007.pin"), SoftHsm.P007_PIN + "\n");
        // P007's key becomes the token's (the token signs its own enrolment), before the station's morning
        Cli.Result rotate = Cli.run("", Cli.args(Cli.signerArgs(f.keys, "P006"), "keys", "rotate", "--ledger", f.ledger.toString(),
                "--person", "P007", "--new-key", uri, "--sponsor", "P006", "--pkcs11-module", module.toString(),
                "--pin-file", "P007=" + pin, "--at", "2021-06-09 05:00"));
        assertEquals(0, rotate.status(), rotate.toString());
        long before = f.size();
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            for (BagId b : List.of(Q1, Q2, Q3, K2)) {
                assertTrue(s.scan(f.label(b).payload()).ok());
            }
            List<Station.SignIn> noModule = s.signIn(List.of(new Station.Credential(p("P007"), uri, SoftHsm.P007_PIN.toCharArray())));
            assertTrue(!noModule.get(0).ok() && noModule.get(0).message().contains("--pkcs11-module"), noModule.toString());

            s.tokenModule(module);
            char[] wrong = "0000-bad".toCharArray();
            List<Station.SignIn> refused = s.signIn(List.of(new Station.Credential(p("P007"), uri, wrong), f.credential("P011")));
            assertFalse(refused.get(0).ok(), refused.toString());
            assertTrue(refused.get(0).message().contains("PIN") && refused.get(0).message().contains("PIN 错误"), refused.toString());
            assertFalse(refused.get(0).message().contains("0000-bad"), "a PIN is never shown");
            assertTrue(refused.get(1).ok(), "the others sign in: " + refused);
            assertEquals("\0".repeat(8), new String(wrong), "the PIN is wiped");

            List<Station.SignIn> in = s.signIn(List.of(new Station.Credential(p("P007"), uri, SoftHsm.P007_PIN.toCharArray()),
                    f.credential("P006"), f.credential("P009")));
            assertTrue(in.stream().allMatch(Station.SignIn::ok), in.toString());
            Station.Prepared prepared = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006"), p("P009")),
                    Map.of(), Map.of(), null, null, null));
            assertTrue(prepared.signable(), prepared.toString());
            for (PersonId party : prepared.draft().missing()) {
                s.sign(prepared, party);
            }
            assertEquals(before, s.append(prepared).seq());
        }
        try (Ledger l = Ledger.open(f.ledger)) {
            org.custody.record.SignedRecord signed = l.entry(before).orElseThrow().signed();
            String tokenKey = l.directory().keysOf(p("P007")).stream().filter(k -> k.revoked().isEmpty()).findFirst().orElseThrow().id().hex();
            assertTrue(signed.signatures().stream().anyMatch(sig -> sig.key().hex().equals(tokenKey)),
                    "P007 signed with the token's key " + tokenKey);
            org.custody.audit.AuditReport report = l.verify();
            assertTrue(report.intact(), report.findings().toString());
        }
    }

    @Test
    void ruleBreach_refusedBeforeAnyoneSigns_namingTheRuleInBothLanguages() {
        long before = f.size();
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            s.scan(f.label(Q1).payload());
            s.signIn(List.of(f.credential("P007"), f.credential("P011"), f.credential("P006")));
            // distribution without a discipline inspector: R02, refused under the exam's strict policy
            Station.Prepared prepared = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006")),
                    Map.of(), Map.of(), null, null, null));
            assertFalse(prepared.signable());
            assertTrue(prepared.refusals().stream().anyMatch(x -> x.code() == FindingCode.R02), prepared.refusals().toString());
            assertTrue(prepared.draft().missing().equals(prepared.handoff().parties()), "nobody signed");
            List<String> told = Station.explain(prepared.refusals().get(0), StationFixture.ZONE);
            assertTrue(told.get(0).startsWith("R02  ") && told.get(0).contains(FindingCode.R02.chinese()), told.toString());
            assertTrue(told.get(told.size() - 1).contains("what to do 处理"), told.toString());

            Station.Prepared notIn = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P009")),
                    Map.of(), Map.of(), null, null, null));
            assertTrue(notIn.problems().stream().anyMatch(x -> x.startsWith("P009 is not signed in")), notIn.problems().toString());
        }
        assertEquals(before, f.size());
    }

    @Test
    void draftInProgress_keptOwnerOnlyBesideTheLedger_resumedWithEveryLabelCheckedAgain() throws Exception {
        Label q1 = f.label(Q1);
        Label q2 = f.label(Q2);
        Path kept;
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            s.scan(q1.payload());
            s.scan(q2.payload());
            s.keepForm(new StationDraftFile.Kept(null, List.of(), "distribute", "P007", "P011", List.of("P006", "P009"), Map.of(),
                    Map.of(), null, null, null));
            kept = s.draftFile().file();
        }
        assertEquals(f.ledger.getParent(), kept.getParent());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
        assertFalse(Files.readString(kept).contains("passphrase"));

        // meanwhile Q2 moved on (distributed at another station): its label is no longer... still bound to its seal entry,
        // so it is taken again; the fields typed come back
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            StationDraftFile.Kept k = s.keptDraft().orElseThrow();
            assertEquals(List.of(q1.payload(), q2.payload()), k.scans());
            List<Station.Scan> again = s.resume(k);
            assertTrue(again.stream().allMatch(Station.Scan::ok), again.toString());
            assertEquals("P007", s.typed().from());
            assertEquals(List.of("P006", "P009"), s.typed().witnesses());
            s.clearScans();
            assertFalse(Files.exists(kept), "a new batch throws the kept draft away");
            assertNull(s.typed());
        }
    }

    @Test
    void command_withoutATerminal_orWithABadIdleTime_exit2SayingWhatToDo() {
        Cli.Result r = Cli.run("", "station", "--ledger", f.ledger.toString(), "--place", "VAULT");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("custody station needs a terminal") && r.err().contains("工作站须在终端中运行"), r.err());
        Cli.Result idle = Cli.run("", "station", "--ledger", f.ledger.toString(), "--place", "VAULT", "--idle", "0s");
        assertEquals(2, idle.status(), idle.toString());
        assertTrue(idle.err().contains("--idle '0s' is not a time"), idle.err());
        assertEquals(Duration.ofSeconds(90), StationCommand.duration("90s"));
        assertEquals(Duration.ofMinutes(10), StationCommand.duration("PT10M"));
    }

    @Test
    void twoStationsOnOneLedger_neverFork_eachSeesTheOthersEntries_noTwoAtOnePlace() {
        long before = f.size();
        Station.Form distribute = new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006"), p("P009")), Map.of(), Map.of(),
                null, null, null);
        try (Station a = f.station("VAULT", clock, Duration.ofMinutes(10)); Station b = f.station("VAULT-B", clock, Duration.ofMinutes(10))) {
            UserError taken = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                    () -> f.station("VAULT", clock, Duration.ofMinutes(10)));
            assertTrue(taken.getMessage().contains("another station at this place"), taken.getMessage());
            for (Station s : List.of(a, b)) {
                assertTrue(s.scan(f.label(Q1).payload()).ok());
                s.signIn(List.of(f.credential("P007"), f.credential("P011"), f.credential("P006"), f.credential("P009")));
            }
            Station.Prepared pa = a.prepare(distribute);
            Station.Prepared pb = b.prepare(distribute);
            assertTrue(pa.signable() && pb.signable());
            for (PersonId party : pa.handoff().parties()) {
                a.sign(pa, party);
                b.sign(pb, party);
            }
            assertEquals(before, a.append(pa).seq());
            org.custody.ledger.AppendRefusedException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    org.custody.ledger.AppendRefusedException.class, () -> b.append(pb));
            assertTrue(refused.findings().stream().anyMatch(x -> x.code() == FindingCode.I07), refused.findings().toString());
            assertTrue(Station.advice(FindingCode.I07).contains("scan the bags again"));

            // b sees a's entry: the bag is distributed now, and distribution is no longer offered for it
            assertEquals(Step.DISTRIBUTE, b.whereabouts(Q1).step());
            assertFalse(b.nextSteps().contains(Step.DISTRIBUTE), b.nextSteps().toString());
            b.clearScans();
            Station.Scan again = b.scan(f.label(Q1).payload());
            assertTrue(again.ok() && again.where().holder().equals(p("P011")), again.toString());
        }
        assertEquals(before + 1, f.size());
    }

    @Test
    void distributionIntoABox_boxScanShowsItsContents_aBagOfAnotherSiteRefusedBeforeSigning() {
        BagId box = BagId.of("HN-ZSB-2021.BOX.K01.S1");
        long before = f.size();
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            s.signIn(List.of(f.credential("P007"), f.credential("P011"), f.credential("P006"), f.credential("P009")));
            for (BagId b : List.of(Q1, Q2, K2, box)) {
                assertTrue(s.scan(f.label(b).payload()).ok(), b.value());
            }
            // K02's bag may not go into K01's box (R21): refused before anyone signs
            Station.Prepared wrong = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006"), p("P009")),
                    Map.of(), Map.of(), null, null, box));
            assertTrue(wrong.refusals().stream().anyMatch(x -> x.code() == FindingCode.R21), wrong.toString());
            assertFalse(wrong.signable());
            assertTrue(s.drop(K2));

            Station.Prepared prepared = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006"), p("P009")),
                    Map.of(), Map.of(), null, null, box));
            assertTrue(prepared.signable(), prepared.toString());
            for (PersonId party : prepared.handoff().parties()) {
                s.sign(prepared, party);
            }
            assertEquals(before, s.append(prepared).seq());

            Station.Scan boxScan = s.scan(f.label(box).payload());
            assertTrue(boxScan.ok(), boxScan.toString());
            assertEquals(List.of(Q1, Q2), boxScan.contents());
            assertEquals(box, s.scan(f.label(Q2).payload()).where().container());
        }
    }

    // ------------------------------------------------------------------------------------------------ --watch DIR

    /** The phone's folder, beside the test's ledger. */
    private Path camera() throws Exception {
        return Files.createDirectories(dir.resolve("phone"));
    }

    /** A phone photo of the QR code of {@code payload}, as the phone saves it (JPEG). */
    static void photo(Path file, String payload, long seed) throws Exception {
        BufferedImage img = PhotoSimulator.photo(QrCodes.image(payload, 10), PhotoSimulator.Distortion.typical(), seed);
        Files.write(file, PhotoSimulator.jpegBytes(img, 0.8f));
    }

    private static List<String> names(Path folder) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void photos_readAndChecked_asScans_thenMovedAside_neverDeleted() throws Exception {
        Label q1 = f.label(Q1);
        Label q2 = f.label(Q2);
        photo(camera().resolve("IMG_0001.jpg"), q1.payload(), 1);
        photo(camera().resolve("IMG_0002.jpg"), new Label(q2.ledger(), Q2, q1.seq(), q1.tag()).payload(), 2); // a swapped label
        Files.write(camera().resolve("IMG_0003.jpg"), PhotoSimulator.jpegBytes(PhotoSimulator.photo(
                new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB), PhotoSimulator.Distortion.typical(), 3), 0.8f));
        Files.writeString(camera().resolve("notes.txt"), "not a photo", StandardCharsets.UTF_8);
        Files.writeString(camera().resolve(".partial.jpg"), "a phone still copying", StandardCharsets.UTF_8);
        try (Station s = f.station("VAULT", clock, null)) {
            CameraFolder camera = CameraFolder.watch(camera());
            assertTrue(camera.poll(s).isEmpty(), "a file is taken only once it stood still between two looks");
            List<CameraFolder.Taken> taken = camera.poll(s);
            assertEquals(List.of("IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg", "notes.txt"), taken.stream().map(CameraFolder.Taken::file).toList());

            Station.Scan good = taken.get(0).scans().get(0);
            assertTrue(good.ok(), good.toString());
            assertEquals(Q1, good.bag());
            assertEquals("IMG_0001.jpg", good.source());
            assertEquals(camera().resolve("scanned/IMG_0001.jpg"), taken.get(0).movedTo());

            assertEquals(Station.Rejection.FORGED_OR_STALE, taken.get(1).scans().get(0).rejection(), "the photo's label is checked like a scan");
            assertEquals(Station.Rejection.UNREADABLE, taken.get(2).scans().get(0).rejection());
            assertTrue(taken.get(2).scans().get(0).reason().contains("no QR code found"), taken.get(2).scans().get(0).reason());
            assertTrue(taken.get(3).scans().get(0).reason().contains("not an image"), taken.get(3).scans().get(0).reason());

            assertEquals(List.of(Q1), s.bags().stream().map(Station.Scan::bag).toList(), "only the good photo's bag is taken");
            assertEquals(3, s.rejectedCount());
            assertEquals(List.of(".partial.jpg", CameraFolder.REJECTED, CameraFolder.SCANNED), names(camera()), "hidden files are left alone");
            assertEquals(List.of("IMG_0001.jpg"), names(camera().resolve(CameraFolder.SCANNED)));
            assertEquals(List.of("IMG_0002.jpg", "IMG_0003.jpg", "notes.txt"), names(camera().resolve(CameraFolder.REJECTED)));

            // the phone numbers its photos anew: a name already moved aside is kept, the new file gets another name
            photo(camera().resolve("IMG_0001.jpg"), f.label(Q3).payload(), 4);
            camera.poll(s);
            List<CameraFolder.Taken> again = camera.poll(s);
            assertEquals(Q3, again.get(0).scans().get(0).bag());
            assertEquals(camera().resolve("scanned/IMG_0001-2.jpg"), again.get(0).movedTo());
            assertEquals(List.of("IMG_0001-2.jpg", "IMG_0001.jpg"), names(camera().resolve(CameraFolder.SCANNED)));
            assertEquals(List.of(Q1, Q3), s.bags().stream().map(Station.Scan::bag).toList());
        }
    }

    @Test
    void aFileStillGrowing_waitsForTheNextLook() throws Exception {
        Path file = camera().resolve("IMG_0100.jpg");
        photo(file, f.label(Q1).payload(), 5);
        try (Station s = f.station("VAULT", clock, Duration.ofMinutes(10))) {
            CameraFolder camera = CameraFolder.watch(camera());
            assertTrue(camera.poll(s).isEmpty());
            Files.write(file, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND); // the copy goes on
            assertTrue(camera.poll(s).isEmpty(), "changed since the last look: not read half-written");
            assertFalse(camera.poll(s).isEmpty());
        }
    }

    @Test
    void watch_ofNoFolder_isAUserErrorSayingWhat() {
        UserError e = assertThrows(UserError.class, () -> CameraFolder.watch(dir.resolve("no-such")));
        assertTrue(e.getMessage().contains("--watch") && e.getMessage().contains("文件夹"), e.getMessage());
    }
}
