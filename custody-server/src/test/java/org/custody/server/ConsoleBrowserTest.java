package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.ExamSession;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.SealState;
import org.custody.model.Secrecy;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Enrolment;
import org.custody.record.Handoff;
import org.custody.record.Registration;
import org.custody.record.ScheduleRecord;
import org.custody.crypto.SigningKey;
import org.custody.ledger.Draft;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console end to end in a real browser (Debian's Chromium through playwright-core, {@link Browser}) against the
 * real server on a loopback port, over a real ledger: the fixture's bags, a timetable, a sealed question-paper bag and
 * collected answer sheets at two sites, and a person and a note with script in them. The server's clock is the test's,
 * so the timetable can pass. Screenshots go to {@code target/console-screenshots} (docs/console.md shows them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final BagId A1 = BagId.of("HN-2021.K01.01.ENG.ANS");
    static final BagId A2 = BagId.of("HN-2021.K02.01.ENG.ANS");
    static final String HOSTILE = "<script>alert('x')</script>";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    Path dir;
    Fixture f;
    Browser browser;
    String base;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        f = new Fixture(dir);
        Instant t = Instant.parse("2021-06-01T01:00:00Z");
        PersonId officer = PersonId.of("P001");
        PersonId inspector = PersonId.of("P003");
        f.ledger.append(f.sign(new ScheduleRecord(RecordId.of("schedule"), f.id, t, Fixture.EXAM,
                List.of(new ExamSession("S1", "ENG", Instant.parse("2021-06-09T01:00:00Z"), Instant.parse("2021-06-09T03:30:00Z"))),
                List.of(officer, inspector))));
        f.ledger.append(f.sign(new Registration(RecordId.of("register-answers"), f.id, t.plusSeconds(60), List.of(
                Bag.papers(A1, BagKind.ANSWER_SHEET, Fixture.EXAM, "K01", "01", "S1", "ENG", null, 30, Secrecy.SECRET),
                Bag.papers(A2, BagKind.ANSWER_SHEET, Fixture.EXAM, "K02", "01", "S1", "ENG", null, 30, Secrecy.SECRET)),
                List.of(officer, inspector))));
        Person hostile = Person.of("P099", HOSTILE, Role.INVIGILATOR);
        SigningKey hostileKey = SigningKey.generate(f.suite.signature());
        f.keys.put(hostile.id(), hostileKey);
        f.people.put(hostile.id(), hostile);
        f.ledger.append(f.sign(new Enrolment(RecordId.of("enrol-P099"), f.id, t.plusSeconds(90), hostile, hostileKey.publicKey(), officer)));
        Place printer = Place.of("PRINTER", "湘印保密印刷厂");
        handoff(Step.PRINT, null, "P010", List.of("P011", "P001"), printer, "2021-06-02T01:00:00Z", null,
                f.ledger.move(Fixture.Q1).count(30));
        // sealed 29 of the 30 printed: R07, and a difference on the reconciliation page
        handoff(Step.SEAL, "P010", "P001", List.of("P011"), printer, "2021-06-02T07:00:00Z", "封装完好 " + HOSTILE,
                f.ledger.move(Fixture.Q1).count(29).seal("SN-2021-000123", SealState.INTACT));
        // into the vault, and sent out to site K01 on the exam morning: it never arrives (R25 once the session starts)
        Place vault = Place.of("VAULT", "省考试院保密室");
        handoff(Step.VAULT_IN, "P001", "P002", List.of("P003"), vault, "2021-06-02T10:00:00Z", null, f.ledger.move(Fixture.Q1));
        handoff(Step.DISTRIBUTE, "P002", "P020", List.of("P001", "P011", "P003"), vault, "2021-06-08T23:00:00Z", null,
                f.ledger.move(Fixture.Q1));
        Place room = Place.of("K01-01", "第01考场");
        handoff(Step.COLLECT, null, "P030", List.of("P099", "P001"), room, "2021-06-09T03:40:00Z", null,
                f.ledger.move(A1).count(30).attendance(29, 1).seal("SN-A-456", SealState.INTACT));
        handoff(Step.COLLECT, null, "P030", List.of("P099", "P001"), Place.of("K02-01", "第01考场"), "2021-06-09T03:41:00Z", null,
                f.ledger.move(A2).count(30).attendance(30, 0).seal("SN-A-789", SealState.INTACT));
        f.ledger.signCheckpoint(f.enrol("P090", Role.CHECKPOINT_SIGNER)); // what the evidence file is proven in
        f.clock.advance(Duration.between(f.clock.instant(), Instant.parse("2021-06-09T04:00:00Z")));
        f.start();
        base = "http://127.0.0.1:" + f.server.port();
        Files.createDirectories(SHOTS);
        browser = Browser.start();
    }

    private void handoff(Step step, String from, String to, List<String> witnesses, Place place, String at, String note,
                         BagMove... moves) {
        Handoff.Builder b = Handoff.builder(step).id(RecordId.of(step.wire() + "-" + f.ledger.head().size())).at(Instant.parse(at))
                .place(place).from(from == null ? null : PersonId.of(from)).to(PersonId.of(to))
                .witnesses(witnesses.stream().map(PersonId::of).toList()).bags(List.of(moves));
        if (note != null) {
            b.note(note);
        }
        Draft d = f.ledger.draft(b);
        for (PersonId p : d.missing()) {
            d.sign(f.keys.get(p));
        }
        d.append();
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private String board() {
        return base + "/console/" + f.id.value() + "/board";
    }

    private void signIn(String tokenName) {
        assertEquals(200, browser.go(base + "/console/login?next=/console/" + f.id.value() + "/board"));
        browser.call("fill", "selector", "input[name=token]", "value", f.tokens.get(tokenName));
        JsonNode r = browser.call("submit", "selector", "input[name=token]");
        assertEquals(200, r.path("status").asInt(), r.toString());
        assertTrue(r.path("url").asText().endsWith("/board"), r.toString());
    }

    @Test
    @Order(1)
    void board_withoutToken_401AndTheSignInForm() {
        assertEquals(401, browser.go(board()));
        assertTrue(browser.html().contains("action=\"/console/login\""));
        assertTrue(browser.text("main").contains("请先用令牌登录"));
        assertEquals(401, browser.go(base + "/console/" + f.id.value() + "/bags/" + Fixture.Q1.value()));
        // a wrong token is refused as well
        browser.call("fill", "selector", "input[name=token]", "value", "cust_not-a-token");
        assertEquals(401, browser.call("submit", "selector", "input[name=token]").path("status").asInt());
        assertTrue(browser.text("main").contains("does not know that token"));
    }

    @Test
    @Order(2)
    void search_byBagId_opensItsStory_withTimelineSealAndEvidence() throws Exception {
        signIn("inspector");
        browser.call("fill", "selector", "input[name=q]", "value", Fixture.Q1.value());
        JsonNode r = browser.call("submit", "selector", "input[name=q]");
        assertEquals(200, r.path("status").asInt());
        assertTrue(r.path("url").asText().endsWith("/bags/" + Fixture.Q1.value()), r.toString());
        assertEquals(Fixture.Q1.value(), browser.text("#bag"));
        String timeline = browser.text("#timeline");
        assertTrue(timeline.contains("SN-2021-000123") && timeline.contains("封装") && timeline.contains("印制"), timeline);
        assertTrue(timeline.contains("吴怡晓 (P010)"), timeline); // who released it, by name
        assertTrue(timeline.contains("2021-06-02 15:00:00 +08:00"), timeline); // claimed time in the exam's zone
        JsonNode evidence = browser.call("follow", "selector", "#evidence");
        assertEquals(200, evidence.path("status").asInt());
        assertTrue(evidence.path("disposition").asText().startsWith("attachment"), evidence.path("disposition").asText());
        assertTrue(evidence.path("body").asText().startsWith("custody-evidence/v1"));
        browser.call("screenshot", "path", SHOTS.resolve("bag.png").toAbsolutePath().toString());
    }

    @Test
    @Order(3)
    void search_byLabelPayload_opensTheBag_andAStaleLabelIsRefused() {
        String payload = f.ledger.label(Fixture.Q1).payload();
        browser.go(base + "/console/" + f.id.value() + "/search?q=" + java.net.URLEncoder.encode(payload, StandardCharsets.UTF_8));
        assertEquals(Fixture.Q1.value(), browser.text("#bag"));
        org.custody.label.Label label = f.ledger.label(Fixture.Q1);
        String stale = new org.custody.label.Label(label.ledger(), label.bag(), label.seq() - 1, label.tag()).payload();
        browser.go(base + "/console/" + f.id.value() + "/search?q=" + java.net.URLEncoder.encode(stale, StandardCharsets.UTF_8));
        assertTrue(browser.text(".problem").contains("请勿接收此袋"), browser.text("main"));
        // a person: their bags now
        browser.go(base + "/console/" + f.id.value() + "/search?q=P030");
        assertTrue(browser.text("#people").contains(A1.value()), browser.text("main"));
        // a room: the bags of every site with that room
        browser.go(base + "/console/" + f.id.value() + "/search?q=01");
        assertTrue(browser.text("#bags").contains(A2.value()), browser.text("main"));
        // a seal number
        browser.go(base + "/console/" + f.id.value() + "/search?q=SN-A-789");
        assertEquals(A2.value(), browser.text("#bag"));
    }

    @Test
    @Order(4)
    void board_lateBagAppears_whenTheTimetablePasses() {
        assertEquals(200, browser.go(board()));
        assertFalse(browser.text("main").contains(A1.value() + " not back"), browser.text("main"));
        // 04:00Z: the session started at 01:00Z and the sealed question papers never reached site K01 (R25)
        String notThere = browser.text("#late");
        assertTrue(notThere.contains("R25") && notThere.contains(Fixture.Q1.value())
                && notThere.contains("not received at the site by the start of their session"), notThere);
        assertTrue(notThere.contains("试卷袋须在开考前送达考点"), notThere);
        f.clock.advance(Duration.ofHours(3)); // 07:00Z: the session ended 03:30Z, answer sheets due back by 06:30Z (R10)
        assertEquals(200, browser.go(board()));
        String late = browser.text("#late");
        assertTrue(late.contains("R10") && late.contains(A1.value()) && late.contains(A2.value()), late);
        browser.call("screenshot", "path", SHOTS.resolve("board.png").toAbsolutePath().toString());
    }

    @Test
    @Order(5)
    void board_newEntryArrivesLive() {
        assertEquals(200, browser.go(board()));
        long next = f.ledger.head().size();
        handoff(Step.SITE_RECEIPT, "P030", "P001", List.of("P003"), Place.of("K01", "考点"), "2021-06-09T06:59:00Z", null,
                f.ledger.move(A1).seal("SN-A-456", SealState.INTACT));
        browser.call("waitText", "selector", "#recent", "text", Long.toString(next), "timeout", 15000);
        assertEquals(Long.toString(next + 1), browser.text("#size"));
    }

    @Test
    @Order(6)
    void hostileInput_isEscapedOrRefused() {
        browser.go(base + "/console/" + f.id.value() + "/search?q=" + java.net.URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8));
        assertTrue(browser.text("#query").contains(HOSTILE)); // shown as text
        browser.go(base + "/console/" + f.id.value() + "/bags/" + Fixture.Q1.value());
        assertTrue(browser.text("#timeline").contains("封装完好 " + HOSTILE)); // the note, as text
        browser.go(base + "/console/" + f.id.value() + "/bags/" + A1.value());
        assertTrue(browser.text("#timeline").contains(HOSTILE + " (P099)")); // the person's name, as text
        assertTrue(browser.html().contains("&lt;script&gt;"));
        assertEquals(400, browser.go(base + "/console/" + f.id.value() + "/bags/%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
        assertTrue(browser.text("main").contains("that is not a bag id"));
        assertEquals(400, browser.go(base + "/console/" + f.id.value() + "/search?q=K01&page=99999999999999999999"));
        assertTrue(browser.text("main").contains("the page number must be a whole number from 1 to 1000"));
        assertEquals(0, browser.call("dialogs").path("dialogs").size(), "no script of the ledger's ran");
    }

    @Test
    @Order(7)
    void reconciliation_differenceHighlighted_andLinkedToItsEntry() {
        assertEquals(200, browser.go(base + "/console/" + f.id.value() + "/reconciliation"));
        assertEquals("1", browser.text("#differing"));
        String row = browser.text("#reconciliation tr.differs");
        assertTrue(row.contains("K01") && row.contains("30") && row.contains("29"), row);
        assertEquals(1, browser.call("count", "selector", "#reconciliation tr.differs").path("count").asInt());
        browser.call("screenshot", "path", SHOTS.resolve("reconciliation.png").toAbsolutePath().toString());
        JsonNode r = browser.call("click", "selector", "#reconciliation tr.differs td.n a >> nth=1"); // the sealed count
        assertTrue(r.path("url").asText().contains("/bags/" + Fixture.Q1.value()), r.toString());
    }

    @Test
    @Order(8)
    void findings_filteredByCode_andABadDateRefused() {
        assertEquals(200, browser.go(base + "/console/" + f.id.value() + "/findings?code=R07"));
        String table = browser.text("#findings");
        assertTrue(table.contains("R07") && table.contains(Fixture.Q1.value()), table);
        assertTrue(Integer.parseInt(browser.text("#matched")) >= 1);
        assertFalse(table.contains("R08"), table);
        assertEquals(400, browser.go(base + "/console/" + f.id.value() + "/findings?from=" + HOSTILE));
        assertTrue(browser.text("main").contains("a date must be yyyy-MM-dd"));
    }

    @Test
    @Order(9)
    void integrity_fullVerification_andAKeptCheckpointChecked() {
        assertEquals(200, browser.go(base + "/console/" + f.id.value() + "/integrity"));
        assertTrue(browser.text("#signers").contains("custody/ledger/" + f.id.value()));
        browser.call("click", "selector", "#verify");
        assertTrue(browser.text("#result").contains("intact"), browser.text("#result"));
        assertTrue(browser.text("#result").contains(" " + f.ledger.head().size() + " "), browser.text("#result"));
        String kept = new String(f.ledger.latestCheckpoint().orElseThrow().bytes(), StandardCharsets.UTF_8);
        browser.call("fill", "selector", "textarea[name=kept]", "value", kept);
        browser.call("click", "selector", "#check");
        assertTrue(browser.text("#result").contains("intact"), browser.text("#result"));
        // a checkpoint of another history: the ledger does not extend it (I09)
        org.custody.checkpoint.Checkpoint cp = org.custody.checkpoint.Checkpoint.parse(f.ledger.latestCheckpoint().orElseThrow().text());
        String forged = org.custody.checkpoint.Checkpoint.of(cp.origin(), cp.size(), f.ledger.root(cp.size() - 1)).text();
        browser.call("fill", "selector", "textarea[name=kept]", "value", forged);
        browser.call("click", "selector", "#check");
        assertTrue(browser.text("#result").contains("I09"), browser.text("#result"));
    }

    @Test
    @Order(10)
    void officerOfSiteK02_seesNothingOfSiteK01() throws Exception {
        browser.go(board());
        browser.call("click", "selector", ".logout button");
        signIn("officer-k02");
        String main = browser.text("main");
        assertFalse(main.contains("K01"), main);
        assertTrue(main.contains(A2.value()), main); // its own late bag
        assertEquals(404, browser.go(base + "/console/" + f.id.value() + "/bags/" + Fixture.Q1.value()));
        assertEquals(404, browser.go(base + "/console/" + f.id.value() + "/bags/HN-2021.K01.99.NOPE"));
        browser.go(base + "/console/" + f.id.value() + "/search?q=SN-2021-000123");
        assertTrue(browser.text(".problem").contains("nothing found"));
        // another site's label: not even whether it is stale
        org.custody.label.Label label = f.ledger.label(Fixture.Q1);
        String stale = new org.custody.label.Label(label.ledger(), label.bag(), label.seq() - 1, label.tag()).payload();
        browser.go(base + "/console/" + f.id.value() + "/search?q=" + java.net.URLEncoder.encode(stale, StandardCharsets.UTF_8));
        assertTrue(browser.text(".problem").contains("no such bag"), browser.text("main"));
        browser.go(base + "/console/" + f.id.value() + "/search?q=P030");
        assertFalse(browser.text("#people").contains(A1.value()));
        browser.go(base + "/console/" + f.id.value() + "/reconciliation");
        assertFalse(browser.text("#reconciliation").contains("K01"));
        browser.go(base + "/console/" + f.id.value() + "/findings");
        assertFalse(browser.text("#findings").contains("K01"));
        assertEquals(403, browser.go(base + "/console/" + f.id.value() + "/integrity"));
        // the API answers from the same queries, with the same scope
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/board"))
                .header("Authorization", "Bearer " + f.tokens.get("officer-k02")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, api.statusCode());
        assertFalse(api.body().contains("K01"), api.body());
        assertTrue(api.body().contains(A2.value()), api.body());
    }

    @Test
    @Order(11)
    void signIn_formFromAnotherSite_refused_andTheCookieIsHttpOnlyStrict() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String form = "token=" + f.tokens.get("inspector") + "&next=/console/";
        HttpResponse<String> evil = http.send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, evil.statusCode());
        assertTrue(evil.headers().firstValue("Set-Cookie").isEmpty());
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, ok.statusCode());
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"), cookie);
        assertFalse(cookie.contains(f.tokens.get("inspector")), "the cookie carries a session id, never the token");
        assertTrue(ok.headers().firstValue("Content-Security-Policy").orElseThrow().contains("frame-ancestors 'none'"));
    }
}
