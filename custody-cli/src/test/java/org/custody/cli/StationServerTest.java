package org.custody.cli;

import static org.custody.cli.StationFixture.K2;
import static org.custody.cli.StationFixture.MORNING;
import static org.custody.cli.StationFixture.Q1;
import static org.custody.cli.StationFixture.Q2;
import static org.custody.cli.StationFixture.Q3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.audit.AuditReport;
import org.custody.audit.FindingCode;
import org.custody.label.Label;
import org.custody.ledger.AppendRefusedException;
import org.custody.ledger.Appended;
import org.custody.ledger.Ledger;
import org.custody.model.PersonId;
import org.custody.model.Step;
import org.custody.record.Handoff;
import org.custody.record.SignedRecord;
import org.custody.server.ApiRole;
import org.custody.server.CustodyServer;
import org.custody.server.ServerConfig;
import org.custody.server.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custody station --server}: the station's logic over a real {@link CustodyServer} on a loopback port, serving a
 * real SQLite ledger, with real key files and real labels; the station holds no ledger file, only its folder for the
 * draft in progress and any signed handoff the server did not acknowledge.
 */
class StationServerTest {
    @TempDir
    static Path shared;
    static StationFixture made;

    @TempDir
    Path dir;
    StationFixture f;
    StationFixture.HandClock clock;
    CustodyServer server;
    ServerConfig config;
    String url;
    /** An officer of every site, and an officer of site K01 only. */
    String everySite;
    String k01;

    @BeforeAll
    static void makeLedger() throws Exception {
        made = StationFixture.create(shared);
    }

    @BeforeEach
    void start() throws Exception {
        f = made.copyTo(dir);
        clock = new StationFixture.HandClock(MORNING);
        everySite = Tokens.newToken();
        k01 = Tokens.newToken();
        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(Tokens.line(everySite, EnumSet.of(ApiRole.OFFICER), "vault-desk", Set.of("*")),
                Tokens.line(k01, EnumSet.of(ApiRole.OFFICER), "k01-desk", Set.of("K01"))));
        config = new ServerConfig(f.ledger, "127.0.0.1", 0, tokens, Duration.ofMinutes(15), 1 << 20, 100, false);
        server = CustodyServer.start(config);
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Station station(String place, String token, String folder) {
        return station(place, token, folder, RemoteStationLedger.FRESH);
    }

    private Station station(String place, String token, String folder, Duration fresh) {
        Path base = StationCommand.keepBase(dir.resolve(folder), url);
        return Station.open(new RemoteStationLedger(Api.of(url, token), fresh), base, place, StationFixture.ZONE, clock,
                Duration.ofMinutes(10));
    }

    private static PersonId p(String id) {
        return PersonId.of(id);
    }

    private void signInAll(Station s) {
        List<Station.SignIn> in = s.signIn(List.of(f.credential("P007"), f.credential("P011"), f.credential("P006"), f.credential("P009")));
        assertTrue(in.stream().allMatch(Station.SignIn::ok), in.toString());
    }

    private static final Station.Form DISTRIBUTE = new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006"), p("P009")),
            Map.of(), Map.of(), null, null, null);

    @Test
    void distribution_ofSeveralBags_throughTheServer_badScansDropped_signedHereAndStoredThere() {
        long before = f.size();
        Label q1 = f.label(Q1);
        Label q2 = f.label(Q2);
        try (Station s = station("VAULT", everySite, "keep")) {
            Station.Scan good = s.scan(q1.payload());
            assertTrue(good.ok(), good.toString());
            assertEquals(Step.VAULT_IN, good.where().step());
            assertEquals(p("P007"), good.where().holder());
            assertEquals("SN-1", good.where().seal(), "the seal on record, for the seal check");
            // a swapped label: the core's label check over the history the server served
            Station.Scan swapped = s.scan(new Label(q2.ledger(), Q2, q1.seq(), q1.tag()).payload());
            assertEquals(Station.Rejection.FORGED_OR_STALE, swapped.rejection());
            assertTrue(swapped.reason().startsWith("I10 ") && swapped.reason().contains("请勿接收"), swapped.reason());
            assertEquals(Station.Rejection.NOT_REGISTERED, s.scan("HN-ZSB-2021.K09.01.S1.ENG.A").rejection());
            assertEquals(Station.Rejection.ALREADY_SCANNED, s.scan(q1.payload()).rejection());
            for (var bag : List.of(Q2, Q3, K2)) {
                assertTrue(s.scan(f.label(bag).payload()).ok(), "the batch goes on after bad scans");
            }
            assertEquals(3, s.rejectedCount());
            assertEquals(Map.of(org.custody.model.BagKind.QUESTION_PAPER, 4), s.countsByKind());

            signInAll(s);
            List<Step> steps = s.nextSteps();
            assertTrue(steps.contains(Step.DISTRIBUTE) && !steps.contains(Step.PRINT), steps.toString());
            Station.Prepared prepared = s.prepare(DISTRIBUTE);
            assertTrue(prepared.signable(), prepared.toString());
            for (PersonId party : prepared.handoff().parties()) {
                s.sign(prepared, party);
            }
            assertTrue(prepared.draft().missing().isEmpty());
            Appended done = s.append(prepared);
            assertEquals(before, done.seq(), "shown with the number the server's ledger gave it");
            assertTrue(s.bags().isEmpty() && s.keptDraft().isEmpty(), "the batch is cleared and its draft removed");
        }
        try (Ledger l = Ledger.open(f.ledger)) {
            Handoff h = (Handoff) l.entry(before).orElseThrow().record();
            assertEquals(Step.DISTRIBUTE, h.step());
            assertEquals(List.of(Q1, Q2, Q3, K2), h.bags().stream().map(m -> m.bag()).toList());
            assertEquals(4, l.entry(before).orElseThrow().signatures().size());
            AuditReport report = l.verify();
            assertTrue(report.intact(), report.summary());
        }
    }

    @Test
    void officerOfOneSite_aBagOfAnotherSiteIsSetAside() {
        try (Station s = station("VAULT", k01, "keep")) {
            Station.Scan other = s.scan(f.label(K2).payload());
            assertEquals(Station.Rejection.WRONG_PLACE, other.rejection());
            assertTrue(other.reason().contains("does not work at") && other.reason().contains("考点"), other.reason());
            assertTrue(s.scan(f.label(Q1).payload()).ok());
        }
    }

    @Test
    void ruleRefusal_shownBeforeAnyoneSigns_nothingSignedOrStored() {
        long before = f.size();
        try (Station s = station("VAULT", everySite, "keep")) {
            assertTrue(s.scan(f.label(Q1).payload()).ok());
            signInAll(s);
            // distribution without a discipline inspector: R02, refused under the exam's strict policy, by the server
            Station.Prepared prepared = s.prepare(new Station.Form(Step.DISTRIBUTE, p("P007"), p("P011"), List.of(p("P006")),
                    Map.of(), Map.of(), null, null, null));
            assertFalse(prepared.signable());
            assertTrue(prepared.refusals().stream().anyMatch(x -> x.code() == FindingCode.R02), prepared.refusals().toString());
            assertTrue(prepared.refusals().get(0).chinese() != null, "the server's finding keeps its Chinese");
            assertEquals(prepared.handoff().parties(), prepared.draft().missing(), "nobody signed");
            assertThrows(IllegalStateException.class, () -> s.sign(prepared, p("P007")));
        }
        assertEquals(before, f.size());
    }

    @Test
    void twoStations_oneServer_neverFork_eachSeesTheOthersEntry() {
        long before = f.size();
        try (Station a = station("VAULT", everySite, "keep-a"); Station b = station("VAULT-B", everySite, "keep-b")) {
            for (Station s : List.of(a, b)) {
                assertTrue(s.scan(f.label(Q1).payload()).ok());
                signInAll(s);
            }
            Station.Prepared pa = a.prepare(DISTRIBUTE);
            Station.Prepared pb = b.prepare(DISTRIBUTE);
            assertTrue(pa.signable() && pb.signable());
            for (PersonId party : pa.handoff().parties()) {
                a.sign(pa, party);
                b.sign(pb, party);
            }
            assertEquals(before, a.append(pa).seq());
            AppendRefusedException refused = assertThrows(AppendRefusedException.class, () -> b.append(pb));
            assertTrue(refused.findings().stream().anyMatch(x -> x.code() == FindingCode.I07), refused.findings().toString());
            // b sees a's entry through the server
            assertEquals(Step.DISTRIBUTE, b.whereabouts(Q1).step());
            // its scan is stale: the server links the bag to a's entry, so nothing is offered until it is scanned again
            UserError stale = assertThrows(UserError.class, b::nextSteps);
            assertTrue(stale.getMessage().startsWith("I07 ") && stale.getMessage().contains("重新扫描"), stale.getMessage());
            b.clearScans();
            Station.Scan again = b.scan(f.label(Q1).payload());
            assertTrue(again.ok() && again.where().holder().equals(p("P011")), again.toString());
            assertFalse(b.nextSteps().contains(Step.DISTRIBUTE), b.nextSteps().toString());
        }
        assertEquals(before + 1, f.size(), "one entry: the second station's handoff was refused, not forked");
    }

    @Test
    void serverUnreachable_midShift_signedHandoffKept_offeredAgainAfterRestart_storedOnce() throws Exception {
        long before = f.size();
        int port = server.port();
        // people and the policy are read again at every look, to see the last ones read stand while the server is down
        try (Station s = station("VAULT", everySite, "keep", Duration.ZERO)) {
            assertTrue(s.scan(f.label(Q1).payload()).ok());
            signInAll(s);
            Station.Prepared prepared = s.prepare(DISTRIBUTE);
            for (PersonId party : prepared.handoff().parties()) {
                s.sign(prepared, party);
            }
            server.close();
            server = null;
            UserError kept = assertThrows(UserError.class, () -> s.append(prepared));
            assertTrue(kept.getMessage().contains("NOT RECORDED YET") && kept.getMessage().contains("cannot reach")
                    && kept.getMessage().contains("不会丢失"), kept.getMessage());
            assertTrue(s.undelivered().isPresent(), "the record signed by all is kept");
            assertEquals(4, s.signedIn().size(), "the screen still shows who is signed in");
            assertEquals(Duration.ofMinutes(10), s.idleTime().time());
            assertEquals(Set.of("rw-------"), Set.of(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(s.draftFile().signedFile()))));
            // a scan while the server is down is dropped, said in both languages
            Station.Scan unchecked = s.scan(f.label(Q2).payload());
            assertEquals(Station.Rejection.UNCHECKED, unchecked.rejection());
            assertTrue(unchecked.reason().contains("cannot be reached") && unchecked.reason().contains("无法连接服务器"), unchecked.reason());
            assertEquals(before, f.size());
        }
        server = CustodyServer.start(new ServerConfig(f.ledger, "127.0.0.1", port, config.tokens(), Duration.ofMinutes(15), 1 << 20, 100, false));
        SignedRecord signed;
        try (Station s = station("VAULT", everySite, "keep")) {
            signed = s.undelivered().orElseThrow(() -> new AssertionError("offered again after a restart of the station"));
            Appended done = s.deliver();
            assertEquals(before, done.seq());
            assertFalse(done.alreadyPresent());
            assertTrue(s.undelivered().isEmpty() && s.keptDraft().isEmpty());
            // sent twice (the answer was lost on the way): stored once
            Appended again = s.ledger().submit(signed);
            assertTrue(again.alreadyPresent());
            assertEquals(before, again.seq());
        }
        assertEquals(before + 1, f.size());
    }

    @Test
    void command_refusesBothOrNeither_andReceiptsWithServer_beforeAnyScreen() {
        Cli.Result both = Cli.run("", "station", "--ledger", f.ledger.toString(), "--server", url, "--place", "VAULT");
        assertEquals(2, both.status(), both.toString());
        assertTrue(both.err().contains("either --ledger FILE or --server URL") && both.err().contains("二者选一"), both.toString());
        Cli.Result neither = Cli.run("", "station", "--place", "VAULT");
        assertEquals(2, neither.status(), neither.toString());
        Cli.Result receipts = Cli.run("", "station", "--server", url, "--place", "VAULT", "--receipts", dir.resolve("r").toString());
        assertEquals(2, receipts.status(), receipts.toString());
        assertTrue(receipts.err().contains("--ledger FILE only"), receipts.toString());
    }
}
